package dev.ngc4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.CloudAuthException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.testkit.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud flow end to end over real HTTP(S): the real client ({@link EntraCloudClient} through {@link Ngc4j}), the
 * real software provider and the real service ({@link NgcServer} on its embedded database). A proxy on loopback
 * sits between them where a test needs to tamper with, delay or replay a message. Every refusal must carry the
 * right code and leave the directory exactly as it was.
 */
class CloudSignInEndToEndTest {
  private static final String TENANT = "fabrikam.example";
  private static final char[] PIN = "739164".toCharArray();
  private static final char[] PASSWORD = "pa55-word-for-tests".toCharArray();
  private static final char[] MFA = "135790".toCharArray();
  private static final AtomicInteger USERS = new AtomicInteger();

  @TempDir static Path dir;
  static MutableClock clock;
  static NgcService service;
  static NgcServer server;
  static LoopbackProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    clock = MutableClock.at(Instant.now());
    service = NgcService.builder().dataDirectory(dir.resolve("service")).clock(clock).testIdentitySource(true).build();
    server = NgcServer.builder().service(service).https(true).start();
    service.createTenant(TENANT, "Fabrikam");
    proxy = new LoopbackProxy(server.uri(), server.clientSslContext());
  }

  @AfterAll
  static void stop() {
    proxy.close();
    server.close();
  }

  /** One device: its own data directory, provider, device keys, cloud client and token source. */
  record Device(Ngc4j ngc, EntraCloudClient cloud, TestIdentityTokens identity) implements AutoCloseable {
    @Override
    public void close() {
      ngc.close();
    }
  }

  static UserPrincipal newUser() throws NgcException {
    UserPrincipal u = UserPrincipal.of("user" + USERS.incrementAndGet() + "@" + TENANT);
    service.createUser(TENANT, u.upn(), u.upn(), PASSWORD.clone(), MFA.clone());
    return u;
  }

  static Device device(String name, int kdfVersion, UserPrincipal... users) throws NgcException {
    EntraCloudClient cloud = EntraCloudClient.builder()
        .tenant(TENANT)
        .baseUri(proxy.uri()) // plain HTTP to the loopback proxy, which forwards over HTTPS
        .stateDirectory(dir.resolve(name).resolve("cloud"))
        .kdfVersion(kdfVersion)
        .build();
    TestIdentityTokens identity = new TestIdentityTokens(server.uri(), TENANT, server.clientSslContext());
    for (UserPrincipal u : users) {
      identity.add(u, PASSWORD, MFA);
    }
    Ngc4j ngc = Ngc4j.builder()
        .dataDirectory(dir.resolve(name))
        .allowSoftwareKeys()
        .providerSetting("argon2.memoryKiB", "1024")
        .providerSetting("argon2.iterations", "1")
        .joinType(JoinType.CLOUD_JOINED)
        .remoteSession(() -> false)
        .directory(cloud)
        .tokenSource(identity)
        .keyPool(0, 0)
        .build();
    if (ngc.deviceId().isEmpty()) {
      ngc.joinDevice(identity.passwordOnly(users[0]));
    }
    identity.proveDevice(() -> cloud.deviceCredential(ngc.deviceKeys().orElseThrow()));
    return new Device(ngc, cloud, identity);
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN);
  }

  /** Runs a refused call and checks its code, its server code, and that the directory did not change. */
  static NgcException refused(ErrorCode code, String serverCode, String stable, Callable<?> call) throws Exception {
    String before = service.directoryDigest();
    NgcException e = assertThrows(NgcException.class, call::call);
    assertEquals(code, e.code(), e::toString);
    if (!serverCode.isEmpty()) {
      CloudAuthException c = assertInstanceOf(CloudAuthException.class, e, e::toString);
      assertEquals(serverCode, c.serverCode().orElse(""), e::toString);
    }
    if (!stable.isEmpty()) {
      assertTrue(e.getMessage().contains(stable), () -> "expected " + stable + " in " + e.getMessage());
    }
    assertEquals(before, service.directoryDigest(), "a refusal must leave the directory unchanged");
    return e;
  }

  @Test
  void signInRenewalAndThePrtCookieWorkOverRealHttp() throws Exception {
    UserPrincipal alice = newUser();
    try (Device d = device("happy", 2, alice)) {
      d.ngc().provision(alice, pin());
      PrimaryRefreshToken prt = d.ngc().signIn(alice, pin());
      assertEquals(alice, prt.user());
      assertTrue(prt.hasMfaClaim(), prt.authenticationMethods()::toString);
      assertEquals(alice.upn(), prt.claims().get("upn"));
      assertEquals(d.ngc().deviceId().orElseThrow().toString(), prt.claims().get("deviceid"));
      assertEquals(Duration.ofDays(14), Duration.between(prt.issuedAt(), prt.expiresAt()));
      PrimaryRefreshToken renewed = d.ngc().renew(prt);
      assertNotEquals(prt.token(), renewed.token());
      assertTrue(renewed.sessionKey() == prt.sessionKey(), "renewal keeps the session key");
      PrimaryRefreshToken again = d.ngc().renew(renewed);
      assertNotEquals(renewed.token(), again.token());

      String cookie = d.ngc().prtCookie(again);
      HttpResponse<String> r = java.net.http.HttpClient.newBuilder().sslContext(server.clientSslContext()).build()
          .send(java.net.http.HttpRequest.newBuilder(server.uri().resolve("/" + TENANT
                  + "/oauth2/authorize?client_id=" + EntraCloudClient.BROKER_CLIENT_ID
                  + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code"))
              .header("x-ms-RefreshTokenCredential", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(302, r.statusCode(), r::body);
      String location = r.headers().firstValue("Location").orElseThrow();
      assertTrue(location.startsWith("https://app.example/cb?") && location.contains("code="), location);
    }
  }

  @Test
  void theKeyOfAnotherDeviceIsRefused() throws Exception {
    UserPrincipal bob = newUser();
    try (Device a = device("dev-a", 2, bob); Device b = device("dev-b", 2, bob)) {
      a.ngc().provision(bob, pin());
      // Bob's container is on device A; device B signs the outer request with its own device key.
      refused(ErrorCode.KEY_NOT_REGISTERED, "AADSTS50034", "key_device_mismatch", () -> b.cloud().signIn(
          a.ngc().credential(bob).orElseThrow().container(), pin(), b.ngc().deviceKeys().orElseThrow()));
    }
  }

  @Test
  void aWithdrawnKeyIsNotRegisteredAndItsPrtCannotBeRenewed() throws Exception {
    UserPrincipal carol = newUser();
    try (Device d = device("withdrawn", 2, carol)) {
      d.ngc().provision(carol, pin());
      PrimaryRefreshToken prt = d.ngc().signIn(carol, pin());
      for (var k : service.keysOfUser(carol.upn())) {
        assertTrue(service.deleteKey(k.kid()));
      }
      refused(ErrorCode.KEY_NOT_REGISTERED, "AADSTS50034", "key_not_registered", () -> d.ngc().signIn(carol, pin()));
      refused(ErrorCode.KEY_NOT_REGISTERED, "AADSTS50034", "key_not_registered", () -> d.ngc().renew(prt));
    }
  }

  @Test
  void aDisabledDeviceCannotSignIn() throws Exception {
    UserPrincipal dave = newUser();
    try (Device d = device("disabled", 2, dave)) {
      d.ngc().provision(dave, pin());
      assertTrue(service.setDeviceEnabled(d.ngc().deviceId().orElseThrow().value(), false));
      refused(ErrorCode.DEVICE_NOT_JOINED, "AADSTS135011", "device_disabled", () -> d.ngc().signIn(dave, pin()));
      assertTrue(service.setDeviceEnabled(d.ngc().deviceId().orElseThrow().value(), true));
      d.ngc().signIn(dave, pin());
    }
  }

  @Test
  void provisioningWithATokenWithoutMfaRegistersNothing() throws Exception {
    UserPrincipal erin = newUser();
    try (Device d = device("nomfa", 2, erin)) {
      d.identity().add(erin, PASSWORD, null); // password only: the token has no MFA claim
      refused(ErrorCode.MFA_REQUIRED, "", "", () -> d.ngc().provision(erin, pin()));
      assertTrue(d.ngc().credential(erin).isEmpty());
      assertTrue(service.keysOfUser(erin.upn()).isEmpty());
    }
  }

  @Test
  void renewalSignedWithKdfV1IsRefusedWhenTheServiceRequiresV2() throws Exception {
    UserPrincipal frank = newUser();
    try (Device d = device("kdfv1", 1, frank)) {
      d.ngc().provision(frank, pin());
      PrimaryRefreshToken prt = d.ngc().signIn(frank, pin());
      refused(ErrorCode.CLOUD_ERROR, "AADSTS5000611", "kdf_v1_rejected", () -> d.ngc().renew(prt));
    }
  }

  static UnaryOperator<String> mutateSessionKeyJwe(UnaryOperator<String[]> mutation) {
    return json -> {
      try {
        Map<String, Object> m = JSONObjectUtils.parse(json);
        String[] parts = java.util.Objects.requireNonNull((String) m.get("session_key_jwe")).split("\\.", -1);
        m.put("session_key_jwe", String.join(".", mutation.apply(parts)));
        return JSONObjectUtils.toJSONString(m);
      } catch (java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  static String flipLastByte(String b64url) {
    byte[] b = Base64.getUrlDecoder().decode(b64url);
    b[b.length - 1] ^= 1;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Test
  void aTamperedOrTruncatedSessionKeyJweNeverYieldsAPrt() throws Exception {
    UserPrincipal gina = newUser();
    List<UnaryOperator<String[]>> mutations = List.of(
        p -> { p[1] = flipLastByte(p[1]); return p; }, // wrapped key
        p -> { p[2] = flipLastByte(p[2]); return p; }, // IV
        p -> { p[3] = flipLastByte(p[3]); return p; }, // ciphertext
        p -> { p[4] = flipLastByte(p[4]); return p; }, // tag
        p -> { // header swapped for an equivalent one with other bytes: the AAD changes
          p[0] = Base64.getUrlEncoder().withoutPadding().encodeToString(
              "{\"alg\":\"RSA-OAEP\", \"enc\":\"A256GCM\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return p;
        });
    try (Device d = device("tamper", 2, gina)) {
      d.ngc().provision(gina, pin());
      Set<String> messages = new HashSet<>();
      for (UnaryOperator<String[]> m : mutations) {
        proxy.prtResponseRewriter = mutateSessionKeyJwe(m);
        try {
          NgcException e = refused(ErrorCode.CLOUD_ERROR, "", "", () -> d.ngc().signIn(gina, pin()));
          messages.add(e.getMessage());
        } finally {
          proxy.prtResponseRewriter = null;
        }
      }
      assertEquals(1, messages.size(), () -> "one opaque error for every decryption failure: " + messages);
      // A truncated tag is refused before any decryption is attempted (a length anyone can see).
      proxy.prtResponseRewriter = mutateSessionKeyJwe(p -> {
        byte[] tag = Base64.getUrlDecoder().decode(p[4]);
        p[4] = Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(tag, 8));
        return p;
      });
      try {
        refused(ErrorCode.CLOUD_ERROR, "", "session_key_jwe", () -> d.ngc().signIn(gina, pin()));
      } finally {
        proxy.prtResponseRewriter = null;
      }
      assertFalse(d.ngc().status(gina).user().prtPresent());
      d.ngc().signIn(gina, pin()); // untampered, it works
    }
  }

  @Test
  void aReplayedSignInRequestIsRefused() throws Exception {
    UserPrincipal hank = newUser();
    try (Device d = device("replay", 2, hank)) {
      d.ngc().provision(hank, pin());
      d.ngc().signIn(hank, pin());
      String captured = java.util.Objects.requireNonNull(proxy.lastPrtRequest);
      String before = service.directoryDigest();
      HttpResponse<String> r = proxy.post("/" + TENANT + "/oauth2/token", captured);
      assertEquals(400, r.statusCode(), r::body);
      Map<String, Object> err = JSONObjectUtils.parse(r.body());
      assertEquals("nonce_replayed", err.get("suberror"), r::body);
      assertTrue(String.valueOf(err.get("error_description")).startsWith("AADSTS50013"), r::body);
      assertEquals(before, service.directoryDigest());
    }
  }

  @Test
  void anExpiredNonceIsRefused() throws Exception {
    UserPrincipal ivy = newUser();
    try (Device d = device("expired", 2, ivy)) {
      d.ngc().provision(ivy, pin());
      Instant[] saved = new Instant[1];
      proxy.beforePrtRequest = () -> saved[0] = clock.advance(Duration.ofMinutes(5).plusSeconds(1));
      proxy.afterPrtRequest = () -> clock.set(saved[0].minus(Duration.ofMinutes(5).plusSeconds(1)));
      try {
        refused(ErrorCode.CLOUD_ERROR, "AADSTS50013", "nonce_expired", () -> d.ngc().signIn(ivy, pin()));
      } finally {
        proxy.beforePrtRequest = null;
        proxy.afterPrtRequest = null;
      }
      d.ngc().signIn(ivy, pin());
    }
  }

  @Test
  void manyConcurrentSignInsAllSucceedWithDistinctTokens() throws Exception {
    UserPrincipal jo = newUser();
    try (Device d = device("concurrent", 2, jo)) {
      d.ngc().provision(jo, pin());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<PrimaryRefreshToken>> results = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
          results.add(pool.submit(() -> d.ngc().signIn(jo, pin())));
        }
        Set<String> tokens = new HashSet<>();
        for (Future<PrimaryRefreshToken> f : results) {
          tokens.add(f.get().token());
        }
        assertEquals(48, tokens.size());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
