package dev.ngc4j.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A container's anti-hammering state.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param attemptsRemaining wrong gestures left before lockout; 0 when locked
 * @param maxAttempts the limit configured for the container
 * @param lockedUntil when a current lockout ends; empty when not locked, or locked with no expiry
 * @param lockedOut whether gestures are refused now
 * @since 0.1.0
 */
public record LockoutState(int attemptsRemaining, int maxAttempts, Optional<Instant> lockedUntil, boolean lockedOut) {
  /**
   * Validates the state.
   *
   * @param attemptsRemaining attempts left
   * @param maxAttempts the limit
   * @param lockedUntil the end of a lockout
   * @param lockedOut whether locked
   */
  public LockoutState {
    Objects.requireNonNull(lockedUntil, "lockedUntil");
    if (attemptsRemaining < 0 || maxAttempts < 1 || attemptsRemaining > maxAttempts) {
      throw new IllegalArgumentException("inconsistent lockout state");
    }
  }
}
