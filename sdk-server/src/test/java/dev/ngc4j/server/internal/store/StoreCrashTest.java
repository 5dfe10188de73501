package dev.ngc4j.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.server.internal.store.DirectoryStore.AuditEvent;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link StoreCrashChild}) with {@code destroyForcibly} while it joins devices and registers keys
 * on the embedded database, several rounds on the same database, and checks after each kill that the database opens
 * cleanly, that every change the child reported as returned is there, that at most the one change in flight when
 * the kill came is there unreported, and that every change came with its audit event.
 */
class StoreCrashTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int ROUNDS = 4;
  private static final int KILL_WINDOW_MICROS = 20_000;
  private static final String EOF = "\u0000eof";
  private static final long SEED = System.nanoTime();

  private final Random random = new Random(SEED);

  @TempDir Path temp;

  /** What the parent knows the database holds: devices, and the key each device has (if any). */
  private final Map<UUID, String> thumbprints = new HashMap<>();
  private final Map<UUID, UUID> keyOfDevice = new HashMap<>();
  private final Set<UUID> reportedKids = new HashSet<>();
  private long registrations;

  @Test
  void killedWritersLoseNothingTheyReportedAndLeaveADatabaseThatOpens() throws Exception {
    Path data = temp.resolve("data");
    Tenant tenant = StoreFixtures.tenant("crash.example");
    User user = StoreFixtures.user(tenant, "crash@crash.example");
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      store.createTenant(tenant);
      store.createUser(user);
    }
    for (int round = 0; round < ROUNDS; round++) {
      int lines = 5 + random.nextInt(40);
      int extraMicros = random.nextInt(KILL_WINDOW_MICROS);
      String context = "round " + round + ", killed " + extraMicros + " us after " + lines + " lines (seed " + SEED
          + ")";
      List<String> reported = runAndKill(data, temp.resolve("child-" + round + ".log"), lines, extraMicros,
          round == 0, tenant.domain(), user.upn());
      verify(data, user, reported, context);
    }
  }

  /**
   * Starts the child, waits for {@code lines} progress lines, lets it run {@code extraMicros} more, kills it, and
   * returns every progress line it printed before it died.
   */
  private List<String> runAndKill(Path data, Path log, int lines, int extraMicros, boolean checkLock,
      String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StoreCrashChild.class.getName());
    command.add(data.toString());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          queue.add(line);
        }
      } catch (IOException e) {
        queue.add("reader failed: " + e);
      } finally {
        queue.add(EOF);
      }
    }, "store-crash-child-stdout");
    reader.setDaemon(true);
    reader.start();
    List<String> progress = new ArrayList<>();
    try {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      boolean ready = false;
      while (progress.size() < lines) {
        String line = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals(EOF)) {
          fail("the child reported " + progress.size() + " of " + lines + " lines within " + DEADLINE + " (alive: "
              + child.isAlive() + "); its log:\n" + Files.readString(log));
        }
        if (line.equals("ready")) {
          ready = true;
          if (checkLock) {
            // the child holds the database: this process cannot open it
            StoreException e = assertThrows(StoreException.class, () -> JdbcDirectoryStore.openEmbedded(data));
            assertTrue(String.valueOf(e.getMessage()).contains("in use by another process"), e.getMessage());
          }
        } else {
          progress.add(line);
        }
      }
      assertTrue(ready);
      // kill at a random point of a later call: wait a random part of a call's duration for a line that rarely comes
      String extra = queue.poll(extraMicros, TimeUnit.MICROSECONDS);
      if (extra != null && !extra.equals(EOF)) {
        progress.add(extra);
      }
    } finally {
      // Through the process handle: Process.destroyForcibly would also close our end of the child's stdout, and
      // lines the child wrote just before it died would be lost; this way they are read to the end.
      child.toHandle().destroyForcibly();
      assertTrue(child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the child did not die");
    }
    // lines the child wrote before it died are reports of returned calls too
    reader.join(DEADLINE.toMillis());
    assertFalse(reader.isAlive(), "the child's output did not end");
    while (true) {
      String line = Objects.requireNonNull(queue.poll());
      if (line.equals(EOF)) {
        return progress;
      }
      assertFalse(line.startsWith("reader failed"), line);
      progress.add(line);
    }
  }

  private void verify(Path data, User user, List<String> reported, String context) throws Exception {
    for (String line : reported) {
      String[] f = line.split(" ", -1);
      if (f[0].equals("device")) {
        thumbprints.put(UUID.fromString(f[1]), f[2]);
      } else if (f[0].equals("key")) {
        UUID kid = UUID.fromString(f[2]);
        keyOfDevice.put(UUID.fromString(f[1]), kid);
        reportedKids.add(kid);
        registrations++;
      } else {
        fail("unexpected line from the child: " + line + "; " + context);
      }
    }
    int unreported = 0;
    Set<UUID> joined = new HashSet<>();
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      List<AuditEvent> events = store.auditEvents(0, 1_000_000);
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i + 1, events.get(i).sequence(), "audit sequence has a gap; " + context);
      }
      long keyEvents = 0;
      for (AuditEvent event : events) {
        if (event.event().equals("device.joined")) {
          joined.add(UUID.fromString(event.subject()));
        } else {
          keyEvents++;
        }
      }
      // devices: every reported one is there; one more may have committed without being reported
      for (Map.Entry<UUID, String> device : thumbprints.entrySet()) {
        assertTrue(joined.contains(device.getKey()), "no join event for reported device " + device + "; " + context);
        assertTrue(store.device(device.getKey()).isPresent(), "reported device lost; " + context);
        assertEquals(device.getKey(), store.deviceByThumbprint(device.getValue()).orElseThrow().deviceId());
      }
      for (UUID id : joined) {
        if (!thumbprints.containsKey(id)) {
          unreported++;
          thumbprints.put(id, store.device(id).orElseThrow(() -> new AssertionError("joined, but no device"))
              .certificateThumbprint());
        }
      }
      // keys: each device has the last key reported for it, except possibly the one registration in flight
      Map<UUID, RegisteredKey> actual = new HashMap<>();
      for (RegisteredKey key : store.keysOfUser(user.objectId())) {
        assertTrue(actual.put(key.deviceId(), key) == null, "two keys on one device; " + context);
      }
      for (UUID device : thumbprints.keySet()) {
        RegisteredKey key = actual.get(device);
        UUID expected = keyOfDevice.get(device);
        if (key == null) {
          assertEquals(null, expected, "a reported key is lost; " + context);
          continue;
        }
        if (!key.kid().equals(expected)) {
          unreported++;
          assertFalse(reportedKids.contains(key.kid()), "a replaced key came back; " + context);
          keyOfDevice.put(device, key.kid());
          registrations++;
        }
        assertEquals(Optional.of(key.kid()), store.keyByIdentifier(key.keyIdentifier()).map(RegisteredKey::kid));
      }
      assertTrue(unreported <= 1, unreported + " changes committed but not reported; " + context);
      assertEquals(registrations, keyEvents, "key registrations and their audit events differ; " + context);
      assertEquals(64, store.contentDigest().length());
    }
    // and the rows, counted without the store
    try (Connection c = DriverManager.getConnection(
            "jdbc:h2:file:" + data.resolve(JdbcDirectoryStore.EMBEDDED_DATABASE_NAME), "sa", "");
        Statement s = c.createStatement()) {
      assertEquals(joined.size(), count(s, "SELECT COUNT(*) FROM devices"), context);
      assertEquals(keyOfDevice.size(), count(s, "SELECT COUNT(*) FROM registered_keys"), context);
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rows = s.executeQuery(sql)) {
      assertTrue(rows.next());
      return rows.getLong(1);
    }
  }
}
