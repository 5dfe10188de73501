package dev.ngc4j.api;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A gesture was wrong ({@link ErrorCode#WRONG_GESTURE}) or the container is locked out
 * ({@link ErrorCode#LOCKED_OUT}). Carries the attempts left before lockout and, when locked, until when.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class UserVerificationException extends NgcException {
  private static final long serialVersionUID = 1L;

  private final int attemptsRemaining;
  private final @Nullable Instant lockedUntil;

  private UserVerificationException(
      ErrorCode code, String detail, String remedy, int attemptsRemaining, @Nullable Instant lockedUntil) {
    super(code, detail, remedy, null);
    this.attemptsRemaining = attemptsRemaining;
    this.lockedUntil = lockedUntil;
  }

  /**
   * A wrong gesture with attempts left.
   *
   * @param what which container or key, without secrets
   * @param attemptsRemaining attempts left before lockout, at least 1
   * @return the exception
   * @since 0.1.0
   */
  public static UserVerificationException wrongGesture(String what, int attemptsRemaining) {
    if (attemptsRemaining < 1) {
      throw new IllegalArgumentException("attemptsRemaining must be at least 1; use lockedOut()");
    }
    return new UserVerificationException(
        ErrorCode.WRONG_GESTURE,
        "Wrong gesture for " + what + "; " + attemptsRemaining + " attempt(s) remaining before lockout",
        ErrorCode.WRONG_GESTURE.remedy(),
        attemptsRemaining,
        null);
  }

  /**
   * A locked-out container.
   *
   * @param what which container or key
   * @param lockedUntil when the lockout ends, or {@code null} if only an administrator can clear it
   * @return the exception
   * @since 0.1.0
   */
  public static UserVerificationException lockedOut(String what, @Nullable Instant lockedUntil) {
    String remedy = lockedUntil == null
        ? "the lockout does not expire; reset the credential by provisioning again after strong authentication"
        : "wait until " + lockedUntil + " and try again, or reset the credential by provisioning again";
    return new UserVerificationException(
        ErrorCode.LOCKED_OUT,
        "Too many wrong gestures: " + what + " is locked out"
            + (lockedUntil == null ? "" : " until " + lockedUntil),
        remedy,
        0,
        lockedUntil);
  }

  /**
   * Creates the error for a token that has blocked its own user PIN (PKCS#11 {@code CKR_PIN_LOCKED}); only the
   * token's security officer can unblock it, so there is no lockout end.
   *
   * @param what what is blocked, for the message (for example the token label); never a secret
   * @return the exception, with code {@link ErrorCode#PIN_BLOCKED}
   * @since 0.1.0
   */
  public static UserVerificationException pinBlocked(String what) {
    return new UserVerificationException(
        ErrorCode.PIN_BLOCKED,
        "The user PIN of " + what + " is blocked by the token",
        ErrorCode.PIN_BLOCKED.remedy(),
        0,
        null);
  }

  /**
   * Returns the attempts left before lockout; 0 when locked out.
   *
   * @return attempts remaining
   * @since 0.1.0
   */
  public int attemptsRemaining() {
    return attemptsRemaining;
  }

  /**
   * Returns whether the container is locked out: by the provider's attempt counter ({@link ErrorCode#LOCKED_OUT})
   * or by the token itself ({@link ErrorCode#PIN_BLOCKED}).
   *
   * @return true when locked out or blocked
   * @since 0.1.0
   */
  public boolean lockedOut() {
    return code() == ErrorCode.LOCKED_OUT || code() == ErrorCode.PIN_BLOCKED;
  }

  /**
   * Returns when the lockout ends, if it ends by itself.
   *
   * @return the end of the lockout, or empty
   * @since 0.1.0
   */
  public Optional<Instant> lockedUntil() {
    return Optional.ofNullable(lockedUntil);
  }
}
