package dev.ngc4j.server.internal.attestation;

/**
 * A TPM structure does not parse: truncated, a size field out of range, an unknown selector, or bytes left over.
 * The message says which structure and field, and never contains secret data (TPM public structures only).
 */
public final class TpmFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the structure and field
   */
  public TpmFormatException(String message) {
    super(message, null, false, false);
  }

  /** Returns the message; never null. */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return message == null ? "" : message;
  }
}
