package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertOAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.core.internal.cloud.DerivedKeyJwe;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.support.InMemoryDirectoryStore;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PRT renewal (GCM, CBC, KDF versions), the PRT cookie and the authorization code, over plain HTTP. */
final class SessionHttpTest {
  private static final String T = Fixture.DOMAIN;

  @Test
  void renewalAnswersGcmByDefaultAndKeepsTheAmrAndSessionKey() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      Response r = fx.client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), fx.client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
      assertEquals(200, r.status(), r.body());
      String iv = r.body().split("\\.", -1)[2];
      assertEquals(12, Base64.getUrlDecoder().decode(iv).length, "GCM uses a 12-byte IV");
      Map<String, Object> plain = WireClient.decryptRenewal(r.body(), s.sessionKey(), false);
      Map<String, Object> id = WireClient.claims(WireClient.str(plain, "id_token"));
      assertEquals(List.of("rsa", "ngcmfa", "mfa"), WireClient.strings(WireClient.at(id, "amr")));
      assertNotEquals(s.prt(), plain.get("refresh_token"));
    }
  }

  @Test
  void renewalAnswersCbcOnlyWhenSwitchedOn() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> b.cbcRenewalResponses(true))) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      Response r = fx.client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), fx.client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
      assertEquals(200, r.status(), r.body());
      assertThrows(Exception.class, () -> DerivedKeyJwe.decrypt(r.body(), s.sessionKey(), false));
      assertTrue(WireClient.decryptRenewal(r.body(), s.sessionKey(), true).containsKey("refresh_token"));
    }
  }

  @Test
  void kdfV1IsAcceptedWhenV2IsNotRequired() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> b.requireKdfV2(false))) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      Response r = fx.client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), fx.client.nonce(T)),
          s.sessionKey(), DerivedKeyJws.KdfVersion.V1));
      assertEquals(200, r.status(), r.body());
    }
  }

  @Test
  void renewalStopsWorkingOnceTheDeviceIsDisabledOrTheKeyWithdrawn() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      fx.service.setDeviceEnabled(e.device().id, false);
      assertOAuth(renew(fx, s), 400, "device_disabled", 135011);
      fx.service.setDeviceEnabled(e.device().id, true);
      assertEquals(200, renew(fx, s).status());
      fx.service.deleteKey(java.util.UUID.fromString(e.kid()));
      assertOAuth(renew(fx, s), 400, "key_not_registered", 50034);
    }
  }

  @Test
  void aRenewalWithoutNonceIsNonceMissing() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      Map<String, Object> p = WireClient.renewalPayload(s.prt(), "x");
      p.remove("request_nonce");
      assertOAuth(fx.client.renew(T, WireClient.hs256(p, s.sessionKey(), DerivedKeyJws.KdfVersion.V2)), 400,
          "nonce_missing", 1400001);
    }
  }

  @Test
  void aUserDisabledInTheDirectoryCannotSignIn() throws Exception {
    InMemoryDirectoryStore store = new InMemoryDirectoryStore();
    try (Fixture fx = Fixture.server(store, false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      var user = store.userByUpn(Fixture.UPN).orElseThrow();
      store.replaceUser(new dev.ngc4j.server.internal.store.DirectoryStore.User(user.objectId(), user.tenantId(),
          user.upn(), user.displayName(), false, user.passwordHash(), user.mfaSecretHash(), user.created()));
      String before = fx.digest();
      Response r = fx.client.signIn(e.device(), e.whfb(), Fixture.UPN, fx.client.nonce(T), fx.client.nonce(T))
          .send(T);
      assertOAuth(r, 400, "user_disabled", 50057);
      assertEquals(before, fx.digest());
    }
  }

  @Test
  void thePrtCookieYieldsACodeThatRedeemsOnceForAnAccessTokenWithTheDeviceAndAmr() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      String nonce = fx.client.nonce(T);
      String redirect = "ms-appx-web://Microsoft.AAD.BrokerPlugin/dd762716-544d-4aeb-a526-687b73838a22";
      String query = "client_id=dd762716-544d-4aeb-a526-687b73838a22&redirect_uri=" + WireClient.enc(redirect)
          + "&response_type=code&resource=" + WireClient.enc(WireClient.DRS) + "&state=xyz&sso_nonce="
          + WireClient.enc(nonce);
      Response r = fx.client.get("/" + T + "/oauth2/authorize?" + query,
          Map.of("x-ms-RefreshTokenCredential", WireClient.cookie(s.prt(), nonce, s.sessionKey())));
      assertEquals(302, r.status(), r.body());
      String location = r.header("location").orElseThrow();
      assertTrue(location.startsWith(redirect + "?code="), location);
      assertTrue(location.endsWith("&state=xyz"), location);
      String code = java.net.URLDecoder.decode(location.substring(location.indexOf("code=") + 5,
          location.indexOf("&state")), java.nio.charset.StandardCharsets.UTF_8);
      Map<String, String> redeem = Map.of("grant_type", "authorization_code", "code", code,
          "client_id", "dd762716-544d-4aeb-a526-687b73838a22", "redirect_uri", redirect);
      Response token = fx.client.form("/" + T + "/oauth2/token", redeem);
      assertEquals(200, token.status(), token.body());
      Map<String, Object> claims = WireClient.claims(token.string("access_token"));
      assertEquals(WireClient.DRS, claims.get("aud"));
      assertEquals(e.device().id.toString(), claims.get("deviceid"));
      assertEquals(List.of("rsa", "ngcmfa", "mfa"), WireClient.strings(WireClient.at(claims, "amr")));
      // the cookie's token registers keys (it has MFA and a device)
      assertEquals(200, fx.client.registerKey(token.string("access_token"), WireClient.rsa()).status());
      assertOAuth(fx.client.form("/" + T + "/oauth2/token", redeem), 400, "prt_invalid", 70000);
    }
  }

  @Test
  void theCookieAlsoWorksAsACookieHeader() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      String nonce = fx.client.nonce(T);
      Response r = fx.client.get("/" + T + "/oauth2/authorize?client_id=c&redirect_uri="
              + WireClient.enc("https://app.example/cb") + "&response_type=code",
          Map.of("Cookie", "a=b; x-ms-RefreshTokenCredential=" + WireClient.cookie(s.prt(), nonce, s.sessionKey())));
      assertEquals(302, r.status(), r.body());
      assertTrue(r.header("location").orElseThrow().startsWith("https://app.example/cb?code="));
    }
  }

  @Test
  void anExpiredCookieNonceRedirectsBackWithAFreshSsoNonce() throws Exception {
    try (Fixture fx = Fixture.server(new InMemoryDirectoryStore(), false, b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      WireClient.Session s = fx.client.signInOk(T, e.device(), e.whfb(), Fixture.UPN);
      String nonce = fx.client.nonce(T);
      fx.clock.advance(Duration.ofMinutes(6));
      String query = "client_id=c&redirect_uri=" + WireClient.enc("https://app.example/cb")
          + "&response_type=code&sso_nonce=" + WireClient.enc(nonce);
      Response r = fx.client.get("/" + T + "/oauth2/authorize?" + query,
          Map.of("x-ms-RefreshTokenCredential", WireClient.cookie(s.prt(), nonce, s.sessionKey())));
      assertEquals(302, r.status(), r.body());
      String location = r.header("location").orElseThrow();
      assertTrue(location.contains("/" + T + "/oauth2/authorize?"), location);
      assertTrue(location.contains("sso_nonce="), location);
      assertFalse(location.contains(WireClient.enc(nonce)), "the old nonce is replaced");
      String fresh = java.net.URLDecoder.decode(location.substring(location.indexOf("sso_nonce=") + 10),
          java.nio.charset.StandardCharsets.UTF_8);
      Response again = fx.client.get("/" + T + "/oauth2/authorize?" + URI.create(location).getRawQuery(),
          Map.of("x-ms-RefreshTokenCredential", WireClient.cookie(s.prt(), fresh, s.sessionKey())));
      assertEquals(302, again.status(), again.body());
      assertTrue(again.header("location").orElseThrow().startsWith("https://app.example/cb?code="));
    }
  }

  private static Response renew(Fixture fx, WireClient.Session s) {
    return fx.client.renew(T, WireClient.hs256(WireClient.renewalPayload(s.prt(), fx.client.nonce(T)),
        s.sessionKey(), DerivedKeyJws.KdfVersion.V2));
  }
}
