package dev.ngc4j.core.internal.krb.msg;

import org.jspecify.annotations.Nullable;

/**
 * A Kerberos or PKINIT message could not be decoded: it is truncated, malformed, not DER, too large, or not the
 * message that was expected. The message says what was wrong and where (the structure and field, and a byte
 * offset), never more than a few bytes of the input.
 *
 * <p>Thread safety: immutable once thrown.
 */
public final class KrbMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was malformed
   */
  public KrbMessageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what was malformed
   * @param cause the underlying failure, or {@code null}
   */
  public KrbMessageException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
