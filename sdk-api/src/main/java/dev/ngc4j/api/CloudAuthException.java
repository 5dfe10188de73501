package dev.ngc4j.api;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The cloud service refused a request. Carries the server's own error code (for Entra ID an {@code AADSTS…}
 * code) when it sent one.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class CloudAuthException extends NgcException {
  private static final long serialVersionUID = 1L;
  private final @Nullable String serverCode;

  /**
   * Creates the exception.
   *
   * @param code the stable error code, usually {@link ErrorCode#CLOUD_ERROR}
   * @param serverCode the server's error code, or {@code null}
   * @param detail what failed, without secrets
   * @param remedy what to do about it
   * @param cause the underlying failure, or {@code null}
   * @since 0.1.0
   */
  public CloudAuthException(
      ErrorCode code, @Nullable String serverCode, String detail, String remedy, @Nullable Throwable cause) {
    super(code, serverCode == null ? detail : detail + " (server code " + serverCode + ")", remedy, cause);
    this.serverCode = serverCode;
  }

  /**
   * Returns the server's error code, such as {@code AADSTS50126}.
   *
   * @return the server code, or empty when the server sent none
   * @since 0.1.0
   */
  public Optional<String> serverCode() {
    return Optional.ofNullable(serverCode);
  }
}
