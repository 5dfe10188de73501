package dev.ngc4j.provider.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.server.KeyInfo;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.TokenSource;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The whole cloud flow with every key on a SoftHSM2 token: the real client ({@link EntraCloudClient} through
 * {@link Ngc4j}), the real PKCS#11 provider and the real service ({@link NgcServer}) over HTTPS on loopback. The
 * device joins with the token's device and transport keys (no PIN), the user's key is generated on the token and
 * registered, and the user signs in and renews with the PRT's session key unwrapped on the token.
 */
class Pkcs11CloudEndToEndTest {
  private static final String TENANT = "pkcs11.example";
  private static final String PIN = "739164";
  private static final char[] PASSWORD = "pa55-word-for-token-tests".toCharArray();
  private static final char[] MFA = "246813".toCharArray();

  @TempDir static Path dir;
  static NgcService service;
  static NgcServer server;

  @BeforeAll
  static void start() throws Exception {
    service = NgcService.builder().dataDirectory(dir.resolve("service")).testIdentitySource(true).build();
    server = NgcServer.builder().service(service).https(true).start();
    service.createTenant(TENANT, "PKCS#11 Example");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The service's test identity source (password grant), as {@code examples}' TestIdentityTokens does it. */
  static final class IdentityTokens implements TokenSource {
    private final URI endpoint;
    private final HttpClient http;
    private final AtomicReference<@Nullable DeviceCredential> device = new AtomicReference<>();

    interface DeviceCredential {
      String get() throws NgcException;
    }

    IdentityTokens(URI base, SSLContext ssl) {
      this.endpoint = base.resolve("/" + TENANT + "/oauth2/token");
      this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    void proveDevice(DeviceCredential credential) {
      device.set(credential);
    }

    @Override
    public AccessToken token(UserPrincipal user) throws NgcException {
      DeviceCredential dc = device.get();
      return token(user, true, dc == null ? null : dc.get());
    }

    AccessToken passwordOnly(UserPrincipal user) throws NgcException {
      return token(user, false, null);
    }

    private AccessToken token(UserPrincipal user, boolean mfa, @Nullable String deviceCredential)
        throws NgcException {
      Map<String, String> form = new java.util.LinkedHashMap<>();
      form.put("grant_type", "password");
      form.put("username", user.upn());
      form.put("password", new String(PASSWORD));
      if (mfa) {
        form.put("mfa_code", new String(MFA));
      }
      if (deviceCredential != null) {
        form.put("device_credential", deviceCredential);
      }
      String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new NgcException(ErrorCode.CLOUD_ERROR, "token endpoint: HTTP " + r.statusCode() + " " + r.body(),
              null);
        }
        String jwt = Objects.requireNonNull(JSONObjectUtils.getString(JSONObjectUtils.parse(r.body()),
            "access_token"));
        JWTClaimsSet claims = SignedJWT.parse(jwt).getJWTClaimsSet();
        List<String> amr = claims.getStringListClaim("amr");
        return AccessToken.of(jwt, UserPrincipal.of(claims.getStringClaim("upn")),
            amr == null ? java.util.Set.of() : new HashSet<>(amr),
            Objects.requireNonNull(claims.getExpirationTime()).toInstant());
      } catch (java.io.IOException | java.text.ParseException e) {
        throw new NgcException(ErrorCode.CLOUD_ERROR, "token endpoint failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NgcException(ErrorCode.INTERRUPTED, "interrupted", e);
      }
    }
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN.toCharArray());
  }

  @Test
  void aDeviceJoinsWithTokenKeysProvisionsOnTheTokenAndSignsInWithTheSessionKeyOnTheToken() throws Exception {
    TestTokens.Token token = TestTokens.create("cloud", PIN);
    Pkcs11CredentialProvider provider = Pkcs11CredentialProvider.builder().library(SoftHsm.LIBRARY.toString())
        .tokenLabel(token.label()).poolSize(0).build();
    Path providerData = dir.resolve("pool-fill");
    try (Pkcs11Session admin = provider.open(new ProviderContext(providerData, Clock.systemUTC(),
        Map.of()))) {
      assertEquals(1, admin.fillKeyPool(ScriptedGestures.create().pin(PIN.toCharArray()), 1));
    }
    UserPrincipal alice = UserPrincipal.of("alice@" + TENANT);
    service.createUser(TENANT, alice.upn(), alice.upn(), PASSWORD.clone(), MFA.clone());
    EntraCloudClient cloud = EntraCloudClient.builder().tenant(TENANT).baseUri(server.uri())
        .sslContext(server.clientSslContext()).stateDirectory(dir.resolve("device").resolve("cloud")).build();
    IdentityTokens identity = new IdentityTokens(server.uri(), server.clientSslContext());
    try (Ngc4j ngc = Ngc4j.builder().dataDirectory(dir.resolve("device")).provider(provider)
        .joinType(JoinType.CLOUD_JOINED).remoteSession(() -> false).directory(cloud).tokenSource(identity)
        .keyPool(0, 0).build()) {
      assertEquals("pkcs11", ngc.providerId());
      ngc.joinDevice(identity.passwordOnly(alice));
      PublicKey deviceKey = ngc.deviceKeys().orElseThrow().deviceKey();
      try (Pkcs11Session other = provider.open(new ProviderContext(dir.resolve("check"),
          Clock.systemUTC(), Map.of()))) {
        assertEquals(deviceKey, other.deviceKeys().orElseThrow().deviceKey(), "the device key is the token's");
      }
      identity.proveDevice(() -> cloud.deviceCredential(ngc.deviceKeys().orElseThrow()));

      ngc.provision(alice, pin());
      List<KeyInfo> keys = service.keysOfUser(alice.upn());
      assertEquals(1, keys.size());

      PrimaryRefreshToken prt = ngc.signIn(alice, pin());
      assertTrue(prt.hasMfaClaim());
      long object = assertInstanceOf(Pkcs11SessionKey.class, prt.sessionKey(),
          "the session key was unwrapped on the token").objectHandle();
      Session raw = TestTokens.rawSession(token);
      try {
        assertEquals(false, raw.getAttrValues(object, CKA_TOKEN).token(), "a session object on the token");
        assertEquals(1, raw.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY)
            .label(Pkcs11DeviceKeys.TRANSPORT_LABEL)).length);
      } finally {
        raw.closeSession();
      }
      PrimaryRefreshToken renewed = ngc.renew(prt);
      assertFalse(prt.token().equals(renewed.token()));
      assertInstanceOf(Pkcs11SessionKey.class, renewed.sessionKey());

      NgcException wrong = assertThrows(NgcException.class,
          () -> ngc.signIn(alice, request -> Pin.of("000000".toCharArray())));
      assertEquals(ErrorCode.WRONG_GESTURE, wrong.code(), wrong::toString);
    }
  }
}
