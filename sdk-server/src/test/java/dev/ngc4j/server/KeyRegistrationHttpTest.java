package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertDrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key registration and withdrawal over real HTTPS on the embedded database. */
final class KeyRegistrationHttpTest {
  @TempDir static Path dataDir;
  private static Fixture fx;
  private static WireClient client;
  private static final String T = Fixture.DOMAIN;

  @BeforeAll
  static void start() throws Exception {
    fx = Fixture.https(dataDir, b -> {});
    client = fx.client;
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void aFirstRegistrationReturnsTheKidUpnAndKeyIdentifier() throws Exception {
    WireClient.Device device = client.join(client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
    KeyPair whfb = WireClient.rsa();
    Response r = client.registerKey(client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device), whfb);
    assertEquals(200, r.status(), r.body());
    UUID kid = UUID.fromString(r.string("kid"));
    assertEquals(Fixture.UPN, r.string("upn"));
    assertEquals(WireClient.keyIdentifier(whfb), r.string("keyIdentifier"));
    KeyInfo key = fx.service.keysOfUser(Fixture.UPN).stream().filter(k -> k.kid().equals(kid)).findFirst()
        .orElseThrow();
    assertEquals(device.id, key.deviceId());
    assertEquals(WireClient.keyId(whfb), key.keyId());
    assertEquals("none", key.attestation());
  }

  @Test
  void reRegistrationOnTheSameDeviceReplacesTheKeyAndIsAudited() throws Exception {
    WireClient.Device device = client.join(client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
    String token = client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device);
    KeyPair first = WireClient.rsa();
    KeyPair second = WireClient.rsa();
    long mark = lastSequence();
    assertEquals(200, client.registerKey(token, first).status());
    Response r = client.registerKey(token, second);
    assertEquals(200, r.status(), r.body());
    List<KeyInfo> onDevice = fx.service.keysOfUser(Fixture.UPN).stream()
        .filter(k -> k.deviceId().equals(device.id)).toList();
    assertEquals(1, onDevice.size());
    assertEquals(WireClient.keyIdentifier(second), onDevice.get(0).keyIdentifier());
    List<AuditRecord> events = fx.service.audit(mark, 100);
    assertTrue(events.stream().anyMatch(e -> e.event().equals("key.registered")), events.toString());
    assertTrue(events.stream().anyMatch(e -> e.event().equals("key.replaced")), events.toString());
    // the replaced key can no longer sign in; the new one can
    assertEquals(400, client.signIn(device, first, Fixture.UPN, client.nonce(T), client.nonce(T)).send(T).status());
    assertEquals(200, client.signIn(device, second, Fixture.UPN, client.nonce(T), client.nonce(T)).send(T).status());
  }

  @Test
  void withdrawalDeletesTheKeyAnd404sAfterwards() throws Exception {
    Fixture.Enrolled e = fx.enroll();
    String token = client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null);
    String path = "/EnrollmentServer/key/" + WireClient.keyId(e.whfb()) + "?api-version=1.0";
    Response gone = client.send("DELETE", path, Map.of("Authorization", "Bearer " + token), new byte[0]);
    assertEquals(204, gone.status(), gone.body());
    assertTrue(fx.service.keysOfUser(Fixture.UPN).stream().noneMatch(k -> k.kid().toString().equals(e.kid())));
    String before = fx.digest();
    Response again = client.send("DELETE", path, Map.of("Authorization", "Bearer " + token), new byte[0]);
    assertDrs(again, 404, "key_not_registered");
    assertEquals(before, fx.digest());
    // a withdrawn key cannot sign in
    Response signIn = client.signIn(e.device(), e.whfb(), Fixture.UPN, client.nonce(T), client.nonce(T)).send(T);
    ErrorBodies.assertOAuth(signIn, 400, "key_not_registered", 50034);
  }

  @Test
  void anotherUsersKeyCannotBeWithdrawn() throws Exception {
    Fixture.Enrolled e = fx.enroll();
    fx.service.createUser(T, "carol@contoso.example", "Carol", "C4rol-pw".toCharArray(), null);
    String carol = client.accessToken(T, "carol@contoso.example", "C4rol-pw", null);
    String before = fx.digest();
    Response r = client.send("DELETE", "/EnrollmentServer/key/" + WireClient.keyId(e.whfb()),
        Map.of("Authorization", "Bearer " + carol), new byte[0]);
    assertDrs(r, 400, "key_user_mismatch");
    assertEquals(before, fx.digest());
  }

  @Test
  void aDisabledDeviceCannotRegisterKeys() throws Exception {
    WireClient.Device device = client.join(client.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
    String token = client.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device);
    fx.service.setDeviceEnabled(device.id, false);
    String before = fx.digest();
    assertDrs(client.registerKey(token, WireClient.rsa()), 400, "device_disabled");
    assertEquals(before, fx.digest());
  }

  @Test
  void aKeyWithoutAttestationIsAttestationInvalidOverHttpWhenAttestationIsRequired() throws Exception {
    try (Fixture required = Fixture.server(new dev.ngc4j.server.support.InMemoryDirectoryStore(), true,
        b -> b.attestationPolicy(AttestationPolicy.REQUIRED))) {
      WireClient c = required.client;
      WireClient.Device device = c.join(c.accessToken(T, Fixture.UPN, Fixture.PASSWORD, null));
      String token = c.deviceToken(T, Fixture.UPN, Fixture.PASSWORD, Fixture.MFA, device);
      String before = required.digest();
      Response r = c.registerKey(token, WireClient.rsa());
      assertDrs(r, 400, "attestation_invalid");
      assertEquals(before, required.digest());
    }
  }

  private static long lastSequence() throws Exception {
    List<AuditRecord> all = fx.service.audit(0, 10_000);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
  }
}
