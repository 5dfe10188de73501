package dev.ngc4j.spi;

import dev.ngc4j.api.NgcException;

/**
 * How a provider makes a credential key ahead of time. The key pool in {@code sdk-core} calls it from a background
 * thread to stay filled, and from the caller's thread on a miss.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface PooledKeySource {
  /**
   * Makes one RSA-2048 key. May take seconds on hardware. SHOULD respond to thread interruption.
   *
   * @return a new unbound key
   * @throws NgcException if the device fails
   * @since 0.1.0
   */
  PooledKey generate() throws NgcException;
}
