package dev.ngc4j.spi;

import java.security.PublicKey;

/**
 * An RSA-2048 key made ahead of time by a {@link PooledKeySource} and not yet bound to a container: a software
 * key pair in memory, a TPM key blob with a throw-away auth value, or a token object. Only the store of the same
 * provider can bind it. Closing an unbound key destroys it.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use; a key is bound at most once.
 *
 * @since 0.1.0
 */
public interface PooledKey extends AutoCloseable {
  /**
   * Returns the public key.
   *
   * @return the public key
   * @since 0.1.0
   */
  PublicKey publicKey();

  /**
   * Returns the id of the provider that made the key.
   *
   * @return the provider id
   * @since 0.1.0
   */
  String providerId();

  /**
   * Destroys the key if it was not bound to a container. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
