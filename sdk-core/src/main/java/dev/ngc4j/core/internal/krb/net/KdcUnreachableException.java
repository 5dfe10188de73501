package dev.ngc4j.core.internal.krb.net;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.util.List;

/**
 * No KDC answered a request before the deadline. The message lists every KDC tried, in order, and why it failed
 * (connection refused, timed out, reset, a malformed frame...). Code {@link ErrorCode#KDC_UNREACHABLE}.
 *
 * <p>Thread safety: immutable.
 */
public final class KdcUnreachableException extends NgcException {
  private static final long serialVersionUID = 1L;

  /** The attempts, such as {@code "tcp/kdc1.example.com:88: connection refused"}. */
  private final List<String> attempts;

  /**
   * Creates the exception.
   *
   * @param attempts one line per KDC tried (or skipped), in order
   */
  public KdcUnreachableException(List<String> attempts) {
    super(ErrorCode.KDC_UNREACHABLE, "no KDC answered: " + (attempts.isEmpty() ? "no KDC address to try"
        : String.join("; ", attempts)));
    this.attempts = List.copyOf(attempts);
  }

  /**
   * Returns the attempts, one per KDC tried (or skipped), in order.
   *
   * @return the attempts; immutable
   */
  public List<String> attempts() {
    return attempts;
  }
}
