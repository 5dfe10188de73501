package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the provider does when its TPM dies or hangs: typed errors within the timeout, never a hang. */
class TpmFailureTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(3);

  private static KeyContainer container(TpmSession session) throws Exception {
    return session.containers().create(
        new ContainerSpec(ContainerId.of("alice-1"), ALICE, ProtectorSpec.pin(), PinPolicy.defaults()),
        session.keySource().generate(), ScriptedGestures.create().pin("314159".toCharArray()));
  }

  /** Waits, with a deadline, until the session's device has written more commands than {@code before}. */
  private static void awaitCommandWritten(TpmSession session, long before) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (session.connection().commandsWritten() <= before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the command was never written");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  @Test
  void swtpmKilledWhileACommandIsInFlightGivesProviderUnavailableAtOnce(@TempDir Path dir, @TempDir Path data)
      throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      tpm.relaxDictionaryAttack();
      try (TpmSession session = TpmTestSupport.open(tpm, data, MutableClock.create(),
          Map.of(TpmSettings.KEY_COMMAND_TIMEOUT, "30"))) {
        KeyContainer c = container(session);
        try (UnlockedKey key = c.unlock(ScriptedGestures.create().pin("314159".toCharArray()))) {
          tpm.suspend(); // the next command reaches the socket but is not answered...
          long before = session.connection().commandsWritten();
          CompletableFuture<byte[]> signing = CompletableFuture.supplyAsync(() -> {
            try {
              return key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1, 2, 3});
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
          awaitCommandWritten(session, before);
          long killed = System.nanoTime();
          tpm.kill(); // ... and then the TPM dies mid-command
          ExecutionException e = assertThrows(ExecutionException.class, () -> signing.get(20, TimeUnit.SECONDS));
          long waited = System.nanoTime() - killed;
          ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, e.getCause());
          assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, u.code());
          assertTrue(u.remedy().contains("swtpm"), u::getMessage);
          assertTrue(waited < SLACK_NANOS, "failed " + waited / 1_000_000 + " ms after the kill, not at the timeout");
        }
        // Later calls try to reconnect and fail just as clearly.
        ProviderUnavailableException again = assertThrows(ProviderUnavailableException.class,
            () -> c.unlock(ScriptedGestures.create().pin("314159".toCharArray())));
        assertTrue(again.getMessage().contains(tpm.deviceSpec().substring(4)), again::getMessage);
      }
    }
  }

  @Test
  void aHungTpmTimesOutWithinTheCommandTimeoutAndTheNextCallReconnects(@TempDir Path dir, @TempDir Path data)
      throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      tpm.relaxDictionaryAttack();
      try (TpmSession session = TpmTestSupport.open(tpm, data, MutableClock.create(), Map.of())) {
        container(session);
      }
      try (TpmSession session = TpmTestSupport.open(tpm, data, MutableClock.create(),
          Map.of(TpmSettings.KEY_COMMAND_TIMEOUT, Long.toString(TpmTestSupport.HANG_TIMEOUT.toSeconds())))) {
        KeyContainer c = session.containers().open(ContainerId.of("alice-1"));
        long generation = session.connection().generation();
        tpm.suspend();
        long start = System.nanoTime();
        ScriptedGestures gestures = ScriptedGestures.create().pin("314159".toCharArray());
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
            () -> c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1}, gestures));
        long waited = System.nanoTime() - start;
        assertTrue(e.getMessage().contains("did not answer within " + TpmTestSupport.HANG_TIMEOUT.toMillis()),
            e::getMessage);
        assertTrue(waited >= TpmTestSupport.HANG_TIMEOUT.toNanos() / 2, "it waited for the timeout");
        assertTrue(waited < TpmTestSupport.HANG_TIMEOUT.toNanos() + SLACK_NANOS, "and no longer");

        // The TPM hung on the dictionary-attack check, before the PIN was asked: nothing asked, nothing paid.
        assertEquals(java.util.List.of(), gestures.requests());
        tpm.resume();
        // The connection was dropped; the next call reconnects (Startup, stale flush, SRK again) and works.
        assertEquals(TpmTestSupport.MAX_ATTEMPTS, c.lockoutState().attemptsRemaining());
        byte[] signature = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1},
            ScriptedGestures.create().pin("314159".toCharArray()));
        assertEquals(256, signature.length);
        assertTrue(session.connection().generation() > generation, "reconnected");
        assertEquals(1, session.keys().loadedTransientHandles().length, "the old SRK and key were flushed");
      }
    }
  }

  @Test
  void closingASessionWhileTheTpmHangsDoesNotHang(@TempDir Path dir, @TempDir Path data) throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      tpm.relaxDictionaryAttack();
      TpmSession session = TpmTestSupport.open(tpm, data, MutableClock.create(),
          Map.of(TpmSettings.KEY_COMMAND_TIMEOUT, "60"));
      long before = session.connection().commandsWritten();
      tpm.suspend();
      CompletableFuture<Object> generating = CompletableFuture.supplyAsync(() -> {
        try {
          return session.keySource().generate();
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      awaitCommandWritten(session, before);
      long start = System.nanoTime();
      session.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> generating.get(20, TimeUnit.SECONDS));
      assertInstanceOf(ProviderUnavailableException.class, e.getCause());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
      tpm.resume();
    }
  }
}
