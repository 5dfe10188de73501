package dev.ngc4j.provider.support;

import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.UserVerificationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The anti-hammering rules, as pure functions of an {@link AttemptCounter} and the time:
 *
 * <ul>
 *   <li>Each wrong gesture adds one failure; the failure that reaches {@code maxAttempts} locks the container until
 *       now + back-off.
 *   <li>The back-off is {@code base * 2^(n-1)} for the n-th lockout since the last success, capped.
 *   <li>While locked nothing is asked. After the lockout ends one attempt is allowed; if it fails the container
 *       locks again with the doubled back-off.
 *   <li>A correct gesture resets everything.
 * </ul>
 *
 * <p>The caller writes {@link #afterFailure} to disk <em>before</em> the gesture is checked and the reset after a
 * success, so ending the process during the check cannot save an attempt.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class LockoutPolicy {
  private final int maxAttempts;
  private final Duration base;
  private final Duration cap;

  /**
   * Creates the rules.
   *
   * @param maxAttempts the failures that lock (at least 1)
   * @param base the first lockout's length
   * @param cap the longest lockout
   */
  public LockoutPolicy(int maxAttempts, Duration base, Duration cap) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.base = base;
    this.cap = cap;
  }

  /**
   * Returns the attempt limit.
   *
   * @return the failures that lock
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the attempts left for the next gesture.
   *
   * @param counter the persisted counter
   * @param now the time
   * @param what the container, for the message
   * @return at least 1
   * @throws UserVerificationException {@code LOCKED_OUT} while a lockout lasts
   */
  public int attemptsRemaining(AttemptCounter counter, Instant now, String what) throws UserVerificationException {
    Instant until = counter.lockedUntil();
    if (until != null) {
      if (now.isBefore(until)) {
        throw UserVerificationException.lockedOut(what, until);
      }
      return 1;
    }
    return Math.max(1, maxAttempts - counter.failures());
  }

  /**
   * Returns the state to persist before a gesture is checked: what the counter becomes if it is wrong.
   *
   * @param counter the persisted counter
   * @param now the time
   * @return the counter after one more failure
   */
  public AttemptCounter afterFailure(AttemptCounter counter, Instant now) {
    int failures = Math.min(counter.failures(), maxAttempts) + 1;
    if (counter.lockedUntil() != null || failures >= maxAttempts) {
      int lockouts = counter.lockouts() == Integer.MAX_VALUE ? counter.lockouts() : counter.lockouts() + 1;
      return new AttemptCounter(counter.containerId(), failures, lockouts, now.plus(backoff(lockouts)));
    }
    return new AttemptCounter(counter.containerId(), failures, counter.lockouts(), null);
  }

  /**
   * Returns the exception for a wrong gesture, given the persisted failure state.
   *
   * @param failed the counter as written by {@link #afterFailure}
   * @param what the container, for the message
   * @return {@code WRONG_GESTURE} with the attempts left, or {@code LOCKED_OUT}
   */
  public UserVerificationException failure(AttemptCounter failed, String what) {
    Instant until = failed.lockedUntil();
    if (until != null) {
      return UserVerificationException.lockedOut(what, until);
    }
    return UserVerificationException.wrongGesture(what, Math.max(1, maxAttempts - failed.failures()));
  }

  /**
   * Returns the lockout state to report.
   *
   * @param counter the persisted counter
   * @param now the time
   * @return the state
   */
  public LockoutState state(AttemptCounter counter, Instant now) {
    Instant until = counter.lockedUntil();
    if (until != null) {
      return now.isBefore(until)
          ? new LockoutState(0, maxAttempts, Optional.of(until), true)
          : new LockoutState(1, maxAttempts, Optional.empty(), false);
    }
    int left = Math.max(1, Math.min(maxAttempts, maxAttempts - counter.failures()));
    return new LockoutState(left, maxAttempts, Optional.empty(), false);
  }

  /**
   * Returns the back-off of the n-th lockout since the last success.
   *
   * @param lockoutNumber n, at least 1
   * @return {@code base * 2^(n-1)}, at most the cap
   */
  public Duration backoff(int lockoutNumber) {
    Duration d = base;
    for (int i = 1; i < lockoutNumber && d.compareTo(cap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
