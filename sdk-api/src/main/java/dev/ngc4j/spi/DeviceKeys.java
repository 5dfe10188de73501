package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import java.security.PublicKey;

/**
 * The machine-wide device key (signs the device's requests and its certificate request) and transport key (RSA,
 * unwraps PRT session keys). Neither needs a user gesture; both are protected by the provider.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface DeviceKeys {
  /**
   * Returns the device key, creating it on first use.
   *
   * @return the device public key
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  PublicKey deviceKey() throws NgcException;

  /**
   * Signs with the device key.
   *
   * @param algorithm the scheme
   * @param message the message
   * @return the signature
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException;

  /**
   * Returns the transport key, creating it on first use.
   *
   * @return the transport public key
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  PublicKey transportKey() throws NgcException;

  /**
   * Unwraps a PRT session key encrypted to the transport key, authenticates its envelope, and keeps the key inside
   * the provider. The key is never written anywhere in clear.
   *
   * @param envelope the parts of the {@code session_key_jwe}
   * @return a handle to the session key
   * @throws NgcException {@code CLOUD_ERROR} with one opaque message for every unwrap or authentication failure
   *     (wrong key, bad padding, wrong length, tampered header, IV, ciphertext or tag), so that no failure mode can
   *     be told apart from another
   * @since 0.1.0
   */
  SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException;
}
