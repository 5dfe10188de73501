package dev.ngc4j.spi;

import dev.ngc4j.api.Bytes;
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
   * Unwraps a session key encrypted to the transport key (RSA-OAEP) and keeps it inside the provider.
   *
   * @param encryptedKey the wrapped key
   * @return a handle to the session key
   * @throws NgcException with one opaque message for every unwrap failure
   * @since 0.1.0
   */
  SessionKeyHandle unwrapSessionKey(Bytes encryptedKey) throws NgcException;
}
