package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.UserVerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The anti-hammering rules, as pure functions of a {@link CounterRecord} and the time:
 *
 * <ul>
 *   <li>Each wrong gesture adds one failure; the failure that reaches {@code maxAttempts} locks the container until
 *       now + back-off.
 *   <li>The back-off is {@code base * 2^(n-1)} for the n-th lockout since the last success, capped at 24 hours.
 *   <li>While locked nothing is asked. After the lockout ends one attempt is allowed; if it fails the container
 *       locks again with the doubled back-off.
 *   <li>A correct gesture resets everything.
 * </ul>
 *
 * <p>The caller writes {@link #afterFailure} to disk <em>before</em> checking the gesture and the reset after a
 * success, so ending the process during the check cannot save an attempt.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
final class Lockout {
  private final int maxAttempts;
  private final Duration base;
  private final Duration cap;

  Lockout(int maxAttempts, Duration base, Duration cap) {
    this.maxAttempts = maxAttempts;
    this.base = base;
    this.cap = cap;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the attempts left for the next gesture.
   *
   * @throws UserVerificationException {@code LOCKED_OUT} while a lockout lasts
   */
  int attemptsRemaining(CounterRecord counter, Instant now, String what) throws UserVerificationException {
    Instant until = counter.lockedUntil();
    if (until != null) {
      if (now.isBefore(until)) {
        throw UserVerificationException.lockedOut(what, until);
      }
      return 1;
    }
    return Math.max(1, maxAttempts - counter.failures());
  }

  /** Returns the state to persist before a gesture is checked: what the counter becomes if it is wrong. */
  CounterRecord afterFailure(CounterRecord counter, Instant now) {
    int failures = Math.min(counter.failures(), maxAttempts) + 1;
    if (counter.lockedUntil() != null || failures >= maxAttempts) {
      int lockouts = counter.lockouts() == Integer.MAX_VALUE ? counter.lockouts() : counter.lockouts() + 1;
      return new CounterRecord(counter.containerId(), failures, lockouts, now.plus(backoff(lockouts)));
    }
    return new CounterRecord(counter.containerId(), failures, counter.lockouts(), null);
  }

  /** Returns the exception for a wrong gesture, given the persisted failure state. */
  UserVerificationException failure(CounterRecord failed, String what) {
    Instant until = failed.lockedUntil();
    if (until != null) {
      return UserVerificationException.lockedOut(what, until);
    }
    return UserVerificationException.wrongGesture(what, Math.max(1, maxAttempts - failed.failures()));
  }

  LockoutState state(CounterRecord counter, Instant now) {
    Instant until = counter.lockedUntil();
    if (until != null) {
      return now.isBefore(until)
          ? new LockoutState(0, maxAttempts, Optional.of(until), true)
          : new LockoutState(1, maxAttempts, Optional.empty(), false);
    }
    int left = Math.max(1, Math.min(maxAttempts, maxAttempts - counter.failures()));
    return new LockoutState(left, maxAttempts, Optional.empty(), false);
  }

  /** The back-off of the n-th lockout since the last success (n >= 1). */
  Duration backoff(int lockoutNumber) {
    Duration d = base;
    for (int i = 1; i < lockoutNumber && d.compareTo(cap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
