package dev.ngc4j.server.internal.store;

import static dev.ngc4j.server.internal.store.StoreFixtures.assertDevice;
import static dev.ngc4j.server.internal.store.StoreFixtures.assertKey;
import static dev.ngc4j.server.internal.store.StoreFixtures.device;
import static dev.ngc4j.server.internal.store.StoreFixtures.key;
import static dev.ngc4j.server.internal.store.StoreFixtures.normalised;
import static dev.ngc4j.server.internal.store.StoreFixtures.tenant;
import static dev.ngc4j.server.internal.store.StoreFixtures.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.internal.store.DirectoryStore.AuditEvent;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.RegistrationOutcome;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link DirectoryStore} contract, run by one subclass per way of opening a {@link JdbcDirectoryStore}. Each test
 * starts with an open store holding one tenant ({@code contoso.com}), one user and one device of that user.
 */
abstract class DirectoryStoreContractTest {
  @TempDir Path temp;

  DirectoryStore store;
  Tenant contoso;
  User alice;
  Device laptop;

  /** Opens a store on the database of this test (the same one on every call). */
  abstract JdbcDirectoryStore open() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    store = open();
    contoso = tenant("Contoso.COM");
    store.createTenant(contoso);
    alice = user(contoso, "Alice@Contoso.com");
    store.createUser(alice);
    laptop = device(contoso, alice, "laptop");
    store.createDevice(laptop, "test");
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private void reopen() throws Exception {
    store.close();
    store = open();
  }

  // ---- tenants ------------------------------------------------------------------------------------------------

  @Test
  void tenantIsFoundByIdAndByDomainInAnyCase() throws Exception {
    assertEquals(Optional.of(normalised(contoso)), store.tenant(contoso.id()));
    assertEquals("contoso.com", store.tenant(contoso.id()).orElseThrow().domain());
    assertEquals(Optional.of(normalised(contoso)), store.tenantByDomain("CONTOSO.com"));
    assertEquals(Optional.empty(), store.tenant(UUID.randomUUID()));
    assertEquals(Optional.empty(), store.tenantByDomain("fabrikam.com"));
  }

  @Test
  void tenantWithAnExistingIdOrDomainIsAConflict() throws Exception {
    String before = store.contentDigest();
    StoreException sameDomain = assertThrows(StoreException.class,
        () -> store.createTenant(new Tenant(UUID.randomUUID(), "CONTOSO.com", "Other", Instant.now())));
    assertTrue(sameDomain.conflict());
    assertTrue(message(sameDomain).contains("domain"), sameDomain.getMessage());
    StoreException sameId = assertThrows(StoreException.class,
        () -> store.createTenant(new Tenant(contoso.id(), "fabrikam.com", "Other", Instant.now())));
    assertTrue(sameId.conflict());
    assertTrue(message(sameId).contains("id"), sameId.getMessage());
    assertEquals(before, store.contentDigest());
  }

  // ---- users ----------------------------------------------------------------------------------------------------

  @Test
  void userIsFoundByIdAndByUpnInAnyCase() throws Exception {
    User expected = normalised(alice);
    assertEquals("alice@contoso.com", expected.upn());
    assertEquals(Optional.of(expected), store.user(alice.objectId()));
    assertEquals(Optional.of(expected), store.userByUpn("ALICE@contoso.COM"));
    assertEquals(Optional.empty(), store.user(UUID.randomUUID()));
    assertEquals(Optional.empty(), store.userByUpn("bob@contoso.com"));
  }

  @Test
  void userWithoutPasswordKeepsEmptyHashes() throws Exception {
    User bob = new User(UUID.randomUUID(), contoso.id(), "bob@contoso.com", "Bob", false, Optional.empty(),
        Optional.of("totp-hash"), Instant.now());
    store.createUser(bob);
    assertEquals(Optional.of(normalised(bob)), store.user(bob.objectId()));
    reopen();
    assertEquals(Optional.of(normalised(bob)), store.user(bob.objectId()));
  }

  @Test
  void userWithAnExistingIdOrUpnIsAConflictThatNamesTheUpnButNoHash() throws Exception {
    String before = store.contentDigest();
    User sameUpn = new User(UUID.randomUUID(), contoso.id(), "ALICE@CONTOSO.COM", "Alice 2", true,
        Optional.of("secret-hash-value"), Optional.empty(), Instant.now());
    StoreException upn = assertThrows(StoreException.class, () -> store.createUser(sameUpn));
    assertTrue(upn.conflict());
    assertTrue(message(upn).contains("UPN"), upn.getMessage());
    assertFalse(message(upn).contains("secret-hash-value"), upn.getMessage());
    User sameId = new User(alice.objectId(), contoso.id(), "other@contoso.com", "Other", true, Optional.empty(),
        Optional.empty(), Instant.now());
    StoreException id = assertThrows(StoreException.class, () -> store.createUser(sameId));
    assertTrue(id.conflict());
    assertEquals(before, store.contentDigest());
  }

  @Test
  void userOfAnUnknownTenantIsRefusedWithoutConflict() throws Exception {
    User orphan = user(tenant("nowhere.example"), "orphan@nowhere.example");
    StoreException e = assertThrows(StoreException.class, () -> store.createUser(orphan));
    assertFalse(e.conflict());
    assertEquals(Optional.empty(), store.user(orphan.objectId()));
  }

  // ---- devices --------------------------------------------------------------------------------------------------

  @Test
  void deviceIsFoundByIdAndByThumbprintInAnyCase() throws Exception {
    assertDevice(laptop, store.device(laptop.deviceId()).orElseThrow());
    assertDevice(laptop, store.deviceByThumbprint(laptop.certificateThumbprint()).orElseThrow());
    assertDevice(laptop,
        store.deviceByThumbprint(laptop.certificateThumbprint().toUpperCase(Locale.ROOT)).orElseThrow());
    assertEquals(Optional.empty(), store.device(UUID.randomUUID()));
    assertEquals(Optional.empty(), store.deviceByThumbprint("00".repeat(32)));
  }

  @Test
  void deviceJoinIsAudited() throws Exception {
    List<AuditEvent> events = store.auditEvents(0, 100);
    assertEquals(1, events.size());
    AuditEvent joined = events.get(0);
    assertEquals("device.joined", joined.event());
    assertEquals("test", joined.actor());
    assertEquals(laptop.deviceId().toString(), joined.subject());
    assertTrue(joined.sequence() > 0);
  }

  @Test
  void deviceWithAnExistingIdOrThumbprintIsAConflict() throws Exception {
    String before = store.contentDigest();
    Device sameId = device(contoso, alice, "other");
    Device copyId = new Device(laptop.deviceId(), sameId.tenantId(), sameId.registeredBy(), "other", "Windows", "x",
        0, sameId.certificate(), sameId.certificateThumbprint(), sameId.transportKey(), true, Instant.now());
    StoreException id = assertThrows(StoreException.class, () -> store.createDevice(copyId, "test"));
    assertTrue(id.conflict());
    Device sameThumbprint = new Device(UUID.randomUUID(), contoso.id(), alice.objectId(), "other", "Windows", "x",
        0, laptop.certificate(), laptop.certificateThumbprint().toUpperCase(Locale.ROOT), laptop.transportKey(),
        true, Instant.now());
    StoreException thumbprint = assertThrows(StoreException.class, () -> store.createDevice(sameThumbprint, "test"));
    assertTrue(thumbprint.conflict());
    assertTrue(message(thumbprint).contains("thumbprint"), thumbprint.getMessage());
    assertEquals(before, store.contentDigest());
    assertEquals(1, store.auditEvents(0, 100).size(), "a refused join is not audited as a join");
  }

  @Test
  void deviceOfAnUnknownUserIsRefusedWithoutConflict() throws Exception {
    Device orphan = device(contoso, user(contoso, "ghost@contoso.com"), "orphan");
    StoreException e = assertThrows(StoreException.class, () -> store.createDevice(orphan, "test"));
    assertFalse(e.conflict());
    assertEquals(Optional.empty(), store.device(orphan.deviceId()));
  }

  @Test
  void disablingAndEnablingADeviceIsSeenAtOnceAndAudited() throws Exception {
    // warm the cache on both lookups first
    assertTrue(store.device(laptop.deviceId()).orElseThrow().enabled());
    assertTrue(store.deviceByThumbprint(laptop.certificateThumbprint()).orElseThrow().enabled());

    assertTrue(store.setDeviceEnabled(laptop.deviceId(), false, "admin"));
    assertFalse(store.device(laptop.deviceId()).orElseThrow().enabled());
    assertFalse(store.deviceByThumbprint(laptop.certificateThumbprint()).orElseThrow().enabled());

    assertTrue(store.setDeviceEnabled(laptop.deviceId(), true, "admin"));
    assertTrue(store.deviceByThumbprint(laptop.certificateThumbprint()).orElseThrow().enabled());

    assertFalse(store.setDeviceEnabled(UUID.randomUUID(), false, "admin"));
    List<String> events = store.auditEvents(0, 100).stream().map(AuditEvent::event).toList();
    assertEquals(List.of("device.joined", "device.disabled", "device.enabled"), events);
  }

  @Test
  void deletingADeviceDeletesItsKeysAndIsAudited() throws Exception {
    RegisteredKey key = key(alice, laptop);
    store.registerKey(key, "alice");
    assertTrue(store.keyByIdentifier(key.keyIdentifier()).isPresent()); // cached now
    assertTrue(store.deviceByThumbprint(laptop.certificateThumbprint()).isPresent()); // cached now

    assertTrue(store.deleteDevice(laptop.deviceId(), "admin"));
    assertEquals(Optional.empty(), store.device(laptop.deviceId()));
    assertEquals(Optional.empty(), store.deviceByThumbprint(laptop.certificateThumbprint()));
    assertEquals(Optional.empty(), store.keyByIdentifier(key.keyIdentifier()));
    assertEquals(Optional.empty(), store.keyBySpki(key.spkiSha256()));
    assertEquals(List.of(), store.keysOfUser(alice.objectId()));
    assertFalse(store.deleteDevice(laptop.deviceId(), "admin"));

    AuditEvent last = store.auditEvents(0, 100).get(2);
    assertEquals("device.deleted", last.event());
    assertEquals(laptop.deviceId().toString(), last.subject());
    assertEquals("admin", last.actor());
    assertEquals(3, store.auditEvents(0, 100).size(), "deleting nothing is not audited");
  }

  // ---- keys -----------------------------------------------------------------------------------------------------

  @Test
  void keyIsFoundByIdentifierBySpkiAndByUser() throws Exception {
    RegisteredKey key = key(alice, laptop);
    assertEquals(RegistrationOutcome.CREATED, store.registerKey(key, "alice"));
    assertKey(key, store.keyByIdentifier(key.keyIdentifier()).orElseThrow());
    assertKey(key, store.keyBySpki(key.spkiSha256()).orElseThrow());
    List<RegisteredKey> keys = store.keysOfUser(alice.objectId());
    assertEquals(1, keys.size());
    assertKey(key, keys.get(0));
    assertEquals(Optional.empty(), store.keyByIdentifier("AAAA"));
    assertEquals(Optional.empty(), store.keyBySpki("AAAA"));
    assertEquals(List.of(), store.keysOfUser(UUID.randomUUID()));
  }

  @Test
  void registeringAgainOnTheSameDeviceReplacesTheKeyAndAuditsBothInOrder() throws Exception {
    RegisteredKey first = key(alice, laptop);
    RegisteredKey second = key(alice, laptop);
    assertEquals(RegistrationOutcome.CREATED, store.registerKey(first, "alice"));
    assertTrue(store.keyByIdentifier(first.keyIdentifier()).isPresent()); // cached now
    assertEquals(RegistrationOutcome.REPLACED, store.registerKey(second, "alice"));

    assertEquals(Optional.empty(), store.keyByIdentifier(first.keyIdentifier()));
    assertEquals(Optional.empty(), store.keyBySpki(first.spkiSha256()));
    assertKey(second, store.keyByIdentifier(second.keyIdentifier()).orElseThrow());
    assertEquals(1, store.keysOfUser(alice.objectId()).size());

    List<AuditEvent> events = store.auditEvents(0, 100);
    assertEquals(List.of("device.joined", "key.registered", "key.replaced"),
        events.stream().map(AuditEvent::event).toList());
    AuditEvent registered = events.get(1);
    assertEquals(first.kid().toString(), registered.subject());
    assertTrue(registered.detail().contains(first.keyIdentifier()), registered.detail());
    AuditEvent replaced = events.get(2);
    assertEquals(second.kid().toString(), replaced.subject());
    assertTrue(replaced.detail().contains(first.keyIdentifier()), replaced.detail());
    assertTrue(replaced.detail().contains(second.keyIdentifier()), replaced.detail());
    assertTrue(events.get(0).sequence() < registered.sequence());
    assertTrue(registered.sequence() < replaced.sequence());
  }

  @Test
  void reRegisteringTheSameKeyMaterialOnTheSameDeviceReplacesIt() throws Exception {
    byte[] material = "RSA1 same material".getBytes(StandardCharsets.UTF_8);
    RegisteredKey first = key(alice, laptop, material);
    store.registerKey(first, "alice");
    RegisteredKey again = key(alice, laptop, material);
    assertEquals(RegistrationOutcome.REPLACED, store.registerKey(again, "alice"));
    assertEquals(again.kid(), store.keyByIdentifier(first.keyIdentifier()).orElseThrow().kid());
  }

  @Test
  void keyMaterialRegisteredToAnotherUserOrDeviceIsAConflictAndChangesNothing() throws Exception {
    byte[] material = "RSA1 shared material".getBytes(StandardCharsets.UTF_8);
    store.registerKey(key(alice, laptop, material), "alice");
    User bob = user(contoso, "bob@contoso.com");
    store.createUser(bob);
    Device desktop = device(contoso, bob, "desktop");
    store.createDevice(desktop, "test");
    String before = store.contentDigest();
    int events = store.auditEvents(0, 100).size();

    StoreException otherUser =
        assertThrows(StoreException.class, () -> store.registerKey(key(bob, desktop, material), "bob"));
    assertTrue(otherUser.conflict());
    assertTrue(message(otherUser).contains("key material"), otherUser.getMessage());
    StoreException otherDevice =
        assertThrows(StoreException.class, () -> store.registerKey(key(alice, desktop, material), "alice"));
    assertTrue(otherDevice.conflict());

    assertEquals(before, store.contentDigest());
    assertEquals(events, store.auditEvents(0, 100).size());
  }

  @Test
  void aKeyForAnUnknownDeviceOrUserIsRefusedWithoutConflict() throws Exception {
    Device ghostDevice = device(contoso, alice, "ghost");
    StoreException device =
        assertThrows(StoreException.class, () -> store.registerKey(key(alice, ghostDevice), "alice"));
    assertFalse(device.conflict());
    User ghost = user(contoso, "ghost@contoso.com");
    StoreException user = assertThrows(StoreException.class, () -> store.registerKey(key(ghost, laptop), "ghost"));
    assertFalse(user.conflict());
  }

  @Test
  void keysOfAUserAreListedOldestFirst() throws Exception {
    Device desktop = device(contoso, alice, "desktop");
    Device phone = device(contoso, alice, "phone");
    store.createDevice(desktop, "test");
    store.createDevice(phone, "test");
    RegisteredKey k1 = withCreated(key(alice, phone), Instant.parse("2026-01-01T00:00:00Z"));
    RegisteredKey k2 = withCreated(key(alice, laptop), Instant.parse("2026-01-02T00:00:00Z"));
    RegisteredKey k3 = withCreated(key(alice, desktop), Instant.parse("2026-01-03T00:00:00Z"));
    store.registerKey(k3, "alice");
    store.registerKey(k1, "alice");
    store.registerKey(k2, "alice");
    assertEquals(List.of(k1.kid(), k2.kid(), k3.kid()),
        store.keysOfUser(alice.objectId()).stream().map(RegisteredKey::kid).toList());
  }

  @Test
  void deletingAKeyIsAuditedOnceAndIdempotent() throws Exception {
    RegisteredKey key = key(alice, laptop);
    store.registerKey(key, "alice");
    assertTrue(store.keyByIdentifier(key.keyIdentifier()).isPresent()); // cached now
    assertTrue(store.deleteKey(key.kid(), "alice"));
    assertEquals(Optional.empty(), store.keyByIdentifier(key.keyIdentifier()));
    assertEquals(Optional.empty(), store.keyBySpki(key.spkiSha256()));
    assertFalse(store.deleteKey(key.kid(), "alice"));
    assertFalse(store.deleteKey(UUID.randomUUID(), "alice"));
    assertEquals(List.of("device.joined", "key.registered", "key.deleted"),
        store.auditEvents(0, 100).stream().map(AuditEvent::event).toList());
    assertTrue(store.device(laptop.deviceId()).isPresent(), "the device stays");
  }

  @Test
  void arraysHandedInAndOutAreNotShared() throws Exception {
    Device device = device(contoso, alice, "tablet");
    byte[] certificate = device.certificate().clone();
    store.createDevice(device, "test");
    device.certificate()[0] ^= 1; // the caller changes its array after the call
    Device first = store.device(device.deviceId()).orElseThrow();
    assertArrayEquals(certificate, first.certificate());
    first.certificate()[0] ^= 1; // a caller changes what it got
    first.transportKey()[0] ^= 1;
    Device second = store.device(device.deviceId()).orElseThrow();
    assertArrayEquals(certificate, second.certificate());
    assertNotEquals(first.transportKey()[0], second.transportKey()[0]);

    RegisteredKey key = key(alice, device);
    byte[] material = key.keyMaterial().clone();
    store.registerKey(key, "alice");
    key.keyMaterial()[0] ^= 1;
    RegisteredKey read = store.keyByIdentifier(key.keyIdentifier()).orElseThrow();
    read.keyMaterial()[0] ^= 1;
    assertArrayEquals(material, store.keyByIdentifier(key.keyIdentifier()).orElseThrow().keyMaterial());
  }

  // ---- audit ----------------------------------------------------------------------------------------------------

  @Test
  void auditEventsArePagedBySequence() throws Exception {
    for (int i = 0; i < 5; i++) {
      store.audit("svc", "request.refused", "subject-" + i, "detail " + i);
    }
    List<AuditEvent> all = store.auditEvents(0, 100);
    assertEquals(6, all.size());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i - 1).sequence() < all.get(i).sequence());
    }
    AuditEvent third = all.get(3);
    assertEquals("request.refused", third.event());
    assertEquals("svc", third.actor());
    assertEquals("subject-2", third.subject());
    assertEquals("detail 2", third.detail());
    assertEquals(all.subList(2, 4), store.auditEvents(all.get(1).sequence(), 2));
    assertEquals(all.subList(5, 6), store.auditEvents(all.get(4).sequence(), 10));
    assertEquals(List.of(), store.auditEvents(all.get(5).sequence(), 10));
    assertEquals(List.of(), store.auditEvents(0, 0));
    assertThrows(IllegalArgumentException.class, () -> store.auditEvents(0, -1));
  }

  @Test
  void overlongAuditTextIsClippedRatherThanRefused() throws Exception {
    store.audit("svc", "request.refused", "s".repeat(5000), "d".repeat(10_000));
    AuditEvent event = store.auditEvents(1, 1).get(0);
    assertEquals(1000, event.subject().length());
    assertEquals(4000, event.detail().length());
  }

  // ---- secrets --------------------------------------------------------------------------------------------------

  @Test
  void theFirstSecretStoredWinsAndSurvivesAReopen() throws Exception {
    byte[] first = {1, 2, 3};
    byte[] got = store.getOrCreateSecret("ca", first);
    assertArrayEquals(first, got);
    got[0] = 9; // the caller's copy
    assertArrayEquals(first, store.getOrCreateSecret("ca", new byte[] {7, 7}));
    assertArrayEquals(new byte[] {4}, store.getOrCreateSecret("signing", new byte[] {4}));
    String digest = store.contentDigest();
    reopen();
    assertArrayEquals(first, store.getOrCreateSecret("ca", new byte[] {8}));
    assertEquals(digest, store.contentDigest(), "secrets are not part of the digest");
  }

  // ---- digest ---------------------------------------------------------------------------------------------------

  @Test
  void digestIsStableAndIgnoresAuditAndSecrets() throws Exception {
    String digest = store.contentDigest();
    assertEquals(64, digest.length());
    assertEquals(digest, store.contentDigest());
    store.audit("svc", "request.refused", "x", "y");
    store.getOrCreateSecret("prt", new byte[] {1});
    assertEquals(digest, store.contentDigest());
    reopen();
    assertEquals(digest, store.contentDigest());
  }

  @Test
  void digestChangesWithEveryKindOfContentChange() throws Exception {
    java.util.Set<String> seen = new java.util.HashSet<>();
    assertTrue(seen.add(store.contentDigest()));
    store.createTenant(tenant("fabrikam.com"));
    assertTrue(seen.add(store.contentDigest()));
    User bob = user(contoso, "bob@contoso.com");
    store.createUser(bob);
    String withBob = store.contentDigest();
    assertTrue(seen.add(withBob));
    Device desktop = device(contoso, bob, "desktop");
    store.createDevice(desktop, "test");
    assertTrue(seen.add(store.contentDigest()));
    RegisteredKey key = key(bob, desktop);
    store.registerKey(key, "bob");
    assertTrue(seen.add(store.contentDigest()));
    store.registerKey(key(bob, desktop), "bob");
    assertTrue(seen.add(store.contentDigest()));
    store.setDeviceEnabled(desktop.deviceId(), false, "admin");
    assertTrue(seen.add(store.contentDigest()));
    store.deleteDevice(desktop.deviceId(), "admin");
    assertEquals(withBob, store.contentDigest(), "the content is back to what it was before the device joined");
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  @Test
  void reopeningKeepsEverything() throws Exception {
    RegisteredKey key = key(alice, laptop);
    store.registerKey(key, "alice");
    store.setDeviceEnabled(laptop.deviceId(), false, "admin");
    store.getOrCreateSecret("ca", new byte[] {42});
    String digest = store.contentDigest();
    List<AuditEvent> events = store.auditEvents(0, 100);

    reopen();
    assertEquals(digest, store.contentDigest());
    assertEquals(events, store.auditEvents(0, 100));
    assertEquals(Optional.of(normalised(contoso)), store.tenantByDomain("contoso.com"));
    assertEquals(Optional.of(normalised(alice)), store.userByUpn("alice@contoso.com"));
    Device device = store.deviceByThumbprint(laptop.certificateThumbprint()).orElseThrow();
    assertFalse(device.enabled());
    assertKey(key, store.keyByIdentifier(key.keyIdentifier()).orElseThrow());
    assertArrayEquals(new byte[] {42}, store.getOrCreateSecret("ca", new byte[] {0}));

    store.audit("svc", "after.reopen", "s", "d");
    List<AuditEvent> after = store.auditEvents(events.get(events.size() - 1).sequence(), 10);
    assertEquals(1, after.size(), "sequence numbers continue after a reopen");
  }

  @Test
  void aClosedStoreRefusesEveryCallAndClosesTwiceQuietly() throws Exception {
    store.device(laptop.deviceId()); // cached
    store.close();
    store.close();
    for (StoreCall call : List.<StoreCall>of(
        () -> store.device(laptop.deviceId()),
        () -> store.deviceByThumbprint(laptop.certificateThumbprint()),
        () -> store.user(alice.objectId()),
        () -> store.keyByIdentifier("x"),
        () -> store.tenant(contoso.id()),
        () -> store.contentDigest(),
        () -> store.audit("a", "b", "c", "d"))) {
      StoreException e = assertThrows(StoreException.class, call::run);
      assertFalse(e.conflict());
    }
    store = open(); // for tearDown
  }

  /** A store call for table-driven checks. */
  @FunctionalInterface
  interface StoreCall {
    void run() throws Exception;
  }

  private static String message(Exception e) {
    return String.valueOf(e.getMessage());
  }

  private static RegisteredKey withCreated(RegisteredKey k, Instant created) {
    return new RegisteredKey(k.kid(), k.userId(), k.deviceId(), k.keyIdentifier(), k.spkiSha256(), k.keyMaterial(),
        k.attestation(), created);
  }
}
