package dev.ngc4j.api;

import org.jspecify.annotations.Nullable;

/**
 * A policy (provisioning, PIN, gesture or MFA) forbids the operation. The code tells which: POLICY_FORBIDS, REMOTE_SESSION, MFA_REQUIRED, PIN_POLICY_VIOLATION or GESTURE_NOT_ALLOWED.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public class PolicyException extends NgcException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with the default code {@link ErrorCode#POLICY_FORBIDS}.
   *
   * @param detail what failed, without secrets
   * @since 0.1.0
   */
  public PolicyException(String detail) {
    super(ErrorCode.POLICY_FORBIDS, detail);
  }

  /**
   * Creates the exception with a code and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public PolicyException(ErrorCode code, String detail, @Nullable Throwable cause) {
    super(code, detail, cause);
  }

  /**
   * Creates the exception with a code, a specific remedy and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param remedy what to do about it
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public PolicyException(ErrorCode code, String detail, String remedy, @Nullable Throwable cause) {
    super(code, detail, remedy, cause);
  }
}
