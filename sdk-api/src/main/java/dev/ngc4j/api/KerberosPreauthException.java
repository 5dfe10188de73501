package dev.ngc4j.api;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The KDC refused a PKINIT pre-authentication, or its reply failed validation. Carries the RFC 4120 error code
 * when the KDC sent a KRB-ERROR.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KerberosPreauthException extends NgcException {
  private static final long serialVersionUID = 1L;
  private final int krbErrorCode;

  /**
   * Creates the exception.
   *
   * @param code the stable error code, usually {@link ErrorCode#KERBEROS_ERROR}
   * @param krbErrorCode the RFC 4120 error code, or -1 when there was none
   * @param detail what failed, without secrets
   * @param remedy what to do about it
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public KerberosPreauthException(
      ErrorCode code, int krbErrorCode, String detail, String remedy, @Nullable Throwable cause) {
    super(code, krbErrorCode < 0 ? detail : detail + " (KRB-ERROR " + krbErrorCode + ")", remedy, cause);
    this.krbErrorCode = krbErrorCode;
  }

  /**
   * Returns the KDC's RFC 4120 error code.
   *
   * @return the code, or empty when the KDC sent none
   * @since 0.1.0
   */
  public OptionalInt krbErrorCode() {
    return krbErrorCode < 0 ? OptionalInt.empty() : OptionalInt.of(krbErrorCode);
  }
}
