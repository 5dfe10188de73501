package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertDrs;
import static dev.ngc4j.server.ErrorBodies.assertOAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.support.InMemoryDirectoryStore;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol details called straight into the service (no socket): routing, nonces, audiences, strict bodies. */
final class ProtocolTest {
  private static final String T = Fixture.DOMAIN;
  private static Fixture fx;
  private static Fixture.Enrolled alice;
  private static WireClient client;

  @BeforeAll
  static void start() throws Exception {
    fx = Fixture.direct(new InMemoryDirectoryStore(), b -> {});
    client = fx.client;
    alice = fx.enroll();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void theSameNonceInOuterAndInnerJwtCountsOnce() {
    String n = client.nonce(T);
    assertEquals(200, client.signIn(alice.device(), alice.whfb(), Fixture.UPN, n, n).send(T).status());
    Response again = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T), n).send(T);
    assertOAuth(again, 400, "nonce_replayed", 50013);
  }

  @Test
  void theDrsNonceIsTheSameKindOfNonce() {
    Response r = client.get("/EnrollmentServer/nonce/" + fx.tenant.id() + "/", Map.of());
    assertEquals(200, r.status(), r.body());
    String n = r.string("Value");
    assertEquals(200, client.signIn(alice.device(), alice.whfb(), Fixture.UPN, n, client.nonce(T)).send(T).status());
  }

  @Test
  void discoveryOfAnUnknownTenantIsInvalidRequestAndByIdWorks() {
    assertDrs(client.get("/nowhere.example/Discover?api-version=1.9", Map.of()), 400, "invalid_request");
    assertEquals(200, client.get("/" + fx.tenant.id() + "/Discover", Map.of()).status());
  }

  @Test
  void aWrongMethodIs405() {
    Response r = client.get("/" + T + "/oauth2/token", Map.of());
    assertEquals(405, r.status());
  }

  @Test
  void aJsonTokenRequestIsInvalidRequest() {
    Response r = client.send("POST", "/" + T + "/oauth2/token", Map.of("Content-Type", "application/json"),
        "{\"grant_type\":\"srv_challenge\"}".getBytes(StandardCharsets.UTF_8));
    assertOAuth(r, 400, "invalid_request", 900144);
  }

  @Test
  void theCorrelationIdIsEchoedWhenItIsAGuid() {
    String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    Response r = client.send("POST", "/" + T + "/oauth2/token", Map.of("Content-Type",
        "application/x-www-form-urlencoded", "client-request-id", id), "x=1".getBytes(StandardCharsets.UTF_8));
    assertEquals(id, r.json().get("correlation_id"));
  }

  @Test
  void hybridJoinASmallRsaKeyAndABlobWithPrimesAreRefused() throws Exception {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    String before = fx.digest();
    KeyPair k = WireClient.rsa();
    assertDrs(client.joinRaw(token, WireClient.joinBody(k, k, 6)), 400, "invalid_request");
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair small = g.generateKeyPair();
    assertDrs(client.joinRaw(token, WireClient.joinBody(small, k, 0)), 400, "invalid_request");
    Map<String, Object> body = new LinkedHashMap<>(WireClient.joinBody(k, k, 0));
    byte[] blob = WireClient.rsa1(k);
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 128); // cbPrime1
    body.put("TransportKey", Base64.getEncoder().encodeToString(blob));
    assertDrs(client.joinRaw(token, body), 400, "invalid_request");
    body.put("TransportKey", " " + Base64.getEncoder().encodeToString(WireClient.rsa1(k)));
    assertDrs(client.joinRaw(token, body), 400, "invalid_request");
    assertEquals(before, fx.digest());
  }

  @Test
  void theJoinResponseHasTheEntraShape() {
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    KeyPair k = WireClient.rsa();
    Response r = client.joinRaw(token, WireClient.joinBody(k, k, 4));
    assertEquals(200, r.status(), r.body());
    assertTrue(WireClient.str(r.json(), "Certificate", "Thumbprint").matches("[0-9A-F]{40}"));
    assertEquals(Fixture.UPN, r.at("User", "Upn"));
    assertTrue(r.json().containsKey("MembershipChanges"));
  }

  @Test
  void thePasswordGrantIsOffWhenTheTestIdentitySourceIsOff() throws Exception {
    try (Fixture off = Fixture.direct(new InMemoryDirectoryStore(), b -> b.testIdentitySource(false))) {
      assertOAuth(off.client.passwordGrant(T, Fixture.UPN, Fixture.PASSWORD, null, null), 400, "invalid_request",
          900144);
    }
  }

  @Test
  void aSignInOnAnotherTenantsPathOrWithAForeignAudienceIsInvalidRequest() throws Exception {
    fx.service.createTenant("fabrikam.example", "Fabrikam");
    WireClient.SignIn wrongPath = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    assertOAuth(wrongPath.send("fabrikam.example"), 400, "invalid_request", 900144);
    WireClient.SignIn foreignAud = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    foreignAud.innerPayload.put("aud", "fabrikam.example");
    assertOAuth(foreignAud.send(T), 400, "invalid_request", 900144);
    WireClient.SignIn byId = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    byId.innerPayload.put("aud", fx.tenant.id().toString());
    assertEquals(200, byId.send(fx.tenant.id().toString()).status());
    WireClient.SignIn common = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    assertEquals(200, common.send("common").status());
  }

  @Test
  void anAssertionWithoutUseNgcOrAnOuterHeaderWithExtraMembersIsInvalidRequest() {
    WireClient.SignIn noUse = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    noUse.innerHeader.remove("use");
    assertOAuth(noUse.send(T), 400, "invalid_request", 900144);
    WireClient.SignIn jwk = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    jwk.outerHeader.put("jwk", Map.of("kty", "RSA"));
    assertOAuth(jwk.send(T), 400, "invalid_request", 900144);
    WireClient.SignIn noAssertion = client.signIn(alice.device(), alice.whfb(), Fixture.UPN, client.nonce(T),
        client.nonce(T));
    noAssertion.includeAssertion = false;
    assertOAuth(noAssertion.send(T), 400, "invalid_request", 900144);
  }

  @Test
  void renewalExtendsTheLifetimeSoAPrtRenewedInTimeOutlivesTheFirst() {
    WireClient.Session s = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    fx.clock.advance(Duration.ofDays(13));
    try {
      Response r = client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
      assertEquals(200, r.status(), r.body());
      String renewed = WireClient.str(WireClient.decryptRenewal(r.body(), s.sessionKey(), false), "refresh_token");
      fx.clock.advance(Duration.ofDays(7));
      Response later = client.renew(T, WireClient.hs256(WireClient.renewalPayload(renewed, client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
      assertEquals(200, later.status(), later.body());
      Response old = client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
      assertOAuth(old, 400, "prt_invalid", 70000);
    } finally {
      fx.clock.advance(Duration.ofDays(-20));
    }
  }

  @Test
  void theSessionKeyJweIsRsaOaepWithA256Gcm() {
    WireClient.Session s = client.signInOk(T, alice.device(), alice.whfb(), Fixture.UPN);
    String jwe = WireClient.str(s.response(), "session_key_jwe");
    String header = new String(Base64.getUrlDecoder().decode(jwe.substring(0, jwe.indexOf('.'))),
        StandardCharsets.UTF_8);
    assertTrue(header.contains("\"alg\":\"RSA-OAEP\"") && header.contains("\"enc\":\"A256GCM\""), header);
    assertFalse(s.response().containsKey("access_token"));
  }
}
