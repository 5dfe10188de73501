package dev.ngc4j.api;

import org.jspecify.annotations.Nullable;

/**
 * No key container exists with the requested id.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public class ContainerNotFoundException extends NgcException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with the default code {@link ErrorCode#CONTAINER_NOT_FOUND}.
   *
   * @param detail what failed, without secrets
   * @since 0.1.0
   */
  public ContainerNotFoundException(String detail) {
    super(ErrorCode.CONTAINER_NOT_FOUND, detail);
  }

  /**
   * Creates the exception with a code and a cause.
   *
   * @param code the stable error code
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public ContainerNotFoundException(ErrorCode code, String detail, @Nullable Throwable cause) {
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
  public ContainerNotFoundException(ErrorCode code, String detail, String remedy, @Nullable Throwable cause) {
    super(code, detail, remedy, cause);
  }
}
