package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.ScriptedGestures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link CrashChild}) with {@code destroyForcibly} in the middle of PIN changes and of
 * creations and deletions, then checks from this JVM that every container still opens with a valid PIN, is not
 * damaged, and that no leftover is taken for a container.
 */
class CrashTest {
  private static final String PIN_A = "314159";
  private static final String PIN_B = "271828";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int KILL_WINDOW_MICROS = 40_000;
  private static final long SEED = System.nanoTime();
  private final Random random = new Random(SEED);

  private static ProviderSession openProvider(Path data) throws Exception {
    return dev.ngc4j.provider.software.SoftwareCredentialProvider.builder().argon2(1024, 1, 1).build()
        .open(new ProviderContext(data, Clock.systemUTC(), Map.of()));
  }

  /**
   * Runs the child until it has reported {@code progressLines} completed operations, lets it run for a random part
   * of one more operation, then kills it.
   *
   * @return the extra time, in microseconds, the child ran after its last counted report
   */
  private int runAndKill(Path data, Path log, int progressLines, String... args) throws Exception {
    int extraMicros = random.nextInt(KILL_WINDOW_MICROS);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CrashChild.class.getName());
    command.add(data.toString());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).redirectError(log.toFile()).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("reader failed: " + e);
      }
    }, "crash-child-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      int progress = 0;
      while (progress < progressLines) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          fail("the child reported " + progress + " of " + progressLines + " operations within " + DEADLINE
              + " (alive: " + child.isAlive() + "); its log:\n" + Files.readString(log));
        }
        if (!line.equals("ready")) {
          progress++;
        }
      }
      // Kill at a random point of the next operation: wait for its progress line for a random part of an
      // operation's duration (it usually does not come), so the kill does not always land at the same step.
      lines.poll(extraMicros, TimeUnit.MICROSECONDS);
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the child did not die");
    }
    return extraMicros;
  }

  @Test
  void pinChangesKilledAtRandomMomentsLeaveAContainerThatOpensWithOneOfTheTwoPins(@TempDir Path temp)
      throws Exception {
    Path data = temp.resolve("software");
    try (ProviderSession session = openProvider(data)) {
      session.containers().create(
          new ContainerSpec(CrashChild.PIN_CONTAINER, CrashChild.USER, ProtectorSpec.pin(), PinPolicy.defaults()),
          session.keySource().generate(), ScriptedGestures.create().pin(PIN_A.toCharArray()));
    }
    String current = PIN_A;
    for (int round = 0; round < 3; round++) {
      int lines = 1 + random.nextInt(8);
      String other = current.equals(PIN_A) ? PIN_B : PIN_A;
      int extra = runAndKill(data, temp.resolve("child-" + round + ".log"), lines, "change-pin", current, other);
      current = assertOpensWithOneOf(
          data, "round " + round + " killed " + extra + " us after " + lines + " changes (seed " + SEED + ")");
    }
  }

  private String assertOpensWithOneOf(Path data, String context) throws Exception {
    try {
      return opensWithOneOf(data, context);
    } catch (NgcException e) {
      throw new AssertionError("the container does not open after the kill, " + context + ": " + e.getMessage(), e);
    }
  }

  private String opensWithOneOf(Path data, String context) throws Exception {
    try (ProviderSession session = openProvider(data)) {
      assertEquals(List.of(CrashChild.PIN_CONTAINER), session.containers().list(), context);
      KeyContainer container = session.containers().open(CrashChild.PIN_CONTAINER);
      for (String pin : List.of(PIN_A, PIN_B)) {
        try {
          container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1},
              ScriptedGestures.create().pin(pin.toCharArray()));
          assertEquals(session.containers().list(), List.of(CrashChild.PIN_CONTAINER), context);
          return pin;
        } catch (UserVerificationException e) {
          assertEquals(ErrorCode.WRONG_GESTURE, e.code(), context);
        }
      }
      return fail("neither PIN opens the container: " + context);
    }
  }

  @Test
  void creationsAndDeletionsKilledAtRandomMomentsLeaveOnlyWholeContainers(@TempDir Path temp) throws Exception {
    Path data = temp.resolve("software");
    int next = 0;
    for (int round = 0; round < 4; round++) {
      int lines = 1 + random.nextInt(8);
      int extra =
          runAndKill(data, temp.resolve("child-" + round + ".log"), lines, "create", PIN_A, String.valueOf(next));
      next += 1000;
      String context =
          "round " + round + " killed " + extra + " us after " + lines + " creations (seed " + SEED + ")";
      try (ProviderSession session = openProvider(data)) {
        List<ContainerId> ids = session.containers().list();
        assertTrue(ids.size() >= 1, context);
        for (ContainerId id : ids) {
          assertTrue(id.value().startsWith("c-"), () -> id + " is not a container the child made; " + context);
          try {
            KeyContainer container = session.containers().open(id);
            container.unlock(ScriptedGestures.create().pin(PIN_A.toCharArray())).close();
          } catch (NgcException e) {
            throw new AssertionError(id + " does not open after the kill, " + context + ": " + e.getMessage(), e);
          }
        }
      }
      try (Stream<Path> entries = Files.list(data.resolve("containers"))) {
        for (Path entry : entries.toList()) {
          String name = String.valueOf(entry.getFileName());
          assertTrue(name.startsWith("c-") || name.startsWith("."), name);
        }
      }
    }
  }
}
