package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.Credential;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.KeyTrustException.Reason;
import dev.ngc4j.server.internal.keytrust.TestCertificates;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.TokenSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key trust against keys registered through the cloud flow: the service on its embedded database behind real HTTPS
 * on loopback, the real client ({@link EntraCloudClient} driven by {@link Ngc4j}) with the real software provider
 * joining a device and provisioning users (MFA token, key registration), and the key-trust certificate built around
 * the registered key and signed <em>through the key container</em> with the user's PIN, as a PKINIT client does.
 */
final class KeyTrustCloudFlowTest {
  private static final String TENANT = "contoso.example";
  private static final String REALM = "CONTOSO.EXAMPLE";
  private static final char[] PIN = "739164".toCharArray();
  private static final char[] PASSWORD = "pa55-word-for-key-trust".toCharArray();
  private static final char[] MFA = "246810".toCharArray();
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@" + TENANT);
  private static final UserPrincipal BOB = UserPrincipal.of("bob@" + TENANT);

  @TempDir static Path dir;
  private static NgcService service;
  private static NgcServer server;
  private static KeyTrustVerifier verifier;
  /** One device on which Alice and Bob both provisioned; the tests only read it. */
  private static Device shared;

  @BeforeAll
  static void start() throws Exception {
    service = NgcService.builder().dataDirectory(dir.resolve("service")).testIdentitySource(true).build();
    server = NgcServer.builder().service(service).https(true).start();
    service.createTenant(TENANT, "Contoso");
    for (UserPrincipal u : List.of(ALICE, BOB, UserPrincipal.of("carol@" + TENANT),
        UserPrincipal.of("dave@" + TENANT))) {
      service.createUser(TENANT, u.upn(), u.upn(), PASSWORD.clone(), MFA.clone());
    }
    verifier = KeyTrustVerifier.builder(service).build();
    shared = device("shared", ALICE, BOB);
    shared.ngc().provision(ALICE, pin());
    shared.ngc().provision(BOB, pin());
  }

  @AfterAll
  static void stop() {
    if (shared != null) {
      shared.close();
    }
    server.close();
    service.close();
  }

  /** A device: its own data directory, software provider, device keys and cloud client, joined over HTTPS. */
  record Device(Ngc4j ngc, Identity identity) implements AutoCloseable {
    UUID id() {
      return ngc.deviceId().orElseThrow().value();
    }

    Credential credential(UserPrincipal user) throws NgcException {
      return ngc.credential(user).orElseThrow();
    }

    @Override
    public void close() {
      ngc.close();
    }
  }

  static Device device(String name, UserPrincipal... users) throws NgcException {
    EntraCloudClient cloud = EntraCloudClient.builder()
        .tenant(TENANT)
        .baseUri(server.uri())
        .sslContext(server.clientSslContext())
        .stateDirectory(dir.resolve(name).resolve("cloud"))
        .build();
    Identity identity = new Identity(server.uri(), server.clientSslContext());
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
    ngc.joinDevice(identity.token(users[0], false, null));
    identity.device = () -> cloud.deviceCredential(ngc.deviceKeys().orElseThrow());
    return new Device(ngc, identity);
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN);
  }

  /** The key-trust certificate around a provisioned key, signed by the container after the PIN gesture. */
  static X509Certificate certificate(Credential credential) throws Exception {
    return TestCertificates.keyTrust(credential.user().upn(), credential.publicKey(),
        tbs -> credential.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, tbs, pin())).build();
  }

  static KeyTrustException refused(Reason reason, Callable<?> call) {
    KeyTrustException e = assertThrows(KeyTrustException.class, call::call);
    assertEquals(reason, e.reason(), e::getMessage);
    assertEquals(reason.krbErrorCode(), e.krbErrorCode());
    return e;
  }

  @Test
  void aKeyRegisteredThroughTheCloudFlowIsTrustedForItsUpn() throws Exception {
    Credential alice = shared.credential(ALICE);
    X509Certificate cert = certificate(alice);
    cert.verify(alice.publicKey()); // the container really signed it
    assertEquals(-1, cert.getBasicConstraints());
    assertTrue(cert.getExtendedKeyUsage().containsAll(List.of(TestCertificates.PKINIT_CLIENT_AUTH,
        TestCertificates.SMARTCARD_LOGON)));

    KeyTrustDecision d = verifier.verify(cert, ALICE.upn(), REALM);
    assertEquals(ALICE.upn(), d.user().upn());
    assertEquals(shared.id(), d.device().deviceId());
    KeyInfo registered = service.keysOfUser(ALICE.upn()).stream()
        .filter(k -> k.deviceId().equals(shared.id())).findFirst().orElseThrow();
    assertEquals(registered, d.key());
    byte[] keyId = MessageDigest.getInstance("SHA-256").digest(Rsa1KeyBlob.encode((RSAPublicKey) alice.publicKey()));
    assertArrayEquals(keyId, d.keyId().toByteArray());
    assertEquals(java.util.Base64.getEncoder().encodeToString(keyId), registered.keyIdentifier());
    assertEquals(ALICE.upn(), verifier.verify(cert, "alice", REALM).user().upn(), "account name and realm");
  }

  @Test
  void theKeyCredentialLinkReturnedDecodesToTheSameKeyAndDevice() throws Exception {
    Credential alice = shared.credential(ALICE);
    KeyTrustDecision d = verifier.verify(certificate(alice), ALICE.upn(), REALM);
    String attribute = d.keyCredentialLink().dnBinary();
    KeyCredentialLinkValue parsed = KeyCredentialLinkValue.parse(attribute);
    PublicKey decoded = parsed.link().rsaPublicKey();
    assertEquals(alice.publicKey(), decoded);
    assertEquals(shared.id(), parsed.link().deviceId().orElseThrow());
    assertEquals(d.key().created(), parsed.link().creationTime().orElseThrow());
    assertEquals(KeyCredentialLink.KEY_USAGE_NGC, parsed.link().keyUsage());
    assertTrue(attribute.endsWith(":CN=alice@contoso.example,CN=Users,DC=contoso,DC=example"), attribute);
    assertTrue(verifier.keyCredentialLinks(ALICE.upn()).contains(parsed), "the directory view holds the same value");
  }

  @Test
  void anotherRegisteredUsersNameIsAClientNameMismatch() throws Exception {
    X509Certificate bobs = certificate(shared.credential(BOB));
    KeyTrustException e = refused(Reason.CLIENT_NAME_MISMATCH, () -> verifier.verify(bobs, ALICE.upn(), REALM));
    assertEquals(75, e.krbErrorCode());
    assertEquals(ErrorCode.PRINCIPAL_MISMATCH, e.code());
    assertEquals(BOB.upn(), verifier.verify(bobs, BOB.upn(), REALM).user().upn());
  }

  @Test
  void aFreshKeyIsNotRegistered() throws Exception {
    X509Certificate fresh = TestCertificates.keyTrust(ALICE.upn(), TestCertificates.rsa(2048)).build();
    KeyTrustException e = refused(Reason.KEY_NOT_REGISTERED, () -> verifier.verify(fresh, ALICE.upn(), REALM));
    assertEquals(62, e.krbErrorCode());
    assertEquals(ErrorCode.CLIENT_NOT_TRUSTED, e.code());
    assertTrue(e.getMessage().contains("wait for key sync"), e.getMessage());
  }

  @Test
  void aCaTrueCertificateAroundTheRegisteredKeyIsRefused() throws Exception {
    Credential alice = shared.credential(ALICE);
    X509Certificate ca = TestCertificates.keyTrust(ALICE.upn(), alice.publicKey(),
        tbs -> alice.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, tbs, pin())).ca(true).build();
    assertTrue(ca.getBasicConstraints() >= 0);
    refused(Reason.CA_CERTIFICATE, () -> verifier.verify(ca, ALICE.upn(), REALM));
  }

  @Test
  void aDeletedKeyIsNoLongerTrusted() throws Exception {
    UserPrincipal carol = UserPrincipal.of("carol@" + TENANT);
    try (Device d = device("deleted-key", carol)) {
      X509Certificate cert = certificate(d.ngc().provision(carol, pin()));
      verifier.verify(cert, carol.upn(), REALM);
      for (KeyInfo k : service.keysOfUser(carol.upn())) {
        assertTrue(service.deleteKey(k.kid()));
      }
      refused(Reason.KEY_NOT_REGISTERED, () -> verifier.verify(cert, carol.upn(), REALM));
      assertEquals(List.of(), verifier.keyCredentialLinks(carol.upn()));
    }
  }

  @Test
  void aDisabledDeviceIsRefusedUntilEnabledAndADeletedOneTakesItsKeysAlong() throws Exception {
    UserPrincipal dave = UserPrincipal.of("dave@" + TENANT);
    try (Device d = device("disabled-device", dave)) {
      X509Certificate cert = certificate(d.ngc().provision(dave, pin()));
      assertTrue(service.setDeviceEnabled(d.id(), false));
      KeyTrustException e = refused(Reason.DEVICE_DISABLED, () -> verifier.verify(cert, dave.upn(), REALM));
      assertEquals(18, e.krbErrorCode());
      assertTrue(service.setDeviceEnabled(d.id(), true));
      assertEquals(d.id(), verifier.verify(cert, dave.upn(), REALM).device().deviceId());
      assertTrue(service.deleteDevice(d.id()));
      refused(Reason.KEY_NOT_REGISTERED, () -> verifier.verify(cert, dave.upn(), REALM));
    }
  }

  /**
   * The service's test identity source as a {@link TokenSource}: the password grant with the MFA code and, once the
   * device is joined, its device credential (so the token carries the device id that key registration needs).
   */
  static final class Identity implements TokenSource {
    private final URI tokenEndpoint;
    private final HttpClient http;
    volatile @Nullable DeviceCredential device;

    interface DeviceCredential {
      String get() throws NgcException;
    }

    Identity(URI base, SSLContext ssl) {
      this.tokenEndpoint = base.resolve("/" + TENANT + "/oauth2/token");
      this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public AccessToken token(UserPrincipal user) throws NgcException {
      DeviceCredential dc = device;
      return token(user, true, dc == null ? null : dc.get());
    }

    AccessToken token(UserPrincipal user, boolean mfa, @Nullable String deviceCredential) throws NgcException {
      StringBuilder form = new StringBuilder("grant_type=password&username=")
          .append(URLEncoder.encode(user.upn(), StandardCharsets.UTF_8))
          .append("&password=").append(URLEncoder.encode(new String(PASSWORD), StandardCharsets.UTF_8));
      if (mfa) {
        form.append("&mfa_code=").append(new String(MFA));
      }
      if (deviceCredential != null) {
        form.append("&device_credential=").append(URLEncoder.encode(deviceCredential, StandardCharsets.UTF_8));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new NgcException(ErrorCode.CLOUD_ERROR, "the test identity source answered " + r.statusCode() + ": "
              + r.body());
        }
        String jwt = Objects.requireNonNull(JSONObjectUtils.getString(JSONObjectUtils.parse(r.body()),
            "access_token"));
        Map<String, Object> claims = WireClient.claims(jwt);
        return AccessToken.of(jwt, UserPrincipal.of(WireClient.str(claims, "upn")),
            new HashSet<>(WireClient.strings(WireClient.at(claims, "amr"))),
            Instant.ofEpochSecond(((Number) WireClient.at(claims, "exp")).longValue()));
      } catch (java.io.IOException | java.text.ParseException e) {
        throw new NgcException(ErrorCode.CLOUD_ERROR, "the test identity source failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NgcException(ErrorCode.INTERRUPTED, "interrupted", e);
      }
    }
  }
}
