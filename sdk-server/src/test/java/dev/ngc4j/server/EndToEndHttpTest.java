package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole happy path over real HTTPS on loopback, on the embedded database: join, register, nonce, PRT, renew. */
final class EndToEndHttpTest {
  @TempDir static Path dataDir;
  private static Fixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = Fixture.https(dataDir, b -> {});
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void discoveryNamesTheEndpointsOnTheServersOwnBaseUrl() {
    Response r = fx.client.get("/" + Fixture.DOMAIN + "/Discover?api-version=1.9", Map.of());
    assertEquals(200, r.status(), r.body());
    String base = fx.server().uri().toString();
    assertEquals(base + "/EnrollmentServer/device/", r.at("DeviceJoinService", "JoinEndpoint"));
    assertEquals(WireClient.DRS, r.at("DeviceJoinService", "JoinResourceId"));
    assertEquals("2.0", r.at("DeviceJoinService", "ServiceVersion"));
    assertEquals(base + "/EnrollmentServer/key/", r.at("KeyProvisioningService", "KeyProvisionEndpoint"));
    assertEquals(base + "/EnrollmentServer/nonce/" + fx.tenant.id() + "/", r.at("NonceService", "Endpoint"));
    assertEquals(base + "/" + fx.tenant.id() + "/oauth2/token",
        r.at("AuthenticationService", "OAuth2", "TokenEndpoint"));
    assertEquals(fx.tenant.id().toString(), r.at("TenantInfo", "TenantId"));
    assertEquals(Fixture.DOMAIN, r.at("TenantInfo", "TenantName"));
  }

  @Test
  void theServerCertificateIsIssuedByTheServiceCaForLoopback() {
    X509Certificate ca = fx.server().caCertificate();
    assertEquals(ca, fx.service.caCertificate());
    assertTrue(fx.server().uri().toString().startsWith("https://127.0.0.1:"));
  }

  @Test
  void joinRegisterSignInAndRenewWorkEndToEnd() throws Exception {
    String joinToken = fx.client.accessToken(Fixture.DOMAIN, Fixture.UPN, Fixture.PASSWORD, null);
    assertEquals(List.of("pwd"), WireClient.strings(WireClient.at(WireClient.claims(joinToken), "amr")));
    WireClient.Device device = fx.client.join(joinToken, WireClient.rsa(), WireClient.rsa());
    X509Certificate cert = WireClient.certificate(device.certificate);
    cert.verify(fx.server().caCertificate().getPublicKey());
    assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"));
    assertTrue(fx.service.device(device.id).orElseThrow().enabled());

    String token = fx.client.deviceToken(Fixture.DOMAIN, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device);
    Map<String, Object> claims = WireClient.claims(token);
    assertEquals(device.id.toString(), claims.get("deviceid"));
    assertEquals(List.of("pwd", "mfa", "ngcmfa"), WireClient.strings(WireClient.at(claims, "amr")));

    var whfb = WireClient.rsa();
    Response reg = fx.client.registerKey(token, whfb);
    assertEquals(200, reg.status(), reg.body());
    assertEquals(Fixture.UPN, reg.string("upn"));
    assertEquals(WireClient.keyIdentifier(whfb), reg.string("keyIdentifier"));

    WireClient.Session session = fx.client.signInOk(Fixture.DOMAIN, device, whfb, Fixture.UPN);
    assertEquals(32, session.sessionKey().length);
    assertEquals("pop", session.response().get("token_type"));
    assertEquals(1_209_600L, session.response().get("refresh_token_expires_in"));
    Map<String, Object> idToken = WireClient.claims(WireClient.str(session.response(), "id_token"));
    assertEquals(List.of("rsa", "ngcmfa", "mfa"), WireClient.strings(WireClient.at(idToken, "amr")));
    assertEquals(device.id.toString(), idToken.get("deviceid"));
    assertEquals(fx.user.objectId().toString(), idToken.get("oid"));
    String clientInfo = new String(Base64.getUrlDecoder().decode(WireClient.str(session.response(), "client_info")),
        StandardCharsets.UTF_8);
    assertTrue(clientInfo.contains(fx.user.objectId().toString()), clientInfo);

    String nonce = fx.client.nonce(Fixture.DOMAIN);
    String request = WireClient.hs256(WireClient.renewalPayload(session.prt(), nonce), session.sessionKey(),
        DerivedKeyJws.KdfVersion.V2);
    Response renewed = fx.client.renew(Fixture.DOMAIN, request);
    assertEquals(200, renewed.status(), renewed.body());
    assertFalse(renewed.body().startsWith("{"), "the renewal response is a JWE");
    Map<String, Object> plain = WireClient.decryptRenewal(renewed.body(), session.sessionKey(), false);
    String newPrt = WireClient.str(plain, "refresh_token");
    assertNotEquals(session.prt(), newPrt);
    assertFalse(plain.containsKey("session_key_jwe"));

    // the renewed PRT works with the same session key
    String again = WireClient.hs256(WireClient.renewalPayload(newPrt, fx.client.nonce(Fixture.DOMAIN)),
        session.sessionKey(), DerivedKeyJws.KdfVersion.V2);
    assertEquals(200, fx.client.renew(Fixture.DOMAIN, again).status());
  }

  @Test
  void theSigningKeysAreServedAsJwks() {
    Response r = fx.client.get("/common/discovery/keys", Map.of());
    assertEquals(200, r.status(), r.body());
    Map<?, ?> jwk = (Map<?, ?>) ((List<?>) r.at("keys")).get(0);
    assertEquals("RSA", jwk.get("kty"));
    assertEquals("RS256", jwk.get("alg"));
  }

  @Test
  void anUnknownPathIs404InTheErrorFormOfItsFamily() {
    Response r = fx.client.get("/EnrollmentServer/nothing", Map.of());
    assertEquals(404, r.status());
    assertTrue(r.json().containsKey("ErrorType"), r.body());
    Response o = fx.client.get("/common/oauth2/nothing", Map.of());
    assertEquals(404, o.status());
    assertTrue(o.json().containsKey("error"), o.body());
    assertEquals(URI.create(fx.server().uri().toString()).getScheme(), "https");
  }
}
