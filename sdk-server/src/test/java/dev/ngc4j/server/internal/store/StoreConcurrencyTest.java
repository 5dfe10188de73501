package dev.ngc4j.server.internal.store;

import static dev.ngc4j.server.internal.store.StoreFixtures.device;
import static dev.ngc4j.server.internal.store.StoreFixtures.key;
import static dev.ngc4j.server.internal.store.StoreFixtures.tenant;
import static dev.ngc4j.server.internal.store.StoreFixtures.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.internal.store.DirectoryStore.AuditEvent;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.RegistrationOutcome;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads on one embedded store: registrations racing on the same user and device, secrets created at once,
 * and cached sign-in lookups racing with the writes that change them. Checks end states, not timings.
 */
class StoreConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 50;

  @TempDir Path temp;
  private JdbcDirectoryStore store;
  private ExecutorService executor;

  @BeforeEach
  void setUp() throws Exception {
    store = JdbcDirectoryStore.openEmbedded(temp.resolve("data"));
    executor = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void tearDown() throws Exception {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
    store.close();
  }

  /** Runs one task per thread, all released at once, and returns their results. */
  private <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(executor.submit(() -> {
        start.await();
        return task.call();
      }));
    }
    start.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(120, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void racingRegistrationsLeaveOneKeyPerUserAndDeviceAndAnUnbrokenAuditChain() throws Exception {
    Tenant contoso = tenant("contoso.com");
    store.createTenant(contoso);
    List<User> users = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      User u = user(contoso, "user" + i + "@contoso.com");
      store.createUser(u);
      users.add(u);
    }
    for (int i = 0; i < 3; i++) {
      Device d = device(contoso, users.get(0), "device" + i);
      store.createDevice(d, "test");
      devices.add(d);
    }
    long firstSequence = store.auditEvents(0, 1000).size();

    List<Callable<Map<RegistrationOutcome, Integer>>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(t);
      tasks.add(() -> {
        Map<RegistrationOutcome, Integer> outcomes = new HashMap<>();
        for (int r = 0; r < ROUNDS; r++) {
          User u = users.get(random.nextInt(users.size()));
          Device d = devices.get(random.nextInt(devices.size()));
          RegistrationOutcome outcome = store.registerKey(key(u, d), u.upn());
          outcomes.merge(outcome, 1, Integer::sum);
          // a sign-in lookup between writes, to race cache fills with other threads' writes
          store.keyByIdentifier(store.keysOfUser(u.objectId()).get(0).keyIdentifier());
        }
        return outcomes;
      });
    }
    int created = 0;
    int replaced = 0;
    for (Map<RegistrationOutcome, Integer> outcomes : race(tasks)) {
      created += outcomes.getOrDefault(RegistrationOutcome.CREATED, 0);
      replaced += outcomes.getOrDefault(RegistrationOutcome.REPLACED, 0);
    }
    assertEquals(THREADS * ROUNDS, created + replaced);

    // one key per (user, device) pair that was used; CREATED exactly once per pair
    Map<String, RegisteredKey> finalKeys = new HashMap<>();
    for (User u : users) {
      for (RegisteredKey k : store.keysOfUser(u.objectId())) {
        assertTrue(finalKeys.put(k.userId() + "/" + k.deviceId(), k) == null, "two keys for one user and device");
      }
    }
    assertEquals(finalKeys.size(), created);

    // the audit log: contiguous sequence numbers, and per pair a chain in which each replacement names the key
    // the previous event installed; the chain ends at the key that is registered
    List<AuditEvent> events = store.auditEvents(firstSequence, 10_000);
    assertEquals(THREADS * ROUNDS, events.size());
    Map<String, String> lastIdentifier = new HashMap<>();
    Set<String> everInstalled = new HashSet<>();
    for (int i = 0; i < events.size(); i++) {
      AuditEvent e = events.get(i);
      assertEquals(firstSequence + 1 + i, e.sequence(), "sequence numbers have no gaps");
      String pair = field(e.detail(), "user") + "/" + field(e.detail(), "device");
      if (e.event().equals("key.registered")) {
        assertFalse(lastIdentifier.containsKey(pair), "registered twice as new: " + pair);
        lastIdentifier.put(pair, field(e.detail(), "keyIdentifier"));
      } else {
        assertEquals("key.replaced", e.event());
        assertEquals(lastIdentifier.get(pair), field(e.detail(), "oldKeyIdentifier"), "broken chain for " + pair);
        lastIdentifier.put(pair, field(e.detail(), "newKeyIdentifier"));
      }
      everInstalled.add(lastIdentifier.get(pair));
    }
    assertEquals(finalKeys.size(), lastIdentifier.size());
    for (Map.Entry<String, RegisteredKey> entry : finalKeys.entrySet()) {
      assertEquals(lastIdentifier.get(entry.getKey()), entry.getValue().keyIdentifier());
    }

    // the cache agrees with the database: every replaced key is gone, every final key is found
    Set<String> live = new HashSet<>();
    finalKeys.values().forEach(k -> live.add(k.keyIdentifier()));
    for (String identifier : everInstalled) {
      assertEquals(live.contains(identifier), store.keyByIdentifier(identifier).isPresent(), identifier);
    }
    String digest = store.contentDigest();
    store.close();
    store = JdbcDirectoryStore.openEmbedded(temp.resolve("data"));
    assertEquals(digest, store.contentDigest());
    for (String identifier : everInstalled) {
      assertEquals(live.contains(identifier), store.keyByIdentifier(identifier).isPresent(), identifier);
    }
  }

  @Test
  void racingRegistrationsOfOneKeyMaterialGiveItToExactlyOneDevice() throws Exception {
    Tenant contoso = tenant("contoso.com");
    store.createTenant(contoso);
    User u = user(contoso, "user@contoso.com");
    store.createUser(u);
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Device d = device(contoso, u, "device" + i);
      store.createDevice(d, "test");
      devices.add(d);
    }
    for (int round = 0; round < 10; round++) {
      byte[] material = ("RSA1 contested " + round).getBytes(StandardCharsets.UTF_8);
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (Device d : devices) {
        tasks.add(() -> {
          try {
            store.registerKey(key(u, d, material), "user");
            return true;
          } catch (StoreException e) {
            assertTrue(e.conflict(), () -> "not a conflict: " + e);
            return false;
          }
        });
      }
      assertEquals(1, race(tasks).stream().filter(won -> won).count(), "round " + round);
    }
  }

  @Test
  void racingSecretCreationsAllSeeTheFirstValue() throws Exception {
    List<Callable<Map<String, byte[]>>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      byte thread = (byte) t;
      tasks.add(() -> {
        Map<String, byte[]> seen = new HashMap<>();
        for (int r = 0; r < ROUNDS; r++) {
          String name = "secret-" + r;
          byte[] value = store.getOrCreateSecret(name, new byte[] {thread, (byte) r});
          byte[] before = seen.put(name, value);
          assertTrue(before == null);
        }
        return seen;
      });
    }
    List<Map<String, byte[]>> results = race(tasks);
    for (int r = 0; r < ROUNDS; r++) {
      String name = "secret-" + r;
      byte[] stored = store.getOrCreateSecret(name, new byte[] {-1});
      assertEquals(2, stored.length);
      assertEquals((byte) r, stored[1]);
      for (Map<String, byte[]> seen : results) {
        assertArrayEquals(stored, seen.get(name), name);
      }
    }
  }

  @Test
  void cachedLookupsNeverLagBehindAReturnedWrite() throws Exception {
    Tenant contoso = tenant("contoso.com");
    store.createTenant(contoso);
    User u = user(contoso, "user@contoso.com");
    store.createUser(u);
    Device d = device(contoso, u, "laptop");
    store.createDevice(d, "test");

    AtomicBoolean done = new AtomicBoolean();
    List<Callable<Integer>> tasks = new ArrayList<>();
    // one writer: toggles the device and, after each toggle returned, checks both lookups see it
    tasks.add(() -> {
      try {
        boolean enabled = true;
        for (int r = 0; r < ROUNDS * 2; r++) {
          enabled = !enabled;
          assertTrue(store.setDeviceEnabled(d.deviceId(), enabled, "admin"));
          assertEquals(enabled, store.device(d.deviceId()).orElseThrow().enabled(), "round " + r);
          assertEquals(enabled, store.deviceByThumbprint(d.certificateThumbprint()).orElseThrow().enabled());
        }
        return 0;
      } finally {
        done.set(true);
      }
    });
    // readers: look up the device as fast as they can, racing cache fills against the writer
    for (int t = 1; t < THREADS; t++) {
      tasks.add(() -> {
        int reads = 0;
        while (!done.get()) {
          assertTrue(store.deviceByThumbprint(d.certificateThumbprint()).isPresent());
          assertTrue(store.device(d.deviceId()).isPresent());
          reads++;
        }
        return reads;
      });
    }
    race(tasks);
    // ROUNDS * 2 toggles from enabled: back to enabled
    assertTrue(store.device(d.deviceId()).orElseThrow().enabled());
    assertTrue(store.deviceByThumbprint(d.certificateThumbprint()).orElseThrow().enabled());
  }

  /** The value of {@code name=value} in an audit detail. */
  private static String field(String detail, String name) {
    for (String part : detail.split(" ", -1)) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + detail);
  }
}
