package dev.ngc4j.spi;

import dev.ngc4j.api.Capabilities;
import java.util.Optional;

/**
 * An open provider: the facets it hands out share its device connection and end with {@link #close()}.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use; the facets likewise.
 *
 * @since 0.1.0
 */
public interface ProviderSession extends AutoCloseable {
  /**
   * Returns the id of the provider that opened this session.
   *
   * @return the provider id
   * @since 0.1.0
   */
  String providerId();

  /**
   * Returns what this session can do.
   *
   * @return the capabilities
   * @since 0.1.0
   */
  Capabilities capabilities();

  /**
   * Returns the container store.
   *
   * @return the store; MUST NOT be {@code null}
   * @since 0.1.0
   */
  KeyContainerStore containers();

  /**
   * Returns how this provider makes keys ahead of time for the key pool.
   *
   * @return the key source; MUST NOT be {@code null}
   * @since 0.1.0
   */
  PooledKeySource keySource();

  /**
   * Returns the attestor, for providers that can attest their keys.
   *
   * @implSpec returns empty.
   * @return the attestor, or empty
   * @since 0.1.0
   */
  default Optional<Attestor> attestor() {
    return Optional.empty();
  }

  /**
   * Returns the device keys facet (device key and transport key), for providers that hold them.
   *
   * @implSpec returns empty.
   * @return the device keys, or empty
   * @since 0.1.0
   */
  default Optional<DeviceKeys> deviceKeys() {
    return Optional.empty();
  }

  /**
   * Releases the device connection. Idempotent. Facets fail with {@link IllegalStateException} afterwards.
   *
   * @since 0.1.0
   */
  @Override
  void close();
}
