package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.UserVerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lockout arithmetic both providers apply to their attempt counters. */
class LockoutPolicyTest {
  private final LockoutPolicy policy = new LockoutPolicy(3, Duration.ofSeconds(60), Duration.ofHours(24));
  private final ContainerId id = ContainerId.of("c");
  private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void theBackOffDoublesPerLockoutUpToTheCap() {
    assertEquals(Duration.ofMinutes(1), policy.backoff(1));
    assertEquals(Duration.ofMinutes(2), policy.backoff(2));
    assertEquals(Duration.ofMinutes(1024), policy.backoff(11));
    assertEquals(Duration.ofHours(24), policy.backoff(12));
    assertEquals(Duration.ofHours(24), policy.backoff(Integer.MAX_VALUE));
  }

  @Test
  void theFailureThatReachesTheLimitLocksAndOneAttemptFollowsEachLockout() throws Exception {
    AttemptCounter c = AttemptCounter.fresh(id);
    assertEquals(3, policy.attemptsRemaining(c, now, "c"));
    c = policy.afterFailure(c, now);
    assertEquals(2, policy.attemptsRemaining(c, now, "c"));
    assertEquals(2, policy.failure(c, "c").attemptsRemaining());
    c = policy.afterFailure(c, now);
    assertNull(c.lockedUntil());
    c = policy.afterFailure(c, now);
    assertEquals(now.plusSeconds(60), c.lockedUntil());
    UserVerificationException e = policy.failure(c, "c");
    assertEquals(ErrorCode.LOCKED_OUT, e.code());
    assertEquals(now.plusSeconds(60), e.lockedUntil().orElseThrow());
    AttemptCounter locked = c;
    assertThrows(UserVerificationException.class, () -> policy.attemptsRemaining(locked, now.plusSeconds(59), "c"));
    assertEquals(1, policy.attemptsRemaining(c, now.plusSeconds(60), "c"));
    assertEquals(new LockoutState(0, 3, Optional.of(now.plusSeconds(60)), true), policy.state(c, now));
    assertEquals(new LockoutState(1, 3, Optional.empty(), false), policy.state(c, now.plusSeconds(60)));
    c = policy.afterFailure(c, now.plusSeconds(60));
    assertEquals(now.plusSeconds(180), c.lockedUntil(), "the second lockout lasts twice as long");
    assertEquals(2, c.lockouts());
  }

  @Test
  void aLoweredLimitStillLeavesOneAttemptThatLocks() throws Exception {
    AttemptCounter many = new AttemptCounter(id, 7, 0, null);
    assertEquals(1, policy.attemptsRemaining(many, now, "c"));
    assertTrue(policy.state(many, now).attemptsRemaining() <= 3);
    assertEquals(now.plusSeconds(60), policy.afterFailure(many, now).lockedUntil());
  }

  @Test
  void countsAreNeverNegativeAndTheLimitIsAtLeastOne() {
    assertThrows(IllegalArgumentException.class, () -> new AttemptCounter(id, -1, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new AttemptCounter(id, 0, -1, null));
    assertThrows(IllegalArgumentException.class, () -> new LockoutPolicy(0, Duration.ofSeconds(1), Duration.ofDays(1)));
    AttemptCounter max = new AttemptCounter(id, 3, Integer.MAX_VALUE, now);
    assertEquals(Integer.MAX_VALUE, policy.afterFailure(max, now).lockouts(), "saturates");
  }
}
