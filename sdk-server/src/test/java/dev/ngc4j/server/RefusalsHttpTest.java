package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertDrs;
import static dev.ngc4j.server.ErrorBodies.assertOAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal row of the contract table over real HTTPS (embedded database): the HTTP status, the stable code,
 * the AADSTS number, and an unchanged directory digest.
 */
final class RefusalsHttpTest {
  private static final String BOB = "bob@contoso.example";
  private static final String BOB_PASSWORD = "B0b-password";
  @TempDir static Path dataDir;
  private static Fixture fx;
  private static Fixture.Enrolled alice;
  private static WireClient.Device aliceSecondDevice;
  private static WireClient client;
  private static final String T = Fixture.DOMAIN;

  private String before = "";

  @BeforeAll
  static void start() throws Exception {
    fx = Fixture.https(dataDir, b -> {});
    client = fx.client;
    fx.service.createUser(T, BOB, "Bob", BOB_PASSWORD.toCharArray(), Fixture.MFA.toCharArray());
    alice = fx.enroll();
    aliceSecondDevice = client.join(client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @BeforeEach
  void noteDigest() throws Exception {
    before = fx.digest();
  }

  @AfterEach
  void directoryIsUnchanged() throws Exception {
    assertEquals(before, fx.digest(), "a refusal changed the directory");
  }

  private WireClient.SignIn signIn() {
    return client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T), client.nonce(T));
  }

  // ---- invalid_request / body_too_large ----------------------------------------------------------------------

  @Test
  void aTokenRequestWithoutGrantTypeIsInvalidRequest() {
    assertOAuth(client.form("/" + T + "/oauth2/token", Map.of("foo", "bar")), 400, "invalid_request", 900144);
  }

  @Test
  void aBrokenPercentEscapeIsInvalidRequest() {
    Response r = client.send("POST", "/" + T + "/oauth2/token",
        Map.of("Content-Type", "application/x-www-form-urlencoded"), "grant_type=%zz".getBytes(StandardCharsets.UTF_8));
    assertOAuth(r, 400, "invalid_request", 900144);
  }

  @Test
  void aRequestThatIsNotACompactJwtIsInvalidRequest() {
    Response r = client.form("/" + T + "/oauth2/token",
        Map.of("grant_type", WireClient.JWT_BEARER, "request", "not.a.jwt"));
    assertOAuth(r, 400, "invalid_request", 900144);
  }

  @Test
  void aJoinBodyWithAnUnknownMemberIsInvalidRequest() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    KeyPair k = WireClient.rsa();
    Map<String, Object> body = new LinkedHashMap<>(WireClient.joinBody(k, k, 0));
    body.put("Surprise", "x");
    assertDrs(client.joinRaw(token, body), 400, "invalid_request");
  }

  @Test
  void aJoinWithACsrSignedByAnotherKeyIsInvalidRequest() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    KeyPair k = WireClient.rsa();
    Map<String, Object> body = new LinkedHashMap<>(WireClient.joinBody(k, k, 0));
    byte[] csr = WireClient.csr(k);
    csr[csr.length - 5] ^= 1;
    body.put("CertificateRequest", Map.of("Type", "pkcs10", "Data", Base64.getEncoder().encodeToString(csr)));
    assertDrs(client.joinRaw(token, body), 400, "invalid_request");
  }

  @Test
  void anOversizedBodyIs413() {
    byte[] big = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    Response r = client.send("POST", "/" + T + "/oauth2/token",
        Map.of("Content-Type", "application/x-www-form-urlencoded"), big);
    assertOAuth(r, 413, "body_too_large", 90002);
  }

  // ---- bearer tokens -------------------------------------------------------------------------------------------

  @Test
  void aJoinWithoutBearerIsTokenInvalid() {
    KeyPair k = WireClient.rsa();
    Response r = client.joinRaw(null, WireClient.joinBody(k, k, 0));
    assertDrs(r, 401, "token_invalid");
    assertEquals("Invalid JWT token.", r.json().get("Message"));
  }

  @Test
  void aTamperedBearerIsTokenInvalid() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
    KeyPair k = WireClient.rsa();
    assertDrs(client.joinRaw(tampered, WireClient.joinBody(k, k, 0)), 401, "token_invalid");
  }

  @Test
  void aBearerForAnotherAudienceIsTokenInvalid() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "password");
    f.put("username", Fixture.UPN);
    f.put("password", Fixture.PASSWORD);
    f.put("resource", "https://graph.microsoft.com");
    String token = client.form("/" + T + "/oauth2/token", f).string("access_token");
    KeyPair k = WireClient.rsa();
    assertDrs(client.joinRaw(token, WireClient.joinBody(k, k, 0)), 401, "token_invalid");
  }

  @Test
  void anExpiredBearerIsTokenInvalid() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    fx.clock.advance(Duration.ofMinutes(66));
    try {
      KeyPair k = WireClient.rsa();
      assertDrs(client.joinRaw(token, WireClient.joinBody(k, k, 0)), 401, "token_invalid");
    } finally {
      fx.clock.advance(Duration.ofMinutes(-66));
    }
  }

  // ---- test identity -------------------------------------------------------------------------------------------

  @Test
  void aWrongPasswordIsInvalidCredentialsAndIsNotEchoed() {
    Response r = client.passwordGrant(T, Fixture.UPN, "wrong-password-xyzzy", null, null);
    assertOAuth(r, 400, "invalid_credentials", 50126);
    assertFalse(r.body().contains("xyzzy"));
  }

  @Test
  void anUnknownUserIsInvalidCredentials() {
    assertOAuth(client.passwordGrant(T, "nobody@contoso.example", "x", null, null), 400, "invalid_credentials", 50126);
  }

  @Test
  void aWrongMfaCodeIsInvalidCredentials() {
    assertOAuth(client.passwordGrant(T, Fixture.UPN, Fixture.PASSWORD, "000000", null), 400, "invalid_credentials",
        50126);
  }

  // ---- key registration ----------------------------------------------------------------------------------------

  @Test
  void registeringWithoutMfaIsMfaRequired() {
    Response t = client.passwordGrant(T, Fixture.UPN, Fixture.PASSWORD, null,
        client.deviceCredential(aliceSecondDevice, client.nonce(T)));
    Response r = client.registerKey(t.string("access_token"), WireClient.rsa());
    assertDrs(r, 401, "mfa_required");
  }

  @Test
  void registeringWithoutADeviceIsDeviceRequired() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA);
    assertDrs(client.registerKey(token, WireClient.rsa()), 401, "device_required");
  }

  @Test
  void registeringAlicesKeyMaterialOnAnotherDeviceIsKeyConflict() {
    String token = client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, aliceSecondDevice);
    assertDrs(client.registerKey(token, alice.whfb()), 409, "key_conflict");
  }

  @Test
  void aMalformedKngcIsInvalidRequest() {
    String token = client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, aliceSecondDevice);
    assertDrs(client.registerKey(token, Map.of("kngc", "AAAA")), 400, "invalid_request");
  }

  // ---- PRT request: nonces -------------------------------------------------------------------------------------

  @Test
  void anOuterRequestWithoutNonceIsNonceMissing() {
    WireClient.SignIn s = signIn();
    s.outerPayload.remove("request_nonce");
    assertOAuth(s.send(T), 400, "nonce_missing", 1400001);
  }

  @Test
  void anAssertionWithoutNonceIsNonceMissing() {
    WireClient.SignIn s = signIn();
    s.innerPayload.remove("request_nonce");
    assertOAuth(s.send(T), 400, "nonce_missing", 1400001);
  }

  @Test
  void anExpiredNonceIsNonceExpired() {
    String n1 = client.nonce(T);
    String n2 = client.nonce(T);
    fx.clock.advance(Duration.ofMinutes(6));
    try {
      WireClient.SignIn s = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, n1, n2);
      assertOAuth(s.send(T), 400, "nonce_expired", 50013);
    } finally {
      fx.clock.advance(Duration.ofMinutes(-6));
    }
  }

  @Test
  void aReplayedNonceIsNonceReplayed() {
    String n1 = client.nonce(T);
    assertEquals(200, client.signIn(alice.device(), alice.whfb(), Fixture.UPN, n1, n1).send(T).status());
    WireClient.SignIn again = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, n1, client.nonce(T));
    assertOAuth(again.send(T), 400, "nonce_replayed", 50013);
  }

  @Test
  void aForgedNonceIsNonceInvalid() {
    String n = client.nonce(T);
    String forged = n.substring(0, n.indexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(new byte[32]);
    WireClient.SignIn s = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, forged, client.nonce(T));
    assertOAuth(s.send(T), 400, "nonce_invalid", 50013);
  }

  // ---- PRT request: device ---------------------------------------------------------------------------------------

  @Test
  void aCertificateNotIssuedHereIsDeviceUnknown() {
    WireClient.SignIn s = signIn();
    byte[] other = alice.device().certificate.clone();
    other[other.length - 3] ^= 1; // same length, different bytes: another thumbprint
    s.outerHeader.put("x5c", Base64.getEncoder().encodeToString(other));
    assertOAuth(s.send(T), 400, "device_unknown", 50155);
  }

  @Test
  void aDisabledDeviceIsDeviceDisabled() throws Exception {
    fx.service.setDeviceEnabled(alice.device().id, false);
    before = fx.digest();
    try {
      assertOAuth(signIn().send(T), 400, "device_disabled", 135011);
      assertEquals(before, fx.digest());
    } finally {
      fx.service.setDeviceEnabled(alice.device().id, true);
      before = fx.digest();
    }
  }

  @Test
  void anOuterSignatureByAnotherKeyIsDeviceSignatureInvalid() {
    WireClient.SignIn s = signIn();
    s.outerKey = WireClient.rsa().getPrivate();
    assertOAuth(s.send(T), 400, "device_signature_invalid", 50155);
  }

  @Test
  void anOuterAlgorithmOtherThanRs256IsDeviceSignatureInvalid() {
    for (String alg : List.of("none", "PS256", "RS512", "rs256")) {
      WireClient.SignIn s = signIn();
      s.outerHeader.put("alg", alg);
      assertOAuth(s.send(T), 400, "device_signature_invalid", 50155);
    }
  }

  @Test
  void anX5cArrayOfOneCertificateIsAcceptedAndOfTwoIsInvalidRequest() {
    WireClient.SignIn one = signIn();
    one.outerHeader.put("x5c", List.of(Base64.getEncoder().encodeToString(alice.device().certificate)));
    assertEquals(200, one.send(T).status());
    WireClient.SignIn two = signIn();
    String c = Base64.getEncoder().encodeToString(alice.device().certificate);
    two.outerHeader.put("x5c", List.of(c, c));
    assertOAuth(two.send(T), 400, "invalid_request", 900144);
  }

  // ---- PRT request: key and assertion ------------------------------------------------------------------------------

  @Test
  void anUnregisteredKeyIsKeyNotRegistered() {
    KeyPair stranger = WireClient.rsa();
    WireClient.SignIn s = client.signIn(alice.device(), stranger, Fixture.UPN, client.nonce(T), client.nonce(T));
    assertOAuth(s.send(T), 400, "key_not_registered", 50034);
  }

  @Test
  void anotherUsersNameWithAlicesKeyIsKeyUserMismatch() {
    WireClient.SignIn s = signIn();
    s.innerPayload.put("iss", BOB);
    assertOAuth(s.send(T), 400, "key_user_mismatch", 50034);
  }

  @Test
  void alicesKeyPresentedByHerOtherDeviceIsKeyDeviceMismatch() {
    WireClient.SignIn s = client.signIn(aliceSecondDevice, alice.whfb(), Fixture.UPN, client.nonce(T), client.nonce(T));
    assertOAuth(s.send(T), 400, "key_device_mismatch", 50034);
  }

  @Test
  void anAssertionSignedByAnotherKeyIsAssertionSignatureInvalid() {
    WireClient.SignIn s = signIn();
    s.innerKey = WireClient.rsa().getPrivate();
    assertOAuth(s.send(T), 400, "assertion_signature_invalid", 50013);
  }

  @Test
  void anAssertionOutsideItsTimeRangeIsAssertionTime() {
    long now = fx.clock.instant().getEpochSecond();
    WireClient.SignIn old = signIn();
    old.innerPayload.put("iat", now - 7200);
    old.innerPayload.put("exp", now - 3700);
    assertOAuth(old.send(T), 400, "assertion_time", 500133);
    WireClient.SignIn wide = signIn();
    wide.innerPayload.put("exp", now + 3 * 3600);
    assertOAuth(wide.send(T), 400, "assertion_time", 500133);
  }

  // ---- renewal -----------------------------------------------------------------------------------------------------

  @Test
  void aKdfV1RenewalIsKdfV1RejectedWhenV2IsRequired() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    String request = WireClient.hs256(WireClient.renewalPayload(session.prt(), client.nonce(T)),
        session.sessionKey(), DerivedKeyJws.KdfVersion.V1);
    assertOAuth(client.renew(T, request), 400, "kdf_v1_rejected", 5000611);
  }

  @Test
  void aRenewalSignedWithAnotherSessionKeyIsSessionSignatureInvalid() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    String request = WireClient.hs256(WireClient.renewalPayload(session.prt(), client.nonce(T)), new byte[32],
        DerivedKeyJws.KdfVersion.V2);
    Response r = client.renew(T, request);
    assertOAuth(r, 400, "session_signature_invalid", 7000016);
    assertFalse(r.body().contains(session.prt()), "the PRT is echoed");
  }

  @Test
  void aTamperedHs256PayloadIsSessionSignatureInvalid() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    String request = WireClient.hs256(WireClient.renewalPayload(session.prt(), client.nonce(T)),
        session.sessionKey(), DerivedKeyJws.KdfVersion.V2);
    String[] parts = request.split("\\.", -1);
    Map<String, Object> payload = WireClient.renewalPayload(session.prt(), client.nonce(T));
    payload.put("scope", "openid aza ugs extra");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        com.nimbusds.jose.util.JSONObjectUtils.toJSONString(payload).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertOAuth(client.renew(T, forged), 400, "session_signature_invalid", 7000016);
  }

  @Test
  void aTamperedPrtIsPrtInvalid() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    char[] prt = session.prt().toCharArray();
    prt[20] = prt[20] == 'A' ? 'B' : 'A';
    String request = WireClient.hs256(WireClient.renewalPayload(new String(prt), client.nonce(T)),
        session.sessionKey(), DerivedKeyJws.KdfVersion.V2);
    assertOAuth(client.renew(T, request), 400, "prt_invalid", 70000);
  }

  @Test
  void anExpiredPrtIsPrtInvalid() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    fx.clock.advance(Duration.ofDays(15));
    try {
      String request = WireClient.hs256(WireClient.renewalPayload(session.prt(), client.nonce(T)),
          session.sessionKey(), DerivedKeyJws.KdfVersion.V2);
      assertOAuth(client.renew(T, request), 400, "prt_invalid", 70000);
    } finally {
      fx.clock.advance(Duration.ofDays(-15));
    }
  }

  @Test
  void aPrtSentAsAPlainRefreshTokenIsSessionSignatureInvalid() {
    WireClient.Session session = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    Response r = client.form("/" + T + "/oauth2/token",
        Map.of("grant_type", "refresh_token", "refresh_token", session.prt()));
    assertOAuth(r, 400, "session_signature_invalid", 7000016);
  }
}
