package dev.ngc4j.spi;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;

/**
 * A container opened by a gesture, for several signatures without asking again. Closing it forgets the unlocked
 * key material (software) or the authorised session (hardware).
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use until closed.
 *
 * @since 0.1.0
 */
public interface UnlockedKey extends AutoCloseable {
  /**
   * Returns the key id.
   *
   * @return the key id
   * @since 0.1.0
   */
  KeyId keyId();

  /**
   * Signs a message (the container hashes it with SHA-256).
   *
   * @param algorithm the scheme
   * @param message the message; not retained
   * @return the signature, as many bytes as the modulus
   * @throws NgcException if the device fails
   * @throws IllegalStateException if closed
   * @since 0.1.0
   */
  byte[] sign(SignatureAlgorithm algorithm, byte[] message) throws NgcException;

  /**
   * Forgets the unlocked key. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
