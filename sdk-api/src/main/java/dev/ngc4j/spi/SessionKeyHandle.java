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
   * Derives one 32-byte key from the session key: a single block of NIST SP 800-108 counter mode with
   * HMAC-SHA256, that is {@code HMAC(sessionKey, 00000001 || label || 00 || context || 00000100)}. The session key
   * itself never leaves the provider; the derived key is specific to one request context.
   *
   * @param label the KDF label, such as {@code AzureAD-SecureConversation}
   * @param context the KDF context
   * @return the derived key; the caller zeroes it after use
   * @throws NgcException if the provider fails
   * @throws IllegalStateException if the handle was closed
   * @since 0.1.0
   */
  byte[] deriveKey(Bytes label, Bytes context) throws NgcException;

  /**
   * Derives a key as {@link #deriveKey(Bytes, Bytes)} and computes HMAC-SHA256 over the data with it.
   *
   * @implSpec derives the key, computes the MAC in software and zeroes the derived key.
   * @param label the KDF label
   * @param context the KDF context
   * @param data the data to MAC
   * @return the 32-byte MAC
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  default Bytes deriveAndMac(Bytes label, Bytes context, byte[] data) throws NgcException {
    byte[] derived = deriveKey(label, context);
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(derived, "HmacSHA256"));
      return Bytes.of(mac.doFinal(data));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    } finally {
      java.util.Arrays.fill(derived, (byte) 0);
    }
  }

  /**
   * Forgets the session key. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
