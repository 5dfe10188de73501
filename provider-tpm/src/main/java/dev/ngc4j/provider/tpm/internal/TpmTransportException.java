package dev.ngc4j.provider.tpm.internal;

/**
 * The TPM could not be reached, stopped answering, or answered with a malformed frame. Unchecked because TSS.Java's
 * {@link tss.TpmDevice} methods cannot throw checked exceptions; {@link TpmConnection} turns it into a
 * {@link dev.ngc4j.api.ProviderUnavailableException} with a remedy.
 *
 * <p>Thread safety: immutable.
 */
final class TpmTransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TpmTransportException(String message, Throwable cause) {
    super(message, cause);
  }

  TpmTransportException(String message) {
    super(message);
  }
}
