package dev.ngc4j.provider.tpm.internal.session;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import org.jspecify.annotations.Nullable;

/**
 * A TPM response failed its HMAC check or was malformed: it was altered between the TPM and the SDK, or the TPM
 * does not hold the private key of the salt key the session was started with. The response was not used. Code
 * {@link ErrorCode#PROVIDER_UNAVAILABLE}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TpmIntegrityException extends NgcException {
  private static final long serialVersionUID = 1L;

  private static final String REMEDY = "do not trust this TPM connection: check for software or hardware between the"
      + " SDK and the TPM, and check that the stored salt-key public area belongs to this TPM; then reconnect";

  /**
   * Creates the exception.
   *
   * @param detail what failed, without secrets
   * @param cause the underlying failure, or {@code null}
   */
  public TpmIntegrityException(String detail, @Nullable Throwable cause) {
    super(ErrorCode.PROVIDER_UNAVAILABLE, detail, REMEDY, cause);
  }
}
