package dev.ngc4j.api;

import org.jspecify.annotations.Nullable;

/**
 * An attestation statement could not be produced or did not verify.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public class AttestationException extends NgcException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with the default code {@link ErrorCode#ATTESTATION_INVALID}.
   *
   * @param detail what failed, without secrets
   * @since 0.1.0
   */
  public AttestationException(String detail) {
    super(ErrorCode.ATTESTATION_INVALID, detail);
  }

  /**
   * Creates the exception with a code and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public AttestationException(ErrorCode code, String detail, @Nullable Throwable cause) {
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
  public AttestationException(ErrorCode code, String detail, String remedy, @Nullable Throwable cause) {
    super(code, detail, remedy, cause);
  }
}
