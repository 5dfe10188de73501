package dev.ngc4j.api;

import org.jspecify.annotations.Nullable;

/**
 * A provider cannot be used: its device is absent, or no provider fits the request. The code tells which: PROVIDER_UNAVAILABLE, NO_PROVIDER, AMBIGUOUS_PROVIDER, PROVIDER_INCOMPATIBLE or HARDWARE_REQUIRED.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public class ProviderUnavailableException extends NgcException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with the default code {@link ErrorCode#PROVIDER_UNAVAILABLE}.
   *
   * @param detail what failed, without secrets
   * @since 0.1.0
   */
  public ProviderUnavailableException(String detail) {
    super(ErrorCode.PROVIDER_UNAVAILABLE, detail);
  }

  /**
   * Creates the exception with a code and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public ProviderUnavailableException(ErrorCode code, String detail, @Nullable Throwable cause) {
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
  public ProviderUnavailableException(ErrorCode code, String detail, String remedy, @Nullable Throwable cause) {
    super(code, detail, remedy, cause);
  }
}
