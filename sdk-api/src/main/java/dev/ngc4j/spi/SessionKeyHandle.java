package dev.ngc4j.spi;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.NgcException;

/**
 * A PRT session key held by the provider (inside the TPM when there is one); never exposed as bytes. Requests
 * are signed, and responses decrypted, with keys derived from it (SP 800-108 counter mode, HMAC-SHA256).
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface SessionKeyHandle extends AutoCloseable {
  /**
   * Derives a key from the session key with the given label and context, and computes HMAC-SHA256 with it.
   *
   * @param label the KDF label
   * @param context the KDF context
   * @param data the data to MAC
   * @return the MAC
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  Bytes deriveAndMac(Bytes label, Bytes context, byte[] data) throws NgcException;

  /**
   * Forgets the session key. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
