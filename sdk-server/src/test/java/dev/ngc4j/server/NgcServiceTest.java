package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.support.InMemoryDirectoryStore;
import dev.ngc4j.server.support.MutableClock;
import dev.ngc4j.server.support.WireClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library surface: building, administration, persistence across restarts, request-level calls. */
final class NgcServiceTest {
  @TempDir Path dataDir;

  @Test
  void createUserZeroesTheCallersSecretsAndStoresOnlyHashes() throws Exception {
    InMemoryDirectoryStore store = new InMemoryDirectoryStore();
    try (NgcService service = NgcService.builder().store(store).build()) {
      service.createTenant("Contoso.Example", "Contoso");
      char[] password = "s3cret-pw".toCharArray();
      char[] mfa = "123456".toCharArray();
      UserInfo user = service.createUser("contoso.example", "Alice@Contoso.example", "Alice", password, mfa);
      assertArrayEquals(new char[9], password);
      assertArrayEquals(new char[6], mfa);
      assertEquals("alice@contoso.example", user.upn());
      var stored = store.userByUpn("alice@contoso.example").orElseThrow();
      assertTrue(stored.passwordHash().orElseThrow().startsWith("$argon2id$"));
      assertFalse(stored.passwordHash().orElseThrow().contains("s3cret"));
      assertTrue(stored.mfaSecretHash().orElseThrow().startsWith("$argon2id$"));
    }
  }

  @Test
  void invalidOrConflictingAdministrationIsRefusedAndStillZeroesSecrets() throws Exception {
    try (NgcService service = NgcService.builder().store(new InMemoryDirectoryStore()).build()) {
      TenantInfo t = service.createTenant("contoso.example", "Contoso");
      assertThrows(IllegalArgumentException.class, () -> service.createTenant("contoso.example", "again"));
      assertThrows(IllegalArgumentException.class, () -> service.createTenant("not a domain", "x"));
      assertThrows(IllegalArgumentException.class, () -> service.createTenant("common", "x"));
      char[] pw = "pw".toCharArray();
      assertThrows(IllegalArgumentException.class,
          () -> service.createUser("contoso.example", "bob@other.example", "Bob", pw, null));
      assertArrayEquals(new char[2], pw);
      assertThrows(IllegalArgumentException.class, () -> service.createUser("nope.example", "a@nope.example", "A",
          null, null));
      service.createUser(t.id().toString(), "bob@contoso.example", "Bob", null, null);
      assertThrows(IllegalArgumentException.class,
          () -> service.createUser("contoso.example", "BOB@contoso.example", "Bob", null, null));
      assertEquals(t, service.tenant(t.id().toString()).orElseThrow());
      assertEquals(t, service.tenant("CONTOSO.example").orElseThrow());
    }
  }

  @Test
  void aBuilderWithoutDirectoryOrWithOutOfRangeSettingsIsRefused() {
    assertThrows(IllegalStateException.class, () -> NgcService.builder().build());
    assertThrows(IllegalArgumentException.class, () -> NgcService.builder().nonceLifetime(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> NgcService.builder().prtLifetime(Duration.ofDays(365)));
    assertThrows(IllegalArgumentException.class, () -> NgcService.builder().replayCacheCapacity(1));
  }

  @Test
  void keysCaAndPrtsSurviveARestartButNoncesDoNot() throws Exception {
    MutableClock clock = new MutableClock();
    String prt;
    byte[] sessionKey;
    String accessToken;
    String nonce;
    java.security.cert.X509Certificate ca;
    Fixture.Enrolled e;
    URI base = URI.create("https://127.0.0.1:1");
    try (NgcService service = NgcService.builder().dataDirectory(dataDir).clock(clock).testIdentitySource(true)
        .build()) {
      service.createTenant(Fixture.DOMAIN, "Contoso");
      service.createUser(Fixture.DOMAIN, Fixture.UPN, "Alice", Fixture.PASSWORD.toCharArray(),
          Fixture.MFA.toCharArray());
      WireClient client = new WireClient(WireClient.direct(service, base), clock);
      WireClient.Device device = client.join(client.accessToken(Fixture.DOMAIN, Fixture.UPN, Fixture.PASSWORD, null));
      var whfb = WireClient.rsa();
      assertEquals(200, client.registerKey(client.deviceToken(Fixture.DOMAIN, Fixture.UPN, Fixture.PASSWORD,
          Fixture.MFA, device), whfb).status());
      e = new Fixture.Enrolled(device, whfb, "");
      WireClient.Session s = client.signInOk(Fixture.DOMAIN, device, whfb, Fixture.UPN);
      prt = s.prt();
      sessionKey = s.sessionKey();
      accessToken = client.accessToken(Fixture.DOMAIN, Fixture.UPN, Fixture.PASSWORD, null);
      nonce = client.nonce(Fixture.DOMAIN);
      ca = service.caCertificate();
    }
    assertTrue(Files.exists(dataDir.resolve("master.key")));
    try (NgcService service = NgcService.builder().dataDirectory(dataDir).clock(clock).build()) {
      WireClient client = new WireClient(WireClient.direct(service, base), clock);
      assertEquals(ca, service.caCertificate(), "the CA is persisted");
      // the token key is persisted: a token from before the restart still works as a bearer
      WireClient.Response withdrawal = client.send("DELETE", "/EnrollmentServer/key/" + WireClient.keyId(WireClient.rsa()),
          java.util.Map.of("Authorization", "Bearer " + accessToken), new byte[0]);
      assertEquals(404, withdrawal.status(), withdrawal.body());
      // the PRT key is persisted: the old PRT renews
      String request = WireClient.hs256(WireClient.renewalPayload(prt, client.nonce(Fixture.DOMAIN)), sessionKey,
          DerivedKeyJws.KdfVersion.V2);
      assertEquals(200, client.renew(Fixture.DOMAIN, request).status());
      // nonces lived in the old process only
      WireClient.Response r = client.signIn(e.device(), e.whfb(), Fixture.UPN, nonce, nonce).send(Fixture.DOMAIN);
      ErrorBodies.assertOAuth(r, 400, "nonce_invalid", 50013);
      assertEquals(1, service.keysOfUser(Fixture.UPN).size());
      assertEquals(List.of(e.device().id), service.devicesOfUser(Fixture.UPN).stream().map(DeviceInfo::deviceId)
          .toList());
    }
  }

  @Test
  void aDatabaseWithAnotherMasterKeyFailsClearly() throws Exception {
    NgcService.builder().dataDirectory(dataDir).build().close();
    Files.delete(dataDir.resolve("master.key"));
    NgcException ex = assertThrows(NgcException.class, () -> NgcService.builder().dataDirectory(dataDir).build());
    assertEquals(ErrorCode.STORAGE_FAILURE, ex.code());
  }

  @Test
  void deviceAdministrationIsAudited() throws Exception {
    try (Fixture fx = Fixture.direct(new InMemoryDirectoryStore(), b -> {})) {
      Fixture.Enrolled e = fx.enroll();
      assertTrue(fx.service.setDeviceEnabled(e.device().id, false));
      assertFalse(fx.service.device(e.device().id).orElseThrow().enabled());
      assertTrue(fx.service.deleteDevice(e.device().id));
      assertFalse(fx.service.deleteDevice(e.device().id));
      assertFalse(fx.service.setDeviceEnabled(UUID.randomUUID(), true));
      assertTrue(fx.service.keysOfUser(Fixture.UPN).isEmpty(), "deleting a device deletes its keys");
      List<String> events = fx.service.audit(0, 100).stream().map(AuditRecord::event).toList();
      assertTrue(events.containsAll(List.of("device.joined", "key.registered", "device.disabled", "device.deleted")),
          events.toString());
      assertThrows(IllegalArgumentException.class, () -> fx.service.audit(0, 0));
    }
  }

  @Test
  void requestLevelMethodsAnswer404ForAnotherEndpointsPath() throws Exception {
    try (NgcService service = NgcService.builder().store(new InMemoryDirectoryStore()).build()) {
      ServiceRequest keys = ServiceRequest.builder(URI.create("https://h"), "GET", "/common/discovery/keys").build();
      assertEquals(200, service.signingKeys(keys).status());
      assertEquals(404, service.token(keys).status());
      assertEquals(404, service.join(keys).status());
    }
  }
}
