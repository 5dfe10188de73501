package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.UserVerificationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptsTest {
  private static final ContainerId ID = ContainerId.of("alice-1");
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final Attempts.Policy policy = new Attempts.Policy(3, Duration.ofSeconds(60));

  @Test
  void failuresCountDownThenLockWithADoublingBackOffAndOneAttemptAfterEachLockout() throws Exception {
    Attempts a = Attempts.fresh(ID);
    assertEquals(3, policy.remaining(a, T0, "c"));
    a = policy.afterFailure(a, T0);
    assertEquals(2, policy.wrong(a, "c").attemptsRemaining());
    a = policy.afterFailure(a, T0);
    a = policy.afterFailure(a, T0);
    UserVerificationException locked = policy.wrong(a, "c");
    assertTrue(locked.lockedOut());
    assertEquals(T0.plusSeconds(60), locked.lockedUntil().orElseThrow());
    Attempts lockedState = a;
    assertThrows(UserVerificationException.class, () -> policy.remaining(lockedState, T0.plusSeconds(59), "c"));
    assertEquals(1, policy.remaining(a, T0.plusSeconds(60), "c"));
    a = policy.afterFailure(a, T0.plusSeconds(60));
    assertEquals(T0.plusSeconds(180), a.lockedUntil(), "the second lockout lasts twice as long");
    assertEquals(Duration.ofHours(24), policy.backoff(30), "capped");
  }

  @Test
  void theCounterRoundTripsAndRefusesAnotherContainersOrADamagedFile() throws Exception {
    Path file = Path.of("attempts.ngc");
    Attempts a = new Attempts(ID, 2, 1, T0);
    assertEquals(a, Attempts.decode(file, a.encode(), ID));
    assertThrows(ContainerCorruptedException.class, () -> Attempts.decode(file, a.encode(), ContainerId.of("bob")));
    byte[] damaged = a.encode();
    damaged[20] ^= 1;
    assertThrows(ContainerCorruptedException.class, () -> Attempts.decode(file, damaged, ID));
  }
}
