package dev.ngc4j.core.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.CloudAuthException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.cloud.TestDirectoryServer.Reply;
import dev.ngc4j.core.cloud.TestDirectoryServer.Request;
import dev.ngc4j.core.internal.cloud.DerivedKeyJwe;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.core.internal.cloud.StrictJwe;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jspecify.annotations.Nullable;

/**
 * {@link EntraCloudClient} against a scripted in-test directory: retries, timeouts, error mapping, discovery,
 * local MFA refusal, strict session-key parsing, and the shape of every message it sends. The keys are the real
 * software provider's; the only test double is {@link CountingDeviceKeys}, which counts what the client asks of
 * the provider.
 */
class EntraCloudClientTest {
  static final String TENANT = "contoso.example";
  static final String TOKEN_PATH = "/" + TENANT + "/oauth2/token";
  static final String DISCOVER_PATH = "/" + TENANT + "/Discover";
  static final String JOIN_PATH = "/EnrollmentServer/device/";
  static final String KEY_PATH = "/EnrollmentServer/key/";
  static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.example");
  static final char[] PIN = "482915".toCharArray();
  static final UUID DEVICE_ID = UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
  static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  TestDirectoryServer server;
  ProviderSession session;
  CountingDeviceKeys keys;
  final AtomicInteger noncesIssued = new AtomicInteger();
  final List<String> noncesServed = new ArrayList<>();
  /** What the token endpoint answers to anything but srv_challenge. */
  final AtomicReference<TestDirectoryServer.Handler> grants =
      new AtomicReference<>(r -> Reply.json(400, "{\"error\":\"unsupported_grant_type\"}"));
  byte[] sessionKey = new byte[32];

  @BeforeEach
  void start() throws Exception {
    server = new TestDirectoryServer();
    session = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("provider"), Clock.systemUTC(),
        Map.of("argon2.memoryKiB", "1024", "argon2.iterations", "1")));
    keys = new CountingDeviceKeys(session.deviceKeys().orElseThrow());
    RANDOM.nextBytes(sessionKey);
    server.on("POST", TOKEN_PATH, this::tokenEndpoint);
  }

  @AfterEach
  void stop() {
    server.close();
    session.close();
    server.assertHandlersSucceeded();
  }

  Reply tokenEndpoint(Request r) throws Exception {
    if ("srv_challenge".equals(r.form().get("grant_type"))) {
      String nonce = "eyJub25jZSI6" + noncesIssued.incrementAndGet() + "." + UUID.randomUUID();
      synchronized (noncesServed) {
        noncesServed.add(nonce);
      }
      return Reply.json(200, "{\"Nonce\":\"" + nonce + "\"}");
    }
    return Objects.requireNonNull(grants.get()).handle(r);
  }

  String lastNonce() {
    synchronized (noncesServed) {
      return noncesServed.get(noncesServed.size() - 1);
    }
  }

  EntraCloudClient.Builder builder() {
    return EntraCloudClient.builder()
        .tenant(TENANT)
        .baseUri(server.base())
        .stateDirectory(dir.resolve("state"))
        .retries(2, Duration.ofMillis(1))
        .connectTimeout(Duration.ofSeconds(5))
        .requestTimeout(Duration.ofSeconds(10))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  EntraCloudClient client() {
    return builder().build();
  }

  static AccessToken token(UserPrincipal user, String... amr) {
    String jwt = b64url("{\"alg\":\"none\"}") + '.' + b64url("{\"aud\":\"" + EntraCloudClient.DRS_RESOURCE
        + "\",\"upn\":\"" + user.upn() + "\"}") + ".c2ln";
    return AccessToken.of(jwt, user, Set.of(amr), NOW.plus(1, ChronoUnit.HOURS));
  }

  static <T> T nn(@Nullable T value) {
    return Objects.requireNonNull(value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> nested(Map<String, Object> json, String name) {
    return (Map<String, Object>) nn(json.get(name));
  }

  static String b64url(String s) {
    return Bytes.of(s.getBytes(StandardCharsets.UTF_8)).toBase64Url();
  }

  static Map<String, Object> json(String text) throws Exception {
    return JSONObjectUtils.parse(text);
  }

  static Map<String, Object> segment(String compact, int index) throws Exception {
    String part = compact.split("\\.", -1)[index];
    return JSONObjectUtils.parse(new String(Bytes.fromBase64Url(part).toByteArray(), StandardCharsets.UTF_8));
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN);
  }

  KeyContainer container() throws Exception {
    try (PooledKey key = session.keySource().generate()) {
      return session.containers().create(
          new ContainerSpec(ContainerId.of("alice"), ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), key, pin());
    }
  }

  /** Routes the join endpoint to issue a certificate for the CSR, and joins. */
  DeviceId join(EntraCloudClient client) throws Exception {
    server.on("POST", JOIN_PATH, r -> {
      String csr = (String) nn(nested(json(r.bodyText()), "CertificateRequest").get("Data"));
      return Reply.json(200, TestDirectoryServer.joinAnswer(server.issue(Base64.getDecoder().decode(csr), DEVICE_ID,
          null)));
    });
    return client.joinDevice(keys, token(ALICE, "pwd"));
  }

  /** A sign-in answer with a session key wrapped for the device's transport key. */
  String m7(String refreshToken, String sessionKeyJwe) {
    String idToken = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + '.'
        + b64url("{\"upn\":\"alice@contoso.example\",\"oid\":\"1234\",\"amr\":[\"ngcmfa\",\"mfa\",\"rsa\"],"
            + "\"iat\":1772359200,\"nested\":{\"x\":1}}") + '.';
    return "{\"token_type\":\"pop\",\"refresh_token\":\"" + refreshToken + "\",\"refresh_token_expires_in\":1209599,"
        + "\"session_key_jwe\":\"" + sessionKeyJwe + "\",\"id_token\":\"" + idToken + "\",\"client_info\":\"e30\"}";
  }

  String goodSessionKeyJwe() throws Exception {
    return StrictJwe.encrypt(new byte[] {0x20}, sessionKey, (RSAPublicKey) keys.transportKey(),
        StrictJwe.KeyAlgorithm.RSA_OAEP);
  }

  /** Joins, creates Alice's container, and signs in against a directory that answers M7 with this body. */
  PrimaryRefreshToken signIn(EntraCloudClient client, String m7) throws Exception {
    join(client);
    KeyContainer c = container();
    grants.set(r -> Reply.json(200, m7));
    return client.signIn(c, pin(), keys);
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class Retries {
    @Test
    void theNonceRequestIsRetriedOnServerErrorsAndThrottling() throws Exception {
      server.onSequence("POST", TOKEN_PATH,
          Reply.text(503, "text/html", "<html>busy</html>"),
          Reply.json(429, "{}").withHeader("Retry-After", "0"),
          Reply.json(200, "{\"Nonce\":\"abc.def\"}"));
      EntraCloudClient client = client();
      assertEquals("abc.def", new String(client.nonce().toByteArray(), StandardCharsets.US_ASCII));
      assertEquals(3, server.count("POST", TOKEN_PATH));
    }

    @Test
    void retriesAreBoundedAndTheLastAnswerIsReported() throws Exception {
      server.onSequence("POST", TOKEN_PATH, Reply.text(502, "text/html", "<html>bad gateway</html>"));
      CloudAuthException e = assertThrows(CloudAuthException.class, () -> client().nonce());
      assertEquals(3, server.count("POST", TOKEN_PATH), "one attempt and two retries");
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertTrue(e.detail().contains("HTTP 502") && e.detail().contains("unavailable"), e.detail());
      assertEquals(Optional.empty(), e.serverCode());
    }

    @Test
    void aLongRetryAfterEndsTheRetries() throws Exception {
      server.onSequence("POST", TOKEN_PATH, Reply.json(503, "{}").withHeader("Retry-After", "3600"));
      assertThrows(CloudAuthException.class, () -> client().nonce());
      assertEquals(1, server.count("POST", TOKEN_PATH));
    }

    @Test
    void clientErrorsAreNotRetried() throws Exception {
      server.onSequence("POST", TOKEN_PATH, Reply.json(400, "{\"error\":\"invalid_request\"}"));
      assertThrows(CloudAuthException.class, () -> client().nonce());
      assertEquals(1, server.count("POST", TOKEN_PATH));
    }

    @Test
    void joinRegistrationSignInAndRenewalAreNeverRetried() throws Exception {
      EntraCloudClient client = client();
      Reply unavailable = Reply.text(503, "text/plain", "down");
      server.on("POST", JOIN_PATH, r -> unavailable);
      assertEquals(ErrorCode.CLOUD_ERROR,
          assertThrows(CloudAuthException.class, () -> client.joinDevice(keys, token(ALICE, "pwd"))).code());
      assertEquals(1, server.count("POST", JOIN_PATH));

      KeyContainer c = container();
      server.on("POST", KEY_PATH, r -> unavailable);
      assertThrows(CloudAuthException.class, () -> client.registerKey(registration(c, token(ALICE, "mfa"))));
      assertEquals(1, server.count("POST", KEY_PATH));

      join(client);
      grants.set(r -> unavailable);
      int before = server.count("POST", TOKEN_PATH);
      assertThrows(CloudAuthException.class, () -> client.signIn(c, pin(), keys));
      assertEquals(before + 2, server.count("POST", TOKEN_PATH), "one nonce and one sign-in request");

      PrimaryRefreshToken prt = new PrimaryRefreshToken("0.prt", ALICE, NOW.plusSeconds(60), handle());
      before = server.count("POST", TOKEN_PATH);
      assertThrows(CloudAuthException.class, () -> client.renew(prt, keys));
      assertEquals(before + 2, server.count("POST", TOKEN_PATH), "one nonce and one renewal request");
    }

    @Test
    void aConnectionFailureIsRetriedForSafeRequestsOnly() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      EntraCloudClient client = builder().baseUri(URI.create("http://127.0.0.1:" + port)).build();
      CloudAuthException nonce = assertThrows(CloudAuthException.class, client::nonce);
      assertEquals(ErrorCode.CLOUD_ERROR, nonce.code());
      assertTrue(nonce.detail().contains("could not connect") && nonce.detail().contains("(3 attempts)"),
          nonce.detail());
      CloudAuthException join = assertThrows(CloudAuthException.class,
          () -> client.joinDevice(keys, token(ALICE, "pwd")));
      assertTrue(join.detail().contains("could not connect") && !join.detail().contains("attempts"), join.detail());
    }
  }

  @Nested
  class Timeouts {
    @Test
    void aServiceThatNeverAnswersTimesOutWithinTheDeadline() throws Exception {
      server.on("POST", TOKEN_PATH, r -> server.hang());
      EntraCloudClient client = builder().requestTimeout(Duration.ofMillis(300)).retries(0, Duration.ZERO).build();
      long start = System.nanoTime();
      CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.detail().contains("timed out"), e.detail());
      assertTrue(elapsedMs >= 250 && elapsedMs < 5000, "elapsed " + elapsedMs + " ms");
    }

    @Test
    void aTimedOutSafeRequestIsRetriedWithinItsBudget() throws Exception {
      server.on("POST", TOKEN_PATH, r -> server.hang());
      EntraCloudClient client = builder().requestTimeout(Duration.ofMillis(300)).retries(2, Duration.ofMillis(1))
          .build();
      long start = System.nanoTime();
      CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(e.detail().contains("timed out") && e.detail().contains("(3 attempts)"), e.detail());
      assertEquals(3, server.count("POST", TOKEN_PATH));
      assertTrue(elapsedMs < 3 * 300 + 4000, "elapsed " + elapsedMs + " ms");
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() throws Exception {
      server.on("POST", TOKEN_PATH, r -> Reply.stalled());
      EntraCloudClient client = builder().requestTimeout(Duration.ofMillis(300)).retries(0, Duration.ZERO).build();
      long start = System.nanoTime();
      CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce);
      assertTrue(e.detail().contains("timed out"), e.detail());
      assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
    }

    @Test
    void aSignInThatTimesOutIsNotSentAgain() throws Exception {
      EntraCloudClient client = builder().requestTimeout(Duration.ofMillis(500)).build();
      join(client);
      KeyContainer c = container();
      grants.set(r -> server.hang());
      int before = server.count("POST", TOKEN_PATH);
      CloudAuthException e = assertThrows(CloudAuthException.class, () -> client.signIn(c, pin(), keys));
      assertTrue(e.detail().contains("timed out"), e.detail());
      assertEquals(before + 2, server.count("POST", TOKEN_PATH), "one nonce and one sign-in request");
    }

    @Test
    void bodiesOverOneMebibyteAreRefused() throws Exception {
      String big = "{\"Nonce\":\"" + "a".repeat(1024 * 1024) + "\"}";
      server.on("POST", TOKEN_PATH, r -> Reply.json(200, big));
      CloudAuthException e = assertThrows(CloudAuthException.class, () -> client().nonce());
      assertTrue(e.detail().contains("larger than 1048576 bytes"), e.detail());
      assertEquals(1, server.count("POST", TOKEN_PATH), "an oversized answer is not retried");
      server.on("POST", TOKEN_PATH, r -> Reply.json(200, big).chunkedBody());
      e = assertThrows(CloudAuthException.class, () -> client().nonce());
      assertTrue(e.detail().contains("larger than 1048576 bytes"), e.detail());
      String justFits = "{\"Nonce\":\"" + "a".repeat(1024 * 1024 - 20) + "\"}";
      server.on("POST", TOKEN_PATH, r -> Reply.json(200, justFits).chunkedBody());
      e = assertThrows(CloudAuthException.class, () -> client().nonce());
      assertTrue(e.detail().contains("Nonce"), "within the limit, refused only for its length: " + e.detail());
    }
  }

  @Nested
  class Discovery {
    @Test
    void failedDiscoveryFallsBackToTheFixedPaths() throws Exception {
      EntraCloudClient client = client();
      EntraEndpoints e = client.discover();
      assertFalse(e.discovered());
      assertEquals(URI.create(server.base() + TOKEN_PATH), e.token());
      assertEquals(URI.create(server.base() + JOIN_PATH), e.deviceJoin());
      assertEquals(URI.create(server.base() + KEY_PATH), e.keyProvisioning());
      assertEquals(URI.create(server.base() + "/EnrollmentServer/nonce/" + TENANT + "/"), e.drsNonce());
      Request d = server.requests("GET", DISCOVER_PATH).get(0);
      assertEquals("api-version=1.9", d.query());
      assertEquals(1, server.count("GET", DISCOVER_PATH), "a 404 is not retried");
      client.nonce();
      assertEquals(1, server.count("POST", TOKEN_PATH));
    }

    @Test
    void discoveryIsRetriedOnServerErrorsThenFallsBack() throws Exception {
      server.onSequence("GET", DISCOVER_PATH, Reply.text(503, "text/plain", "busy"));
      assertFalse(client().discover().discovered());
      assertEquals(3, server.count("GET", DISCOVER_PATH));
    }

    @Test
    void discoveredEndpointsAreUsed() throws Exception {
      String tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
      String b = server.base().toString();
      server.on("GET", DISCOVER_PATH, r -> Reply.json(200, "{"
          + "\"DeviceJoinService\":{\"JoinEndpoint\":\"" + b + "/EnrollmentServer/device/\","
          + "\"JoinResourceId\":\"urn:ms-drs:127.0.0.1\",\"ServiceVersion\":\"2.0\"},"
          + "\"KeyProvisioningService\":{\"KeyProvisionEndpoint\":\"" + b + "/EnrollmentServer/key/\","
          + "\"ServiceVersion\":\"1.0\"},"
          + "\"NonceService\":{\"Endpoint\":\"" + b + "/EnrollmentServer/nonce/" + tenantId + "/\"},"
          + "\"AuthenticationService\":{\"OAuth2\":{\"TokenEndpoint\":\"" + b + "/" + tenantId + "/oauth2/token\"}},"
          + "\"TenantInfo\":{\"TenantId\":\"" + tenantId + "\",\"TenantName\":\"contoso.example\"}}"));
      server.on("POST", "/" + tenantId + "/oauth2/token", this::nonceOnly);
      EntraCloudClient client = client();
      client.nonce();
      assertEquals(1, server.count("POST", "/" + tenantId + "/oauth2/token"));
      assertEquals(0, server.count("POST", TOKEN_PATH));
      EntraEndpoints e = client.discover();
      assertTrue(e.discovered());
      assertEquals(Optional.of(tenantId), e.tenantId());
    }

    Reply nonceOnly(Request r) {
      return Reply.json(200, "{\"Nonce\":\"n1\"}");
    }

    @Test
    void endpointsOnAnotherHostAreNeverTrusted() throws Exception {
      server.on("GET", DISCOVER_PATH, r -> Reply.json(200, "{"
          + "\"DeviceJoinService\":{\"JoinEndpoint\":\"https://evil.example/EnrollmentServer/device/\"},"
          + "\"AuthenticationService\":{\"OAuth2\":{\"TokenEndpoint\":\"https://evil.example/t/oauth2/token\"}}}"));
      EntraCloudClient client = client();
      EntraEndpoints e = client.discover();
      assertFalse(e.discovered());
      assertEquals(server.base().getHost(), e.token().getHost());
      assertEquals(server.base().getHost(), e.deviceJoin().getHost());
    }

    @Test
    void aMalformedAnswerFallsBack() throws Exception {
      server.on("GET", DISCOVER_PATH, r -> Reply.json(200, "{\"DeviceJoinService\":"));
      assertFalse(client().discover().discovered());
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  /** One row of the error table of docs/cloud-service.md. */
  record Row(String stable, long aadsts, int status, ErrorCode expected) {}

  static final List<Row> CONTRACT_TABLE = List.of(
      new Row("invalid_request", 900144, 400, ErrorCode.CLOUD_ERROR),
      new Row("body_too_large", 90002, 413, ErrorCode.CLOUD_ERROR),
      new Row("token_invalid", 50013, 401, ErrorCode.CLOUD_ERROR),
      new Row("invalid_credentials", 50126, 400, ErrorCode.CLOUD_ERROR),
      new Row("mfa_required", 50076, 401, ErrorCode.MFA_REQUIRED),
      new Row("device_required", 50187, 401, ErrorCode.DEVICE_NOT_JOINED),
      new Row("nonce_missing", 1400001, 400, ErrorCode.CLOUD_ERROR),
      new Row("nonce_expired", 50013, 400, ErrorCode.CLOUD_ERROR),
      new Row("nonce_replayed", 50013, 400, ErrorCode.CLOUD_ERROR),
      new Row("nonce_invalid", 50013, 400, ErrorCode.CLOUD_ERROR),
      new Row("device_unknown", 50155, 400, ErrorCode.DEVICE_NOT_JOINED),
      new Row("device_disabled", 135011, 400, ErrorCode.DEVICE_NOT_JOINED),
      new Row("device_signature_invalid", 50155, 400, ErrorCode.CLOUD_ERROR),
      new Row("key_not_registered", 50034, 400, ErrorCode.KEY_NOT_REGISTERED),
      new Row("key_user_mismatch", 50034, 400, ErrorCode.KEY_NOT_REGISTERED),
      new Row("key_device_mismatch", 50034, 400, ErrorCode.KEY_NOT_REGISTERED),
      new Row("assertion_signature_invalid", 50013, 400, ErrorCode.CLOUD_ERROR),
      new Row("assertion_time", 500133, 400, ErrorCode.CLOUD_ERROR),
      new Row("user_disabled", 50057, 400, ErrorCode.CLOUD_ERROR),
      new Row("kdf_v1_rejected", 5000611, 400, ErrorCode.CLOUD_ERROR),
      new Row("session_signature_invalid", 7000016, 400, ErrorCode.CLOUD_ERROR),
      new Row("prt_invalid", 70000, 400, ErrorCode.CLOUD_ERROR),
      new Row("key_conflict", 50034, 409, ErrorCode.REGISTRATION_FAILED),
      new Row("attestation_invalid", 50155, 400, ErrorCode.ATTESTATION_INVALID));

  KeyRegistration registration(KeyContainer c, AccessToken token) {
    return new KeyRegistration(ALICE, c.keyId(), c.publicKey(), token);
  }

  @Nested
  class Errors {
    @Test
    void everyRowOfTheContractTableInTheOAuthForm() throws Exception {
      AtomicReference<Row> row = new AtomicReference<>();
      server.on("POST", TOKEN_PATH, r -> {
        Row x = nn(row.get());
        return Reply.json(x.status(), "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS" + x.aadsts()
            + ": something was refused. Trace ID: 0a1b2c3d-1111-2222-3333-444455556666\",\"error_codes\":["
            + x.aadsts() + "],\"suberror\":\"" + x.stable() + "\",\"trace_id\":\"t-1\",\"correlation_id\":\"c-1\","
            + "\"timestamp\":\"2026-11-22 05:00:00Z\"}");
      });
      EntraCloudClient client = client();
      for (Row x : CONTRACT_TABLE) {
        row.set(x);
        CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce, x.stable());
        assertEquals(x.expected(), e.code(), x.stable());
        assertEquals(Optional.of("AADSTS" + x.aadsts()), e.serverCode(), x.stable());
        assertTrue(e.detail().contains(x.stable()) && e.detail().contains("HTTP " + x.status()), e.detail());
        assertFalse(e.remedy().isBlank());
      }
    }

    @Test
    void everyRowOfTheContractTableInTheDrsForm() throws Exception {
      KeyContainer c = container();
      AtomicReference<Row> row = new AtomicReference<>();
      server.on("POST", KEY_PATH, r -> Reply.json(nn(row.get()).status(), "{\"ErrorType\":\"Error\",\"Message\":"
          + "\"refused\",\"TraceId\":\"t-2\",\"code\":\"" + nn(row.get()).stable() + "\"}"));
      EntraCloudClient client = client();
      for (Row x : CONTRACT_TABLE) {
        row.set(x);
        CloudAuthException e = assertThrows(CloudAuthException.class,
            () -> client.registerKey(registration(c, token(ALICE, "pwd", "mfa"))), x.stable());
        assertEquals(x.expected(), e.code(), x.stable());
        assertEquals(Optional.of(x.stable()), e.serverCode(), x.stable());
        assertTrue(e.detail().contains("t-2"), e.detail());
      }
    }

    @Test
    void entraCodesWithoutAStableCodeMapByNumber() throws Exception {
      Map<String, ErrorCode> cases = Map.of(
          "{\"error\":\"interaction_required\",\"error_codes\":[50076]}", ErrorCode.MFA_REQUIRED,
          "{\"error\":\"invalid_grant\",\"error_codes\":[50155]}", ErrorCode.DEVICE_NOT_JOINED,
          "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS135011: Device is disabled.\"}",
          ErrorCode.DEVICE_NOT_JOINED,
          "{\"error\":\"invalid_grant\",\"error_codes\":[50034]}", ErrorCode.KEY_NOT_REGISTERED,
          "{\"error\":\"invalid_grant\",\"error_codes\":[5000611]}", ErrorCode.CLOUD_ERROR,
          "{\"error\":\"invalid_grant\",\"error_codes\":[99999]}", ErrorCode.CLOUD_ERROR,
          "{\"error\":\"invalid_grant\",\"error_codes\":[50155],\"suberror\":\"consent_required\"}",
          ErrorCode.DEVICE_NOT_JOINED);
      AtomicReference<String> body = new AtomicReference<>();
      server.on("POST", TOKEN_PATH, r -> Reply.json(400, nn(body.get())));
      EntraCloudClient client = client();
      for (Map.Entry<String, ErrorCode> c : cases.entrySet()) {
        body.set(c.getKey());
        CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce);
        assertEquals(c.getValue(), e.code(), c.getKey());
        assertTrue(e.serverCode().orElseThrow().startsWith("AADSTS"), c.getKey());
      }
      body.set("{\"error\":\"invalid_grant\",\"error_codes\":[5000611]}");
      CloudAuthException kdf = assertThrows(CloudAuthException.class, client::nonce);
      assertTrue(kdf.remedy().contains("kdfVersion(2)"), kdf.remedy());
      body.set("{\"error\":\"invalid_grant\",\"error_codes\":[99999]}");
      assertEquals(Optional.of("AADSTS99999"), assertThrows(CloudAuthException.class, client::nonce).serverCode());
    }

    @Test
    void aConflictByNumberAloneIsARegistrationFailure() throws Exception {
      KeyContainer c = container();
      server.on("POST", KEY_PATH, r -> Reply.json(409, "{\"ErrorType\":\"Conflict\",\"Message\":\"AADSTS50034: "
          + "the key exists\"}"));
      CloudAuthException e = assertThrows(CloudAuthException.class,
          () -> client().registerKey(registration(c, token(ALICE, "mfa"))));
      assertEquals(ErrorCode.REGISTRATION_FAILED, e.code());
      assertEquals(Optional.of("AADSTS50034"), e.serverCode());
    }

    @Test
    void bodiesThatAreNotErrorJsonAreServiceUnavailableWithTheStatus() throws Exception {
      EntraCloudClient client = builder().retries(0, Duration.ZERO).build();
      server.on("POST", TOKEN_PATH, r -> Reply.text(502, "text/html", "<html><body>Bad gateway</body></html>"));
      CloudAuthException e = assertThrows(CloudAuthException.class, client::nonce);
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertTrue(e.detail().contains("unavailable") && e.detail().contains("HTTP 502"), e.detail());
      server.on("POST", TOKEN_PATH, r -> Reply.json(404, "{\"unrelated\":true}"));
      e = assertThrows(CloudAuthException.class, client::nonce);
      assertTrue(e.detail().contains("HTTP 404"), e.detail());
      server.on("POST", TOKEN_PATH, r -> Reply.empty(302).withHeader("Location", "https://elsewhere.example/"));
      e = assertThrows(CloudAuthException.class, client::nonce);
      assertTrue(e.detail().contains("redirect"), e.detail());
    }

    @Test
    void detailsNeverCarryTokens() throws Exception {
      KeyContainer c = container();
      AccessToken token = token(ALICE, "mfa");
      String jwtLike = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
      server.on("POST", KEY_PATH, r -> Reply.json(401, "{\"ErrorType\":\"AuthenticationError\",\"Message\":"
          + "\"Invalid JWT token " + token.value() + " and " + jwtLike + "\\u0007\",\"code\":\"token_invalid\"}"));
      CloudAuthException e = assertThrows(CloudAuthException.class,
          () -> client().registerKey(registration(c, token)));
      assertFalse(e.getMessage().contains(token.value()), e.getMessage());
      assertFalse(e.getMessage().contains(jwtLike), e.getMessage());
      assertFalse(e.getMessage().contains("\u0007"));
      assertTrue(e.getMessage().contains("[redacted]"), e.getMessage());
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class Registration {
    @Test
    void aTokenWithoutMfaIsRefusedLocallyWithoutAnyRequest() throws Exception {
      KeyContainer c = container();
      PolicyException e = assertThrows(PolicyException.class,
          () -> client().registerKey(registration(c, token(ALICE, "pwd"))));
      assertEquals(ErrorCode.MFA_REQUIRED, e.code());
      assertTrue(e.remedy().contains("ngcmfa"), e.remedy());
      assertEquals(List.of(), server.requests(), "not even discovery");
    }

    @Test
    void anotherUsersTokenIsRefusedLocally() throws Exception {
      KeyContainer c = container();
      NgcException e = assertThrows(NgcException.class,
          () -> client().registerKey(registration(c, token(UserPrincipal.of("bob@contoso.example"), "ngcmfa"))));
      assertEquals(ErrorCode.REGISTRATION_FAILED, e.code());
      assertEquals(List.of(), server.requests());
    }

    @Test
    void aTokenForAnotherAudienceIsRefusedLocally() throws Exception {
      KeyContainer c = container();
      String jwt = b64url("{\"alg\":\"none\"}") + '.' + b64url("{\"aud\":\"https://graph.microsoft.com\"}") + ".x";
      AccessToken graph = AccessToken.of(jwt, ALICE, Set.of("mfa"), NOW.plusSeconds(600));
      NgcException e = assertThrows(NgcException.class, () -> client().registerKey(registration(c, graph)));
      assertTrue(e.detail().contains("graph.microsoft.com"), e.detail());
      assertEquals(List.of(), server.requests());
    }

    @Test
    void registersTheKeyAsAnRsa1Blob() throws Exception {
      KeyContainer c = container();
      byte[] blob = Rsa1KeyBlob.encode((RSAPublicKey) c.publicKey());
      String keyIdentifier = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
      server.on("POST", KEY_PATH, r -> Reply.json(200, "{\"kid\":\"" + UUID.randomUUID() + "\",\"upn\":\""
          + ALICE.upn() + "\",\"keyIdentifier\":\"" + keyIdentifier + "\"}"));
      AccessToken token = token(ALICE, "pwd", "ngcmfa");
      client().registerKey(registration(c, token));
      Request r = server.requests("POST", KEY_PATH).get(0);
      assertEquals("api-version=1.0", r.query());
      assertEquals("Bearer " + token.value(), r.header("Authorization"));
      Map<String, Object> body = json(r.bodyText());
      assertEquals(Set.of("kngc"), body.keySet());
      String kngc = (String) body.get("kngc");
      assertArrayEquals(blob, Base64.getDecoder().decode(kngc), "standard base64 with padding of the RSA1 blob");
      assertEquals(kngc, Base64.getEncoder().encodeToString(blob));
    }

    @Test
    void anAnswerNamingAnotherKeyIsAFailure() throws Exception {
      KeyContainer c = container();
      server.on("POST", KEY_PATH, r -> Reply.json(200, "{\"kid\":\"x\",\"keyIdentifier\":\""
          + Base64.getEncoder().encodeToString(new byte[32]) + "\"}"));
      assertEquals(ErrorCode.REGISTRATION_FAILED, assertThrows(NgcException.class,
          () -> client().registerKey(registration(c, token(ALICE, "mfa")))).code());
    }

    @Test
    void withdrawalDeletesByKeyIdAndTreatsNotFoundAsDone() throws Exception {
      KeyId id = KeyId.of(container().publicKey());
      String path = KEY_PATH + id.toBase64Url();
      server.onSequence("DELETE", path, Reply.empty(204), Reply.json(404, "{\"ErrorType\":\"NotFound\"}"),
          Reply.json(403, "{\"ErrorType\":\"AuthorizationError\",\"Message\":\"not yours\",\"code\":\"token_invalid\"}"));
      EntraCloudClient client = client();
      AccessToken token = token(ALICE, "pwd");
      client.unregisterKey(ALICE, id, token);
      client.unregisterKey(ALICE, id, token);
      CloudAuthException e = assertThrows(CloudAuthException.class, () -> client.unregisterKey(ALICE, id, token));
      assertEquals(Optional.of("token_invalid"), e.serverCode());
      assertEquals(3, server.count("DELETE", path));
      assertEquals("api-version=1.0", server.requests("DELETE", path).get(0).query());
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class Join {
    @Test
    void joinSendsASignedCsrAndTheTransportKeyAndStoresTheCertificate() throws Exception {
      EntraCloudClient client = builder().deviceDisplayName("DESKTOP-AB12CD34").deviceType("Linux")
          .osVersion("6.1.0").build();
      assertEquals(Optional.empty(), client.joinedDevice());
      assertEquals(new DeviceId(DEVICE_ID), join(client));
      Request r = server.requests("POST", JOIN_PATH).get(0);
      assertEquals("api-version=2.0", r.query());
      assertEquals("Bearer " + token(ALICE, "pwd").value(), r.header("Authorization"));
      Map<String, Object> body = json(r.bodyText());
      assertEquals(Set.of("CertificateRequest", "TransportKey", "TargetDomain", "DeviceType", "OSVersion",
          "DeviceDisplayName", "JoinType", "Attributes"), body.keySet());
      assertEquals(0L, body.get("JoinType"));
      assertEquals("DESKTOP-AB12CD34", body.get("DeviceDisplayName"));
      assertEquals("pkcs10", nested(body, "CertificateRequest").get("Type"));
      byte[] transportBlob = Base64.getDecoder().decode((String) body.get("TransportKey"));
      assertEquals(keys.transportKey(), Rsa1KeyBlob.decode(transportBlob));
      assertEquals(283, transportBlob.length);

      JoinedDevice joined = client.joinedDevice().orElseThrow();
      assertEquals(keys.deviceKey(), joined.certificate().getPublicKey());
      Path file = dir.resolve("state").resolve(DeviceState.FILE);
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
      }
      assertEquals(joined.deviceId(), client().joinedDevice().orElseThrow().deviceId(), "read back by a new client");
    }

    @Test
    void aCertificateForAnotherKeyIsRefusedAndNothingIsStored() throws Exception {
      server.on("POST", JOIN_PATH, r -> {
        String csr = (String) nn(nested(json(r.bodyText()), "CertificateRequest").get("Data"));
        return Reply.json(200, TestDirectoryServer.joinAnswer(server.issue(Base64.getDecoder().decode(csr),
            DEVICE_ID, keys.transportKey())));
      });
      EntraCloudClient client = client();
      NgcException e = assertThrows(NgcException.class, () -> client.joinDevice(keys, token(ALICE, "pwd")));
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertTrue(e.detail().contains("not for this device key"), e.detail());
      assertEquals(Optional.empty(), client.joinedDevice());
      assertFalse(Files.exists(dir.resolve("state").resolve(DeviceState.FILE)));
    }

    @Test
    void signInNeedsAJoinedDevice() throws Exception {
      KeyContainer c = container();
      NgcException e = assertThrows(NgcException.class, () -> client().signIn(c, pin(), keys));
      assertEquals(ErrorCode.DEVICE_NOT_JOINED, e.code());
      assertEquals(List.of(), server.requests());
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class SignInMessages {
    @Test
    void theOuterAndInnerJwtHaveTheDocumentedShape() throws Exception {
      EntraCloudClient client = client();
      PrimaryRefreshToken prt = signIn(client, m7("0.AXYZ-prt", goodSessionKeyJwe()));
      assertEquals(1, noncesIssued.get(), "one fresh nonce for both JWTs");
      String nonce = lastNonce();
      List<Request> token = server.requests("POST", TOKEN_PATH);
      Map<String, String> form = token.get(token.size() - 1).form();
      assertEquals(Set.of("windows_api_version", "grant_type", "request", "client_info"), form.keySet());
      assertEquals("2.0", form.get("windows_api_version"));
      assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
      assertEquals("1", form.get("client_info"));

      String outer = nn(form.get("request"));
      assertUnpaddedBase64UrlSegments(outer);
      Map<String, Object> oh = segment(outer, 0);
      assertEquals(Set.of("alg", "typ", "x5c", "kdf_ver"), oh.keySet());
      assertEquals("RS256", oh.get("alg"));
      assertEquals("JWT", oh.get("typ"));
      assertEquals(2L, oh.get("kdf_ver"), "an integer");
      List<?> x5c = (List<?>) nn(oh.get("x5c"));
      assertEquals(1, x5c.size());
      assertArrayEquals(client.joinedDevice().orElseThrow().certificate().getEncoded(),
          Base64.getDecoder().decode((String) x5c.get(0)), "standard base64 DER of the device certificate");
      assertTrue(verifies(keys.deviceKey(), outer), "signed with the device key");

      Map<String, Object> op = segment(outer, 1);
      assertEquals(Set.of("client_id", "request_nonce", "scope", "grant_type", "assertion", "username"), op.keySet());
      assertEquals(EntraCloudClient.BROKER_CLIENT_ID, op.get("client_id"));
      assertEquals(nonce, op.get("request_nonce"));
      assertEquals("openid aza ugs", op.get("scope"));
      assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", op.get("grant_type"));
      assertEquals("alice@contoso.example", op.get("username"));

      String inner = (String) nn(op.get("assertion"));
      assertUnpaddedBase64UrlSegments(inner);
      Map<String, Object> ih = segment(inner, 0);
      assertEquals(Set.of("typ", "alg", "kid", "use"), ih.keySet());
      assertEquals("JWT", ih.get("typ"));
      assertEquals("RS256", ih.get("alg"));
      assertEquals("ngc", ih.get("use"));
      PublicKey userKey = session.containers().open(ContainerId.of("alice")).publicKey();
      byte[] blob = Rsa1KeyBlob.encode((RSAPublicKey) userKey);
      String kid = (String) nn(ih.get("kid"));
      assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob)), kid);
      assertTrue(kid.endsWith("=") && kid.length() == 44, "standard base64 with padding: " + kid);
      assertTrue(verifies(userKey, inner), "signed with the user's key");
      Map<String, Object> ip = segment(inner, 1);
      assertEquals(Set.of("iss", "aud", "iat", "exp", "request_nonce", "scope"), ip.keySet());
      assertEquals("alice@contoso.example", ip.get("iss"));
      assertEquals("common", ip.get("aud"));
      assertEquals(NOW.getEpochSecond(), ip.get("iat"));
      assertEquals(NOW.getEpochSecond() + 300, ip.get("exp"));
      assertEquals(nonce, ip.get("request_nonce"), "the same nonce inside and outside");
      assertEquals("openid aza ugs", ip.get("scope"));

      assertEquals("0.AXYZ-prt", prt.token());
      assertEquals(ALICE, prt.user());
      assertEquals(NOW, prt.issuedAt());
      assertEquals(NOW.plusSeconds(1209599), prt.expiresAt());
      assertEquals(List.of("ngcmfa", "mfa", "rsa"), prt.authenticationMethods());
      assertTrue(prt.hasMfaClaim());
      assertEquals("1234", prt.claims().get("oid"));
      assertEquals("1772359200", prt.claims().get("iat"));
      assertFalse(prt.claims().containsKey("nested"));
      assertEquals(1, keys.unwraps.get());
    }

    @Test
    void kdfVersionOneLeavesKdfVerOut() throws Exception {
      signIn(builder().kdfVersion(1).build(), m7("0.A", goodSessionKeyJwe()));
      List<Request> token = server.requests("POST", TOKEN_PATH);
      assertFalse(segment(nn(token.get(token.size() - 1).form().get("request")), 0).containsKey("kdf_ver"));
    }

    @Test
    void theDeviceCredentialIsSignedByTheDeviceKey() throws Exception {
      EntraCloudClient client = client();
      join(client);
      String credential = client.deviceCredential(keys);
      assertUnpaddedBase64UrlSegments(credential);
      Map<String, Object> h = segment(credential, 0);
      assertEquals(Set.of("alg", "typ", "x5c"), h.keySet());
      assertEquals("RS256", h.get("alg"));
      Map<String, Object> p = segment(credential, 1);
      assertEquals(Map.of("grant_type", "device_auth", "iss", "aad:brokerplugin", "request_nonce", lastNonce()), p);
      assertTrue(verifies(keys.deviceKey(), credential));
    }
  }

  static void assertUnpaddedBase64UrlSegments(String compact) {
    String[] parts = compact.split("\\.", -1);
    assertEquals(3, parts.length);
    for (String p : parts) {
      assertTrue(p.matches("[A-Za-z0-9_-]+"), "unpadded base64url: " + p);
      Bytes.fromBase64Url(p);
    }
  }

  static boolean verifies(PublicKey key, String compact) throws Exception {
    int dot = compact.lastIndexOf('.');
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(compact.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
    return v.verify(Bytes.fromBase64Url(compact.substring(dot + 1)).toByteArray());
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class StrictSessionKey {
    String header(String json) {
      return b64url(json);
    }

    @Test
    void malformedSessionKeyJwesAreRefusedBeforeTheProviderSeesThem() throws Exception {
      EntraCloudClient client = client();
      join(client);
      KeyContainer c = container();
      String good = goodSessionKeyJwe();
      String[] p = good.split("\\.", -1);
      String rest = "." + p[1] + "." + p[2] + "." + p[3] + "." + p[4];
      Map<String, String> bad = new java.util.LinkedHashMap<>();
      bad.put("extra header member kid", header("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"kid\":\"k\"}") + rest);
      bad.put("zip", header("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"zip\":\"DEF\"}") + rest);
      bad.put("alg RSA1_5", header("{\"enc\":\"A256GCM\",\"alg\":\"RSA1_5\"}") + rest);
      bad.put("alg none", header("{\"enc\":\"A256GCM\",\"alg\":\"none\"}") + rest);
      bad.put("alg dir", header("{\"enc\":\"A256GCM\",\"alg\":\"dir\"}") + rest);
      bad.put("alg lower case", header("{\"enc\":\"A256GCM\",\"alg\":\"rsa-oaep\"}") + rest);
      bad.put("enc A128GCM", header("{\"enc\":\"A128GCM\",\"alg\":\"RSA-OAEP\"}") + rest);
      bad.put("enc missing", header("{\"alg\":\"RSA-OAEP\"}") + rest);
      bad.put("alg a number", header("{\"enc\":\"A256GCM\",\"alg\":1}") + rest);
      bad.put("duplicate alg", header("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}") + rest);
      bad.put("header an array", header("[\"RSA-OAEP\"]") + rest);
      bad.put("padding", p[0] + "." + p[1] + "=." + p[2] + "." + p[3] + "." + p[4]);
      bad.put("standard alphabet", p[0] + ".+" + p[1].substring(1) + "." + p[2] + "." + p[3] + "." + p[4]);
      bad.put("white space", p[0] + ". " + p[1] + "." + p[2] + "." + p[3] + "." + p[4]);
      bad.put("four segments", p[0] + "." + p[1] + "." + p[2] + "." + p[3]);
      bad.put("six segments", good + ".AA");
      bad.put("empty encrypted key", p[0] + ".." + p[2] + "." + p[3] + "." + p[4]);
      bad.put("16-byte IV", p[0] + "." + p[1] + "." + Bytes.of(new byte[16]).toBase64Url() + "." + p[3] + "." + p[4]);
      bad.put("12-byte tag", p[0] + "." + p[1] + "." + p[2] + "." + p[3] + "." + Bytes.of(new byte[12]).toBase64Url());
      for (Map.Entry<String, String> b : bad.entrySet()) {
        grants.set(r -> Reply.json(200, m7("0.A", b.getValue())));
        NgcException e = assertThrows(NgcException.class, () -> client.signIn(c, pin(), keys), b.getKey());
        assertEquals(ErrorCode.CLOUD_ERROR, e.code(), b.getKey());
        assertEquals(Jose.SESSION_KEY_JWE_MALFORMED, e.detail(), b.getKey());
      }
      assertEquals(0, keys.unwraps.get(), "no malformed envelope reaches the provider");
    }

    @Test
    void aTamperedButWellFormedEnvelopeFailsInTheProviderOpaquely() throws Exception {
      String[] p = goodSessionKeyJwe().split("\\.", -1);
      byte[] tag = Bytes.fromBase64Url(p[4]).toByteArray();
      tag[0] ^= 1;
      String tampered = p[0] + "." + p[1] + "." + p[2] + "." + p[3] + "." + Bytes.of(tag).toBase64Url();
      NgcException e = assertThrows(NgcException.class, () -> signIn(client(), m7("0.A", tampered)));
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertEquals(1, keys.unwraps.get());
      assertSame(NgcException.class, e.getClass());
    }

    @Test
    void rsaOaep256IsAccepted() throws Exception {
      String jwe = StrictJwe.encrypt(new byte[] {0x20}, sessionKey, (RSAPublicKey) keys.transportKey(),
          StrictJwe.KeyAlgorithm.RSA_OAEP_256);
      assertNotNull(signIn(client(), m7("0.A", jwe)));
    }

    @Test
    void missingOrMalformedFieldsAreRefused() throws Exception {
      EntraCloudClient client = client();
      join(client);
      KeyContainer c = container();
      String jwe = goodSessionKeyJwe();
      for (String body : List.of(
          "{\"refresh_token\":\"0.A\",\"session_key_jwe\":\"" + jwe + "\"}",
          "{\"refresh_token\":\"0.A\",\"refresh_token_expires_in\":-5,\"session_key_jwe\":\"" + jwe + "\"}",
          "{\"refresh_token\":\"\",\"refresh_token_expires_in\":100,\"session_key_jwe\":\"" + jwe + "\"}",
          "{\"refresh_token\":\"0.A\",\"refresh_token_expires_in\":100}",
          "not json")) {
        grants.set(r -> Reply.json(200, body));
        NgcException e = assertThrows(NgcException.class, () -> client.signIn(c, pin(), keys), body);
        assertEquals(ErrorCode.CLOUD_ERROR, e.code(), body);
        assertFalse(e.getMessage().contains(jwe));
      }
      grants.set(r -> Reply.json(200, "{\"refresh_token\":\"0.A\",\"refresh_token_expires_in\":\"86400\","
          + "\"session_key_jwe\":\"" + jwe + "\"}"));
      PrimaryRefreshToken prt = client.signIn(c, pin(), keys);
      assertEquals(NOW.plusSeconds(86400), prt.expiresAt(), "a string of digits is accepted");
      assertEquals(List.of(), prt.authenticationMethods(), "no id_token: no claims");
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  SessionKeyHandle handle() throws Exception {
    SessionKeyEnvelope envelope = Jose.sessionKeyEnvelope(goodSessionKeyJwe());
    return keys.unwrapSessionKey(envelope);
  }

  @Nested
  class Renewal {
    /** Verifies the HS256 request as the service does and answers with an encrypted M7-like JSON. */
    Reply renewal(Request r, boolean requireV2, DerivedKeyJwe.Form form, String extra) throws Exception {
      DerivedKeyJws.Verified v = DerivedKeyJws.verify(nn(r.form().get("request")), sessionKey, requireV2);
      Map<String, Object> p = json(new String(v.payload(), StandardCharsets.UTF_8));
      assertEquals("refresh_token", p.get("grant_type"));
      assertEquals("0.old", p.get("refresh_token"));
      assertEquals("aad:brokerplugin", p.get("iss"));
      assertEquals(lastNonce(), p.get("request_nonce"));
      assertEquals("2.2", r.form().get("windows_api_version"));
      String answer = "{\"token_type\":\"pop\",\"refresh_token\":\"0.new\",\"refresh_token_expires_in\":1000" + extra
          + "}";
      return Reply.text(200, "application/jose", DerivedKeyJwe.encrypt(answer.getBytes(StandardCharsets.UTF_8),
          sessionKey, form));
    }

    @Test
    void renewalSignsWithKdfV2ThroughTheHandleAndKeepsTheSessionKey() throws Exception {
      EntraCloudClient client = client();
      SessionKeyHandle h = handle();
      PrimaryRefreshToken old = new PrimaryRefreshToken("0.old", ALICE, NOW.plusSeconds(10), h, NOW.minusSeconds(60),
          List.of("ngcmfa"), Map.of("oid", "1"));
      grants.set(r -> renewal(r, true, DerivedKeyJwe.Form.GCM, ""));
      PrimaryRefreshToken renewed = client.renew(old, keys);
      assertEquals("0.new", renewed.token());
      assertSame(h, renewed.sessionKey());
      assertEquals(NOW.plusSeconds(1000), renewed.expiresAt());
      assertEquals(List.of("ngcmfa"), renewed.authenticationMethods(), "kept without an id_token");
      assertEquals(Map.of("oid", "1"), renewed.claims());
      String request = nn(server.requests("POST", TOKEN_PATH).get(server.count("POST", TOKEN_PATH) - 1).form()
          .get("request"));
      Map<String, Object> header = segment(request, 0);
      assertEquals(Set.of("alg", "typ", "ctx", "kdf_ver"), header.keySet());
      assertEquals(24, Base64.getDecoder().decode((String) header.get("ctx")).length, "24 random bytes, std base64");
    }

    @Test
    void kdfVersionOneSignsWithTheRawCtx() throws Exception {
      AtomicReference<DerivedKeyJws.KdfVersion> seen = new AtomicReference<>();
      grants.set(r -> {
        seen.set(DerivedKeyJws.verify(nn(r.form().get("request")), sessionKey, false).kdfVersion());
        return renewal(r, false, DerivedKeyJwe.Form.GCM, "");
      });
      builder().kdfVersion(1).build().renew(new PrimaryRefreshToken("0.old", ALICE, NOW, handle()), keys);
      assertEquals(DerivedKeyJws.KdfVersion.V1, seen.get());
    }

    @Test
    void cbcResponsesOnlyWhenAllowed() throws Exception {
      PrimaryRefreshToken old = new PrimaryRefreshToken("0.old", ALICE, NOW, handle());
      grants.set(r -> renewal(r, true, DerivedKeyJwe.Form.CBC, ""));
      NgcException e = assertThrows(NgcException.class, () -> client().renew(old, keys));
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertEquals("0.new", builder().allowCbcResponses(true).build().renew(old, keys).token());
    }

    @Test
    void plainJsonAndForeignKeysAreRefused() throws Exception {
      PrimaryRefreshToken old = new PrimaryRefreshToken("0.old", ALICE, NOW, handle());
      grants.set(r -> Reply.json(200, "{\"refresh_token\":\"0.new\",\"refresh_token_expires_in\":1000}"));
      assertEquals(ErrorCode.CLOUD_ERROR, assertThrows(NgcException.class, () -> client().renew(old, keys)).code());
      byte[] other = new byte[32];
      grants.set(r -> Reply.text(200, "application/jose", DerivedKeyJwe.encrypt(
          "{\"refresh_token\":\"0.new\"}".getBytes(StandardCharsets.UTF_8), other, DerivedKeyJwe.Form.GCM)));
      assertEquals(ErrorCode.CLOUD_ERROR, assertThrows(NgcException.class, () -> client().renew(old, keys)).code());
    }

    @Test
    void theIdTokenOfTheAnswerReplacesTheClaims() throws Exception {
      PrimaryRefreshToken old = new PrimaryRefreshToken("0.old", ALICE, NOW.plusSeconds(5), handle());
      String idToken = b64url("{\"alg\":\"none\"}") + "." + b64url("{\"amr\":[\"mfa\"],\"upn\":\"alice\"}") + ".";
      grants.set(r -> renewal(r, true, DerivedKeyJwe.Form.GCM, ",\"id_token\":\"" + idToken + "\""));
      PrimaryRefreshToken renewed = client().renew(old, keys);
      assertEquals(List.of("mfa"), renewed.authenticationMethods());
      assertEquals("alice", renewed.claims().get("upn"));
    }

    @Test
    void theCookieIsAKdfV2Hs256JwtWithThePrtAndAFreshNonce() throws Exception {
      PrimaryRefreshToken prt = new PrimaryRefreshToken("0.prt", ALICE, NOW, handle());
      String cookie = client().prtCookie(prt);
      DerivedKeyJws.Verified v = DerivedKeyJws.verify(cookie, sessionKey, true);
      assertEquals(Map.of("refresh_token", "0.prt", "is_primary", "true", "request_nonce", lastNonce()),
          json(new String(v.payload(), StandardCharsets.UTF_8)));
      assertNotEquals(cookie, client().prtCookie(prt), "fresh nonce and ctx every time");
    }

    @Test
    void aClosedHandleCannotSign() throws Exception {
      SessionKeyHandle h = handle();
      h.close();
      PrimaryRefreshToken prt = new PrimaryRefreshToken("0.prt", ALICE, NOW, h);
      assertThrows(IllegalStateException.class, () -> client().prtCookie(prt));
    }
  }

  // ------------------------------------------------------------------------------------------------------------------

  @Nested
  class Building {
    @Test
    void plainHttpOnlyToLoopback() {
      assertThrows(IllegalArgumentException.class,
          () -> EntraCloudClient.builder().authority(URI.create("http://login.example")));
      assertThrows(IllegalArgumentException.class,
          () -> EntraCloudClient.builder().registrationService(URI.create("https://drs.example/?x=1")));
      EntraCloudClient.builder().baseUri(URI.create("http://localhost:8080/"));
      EntraCloudClient.builder().baseUri(URI.create("https://127.0.0.1:8443"));
    }

    @Test
    void tenantAndStateDirectoryAreRequired() {
      assertThrows(IllegalStateException.class, () -> EntraCloudClient.builder().tenant(TENANT).build());
      assertThrows(IllegalStateException.class, () -> EntraCloudClient.builder().stateDirectory(dir).build());
      assertThrows(IllegalArgumentException.class, () -> EntraCloudClient.builder().tenant("../x"));
      assertThrows(IllegalArgumentException.class, () -> EntraCloudClient.builder().kdfVersion(3));
      assertThrows(IllegalArgumentException.class, () -> EntraCloudClient.builder().clientId("broker"));
    }

    @Test
    void toStringNamesNoSecrets() {
      String s = client().toString();
      assertTrue(s.contains(TENANT) && s.contains("V2"), s);
    }
  }

  /** The one test double: the real software device keys, counting what the client asks of them. */
  static final class CountingDeviceKeys implements DeviceKeys {
    final DeviceKeys real;
    final AtomicInteger unwraps = new AtomicInteger();
    final AtomicInteger signatures = new AtomicInteger();

    CountingDeviceKeys(DeviceKeys real) {
      this.real = real;
    }

    @Override
    public PublicKey deviceKey() throws NgcException {
      return real.deviceKey();
    }

    @Override
    public byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
      signatures.incrementAndGet();
      return real.signWithDeviceKey(algorithm, message);
    }

    @Override
    public PublicKey transportKey() throws NgcException {
      return real.transportKey();
    }

    @Override
    public SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException {
      unwraps.incrementAndGet();
      return real.unwrapSessionKey(envelope);
    }
  }
}
