package dev.ngc4j.core.internal.krb.crypto;

import java.util.Objects;

/**
 * A Kerberos ciphertext could not be decrypted: it is malformed, or its integrity check failed (wrong key, wrong
 * key usage, or tampering). The message never contains key material or plaintext.
 *
 * <p>Thread safety: immutable.
 */
public final class KrbCryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a decryption failed. */
  public enum Reason {
    /** The ciphertext is shorter than a confounder plus an integrity tag, or otherwise not well formed. */
    MALFORMED,
    /**
     * The integrity tag does not match (RFC 4120 KRB_AP_ERR_BAD_INTEGRITY): a wrong key or key usage, or a
     * modified ciphertext.
     */
    INTEGRITY
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the decryption failed
   * @param message what failed, without secrets
   */
  public KrbCryptoException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns why the decryption failed.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
