package dev.ngc4j.provider.support;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKeySource;
import dev.ngc4j.spi.ProviderSession;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * What every provider session shares: its id and capabilities, facets that refuse use once the session is closed,
 * and a close that runs once. The subclass makes its facets in its constructor (they need the session) and hands
 * them over with {@link #facets} before the constructor returns.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: safe for concurrent use; subclasses make their facets safe too.
 */
public abstract class ProviderSessionBase implements ProviderSession {
  private final String providerId;
  private final Capabilities capabilities;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable KeyContainerStore store;
  private volatile @Nullable PooledKeySource keySource;
  private volatile @Nullable DeviceKeys deviceKeys;

  /**
   * Creates an open session.
   *
   * @param providerId the provider id
   * @param capabilities what the provider can do
   * @param name the provider in messages ("software provider", "TPM provider")
   */
  protected ProviderSessionBase(String providerId, Capabilities capabilities, String name) {
    this.providerId = providerId;
    this.capabilities = capabilities;
    this.name = name;
  }

  @Override
  public final String providerId() {
    return providerId;
  }

  @Override
  public final Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Returns the provider's name in messages.
   *
   * @return for example "TPM provider"
   */
  public final String providerName() {
    return name;
  }

  /**
   * Hands over the facets; called once, at the end of the subclass constructor.
   *
   * @param store the container store
   * @param keySource the key source
   * @param deviceKeys the device keys, or {@code null} if the provider has none
   */
  protected final void facets(KeyContainerStore store, PooledKeySource keySource, @Nullable DeviceKeys deviceKeys) {
    if (this.store != null) {
      throw new IllegalStateException("the facets are set already");
    }
    this.store = store;
    this.keySource = keySource;
    this.deviceKeys = deviceKeys;
  }

  @Override
  public final KeyContainerStore containers() {
    ensureOpen();
    return facet(store);
  }

  @Override
  public final PooledKeySource keySource() {
    ensureOpen();
    return facet(keySource);
  }

  /**
   * Returns the device key and transport key, if the provider has them.
   *
   * @return the device keys
   */
  @Override
  public final Optional<DeviceKeys> deviceKeys() {
    ensureOpen();
    return Optional.ofNullable(deviceKeys);
  }

  private static <T> T facet(@Nullable T facet) {
    if (facet == null) {
      throw new IllegalStateException("the provider session's constructor did not hand over its facets");
    }
    return facet;
  }

  /**
   * Closes the session once; later calls do nothing. Facets refuse further use.
   */
  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      closeResources();
    }
  }

  /** Releases what the session holds; called once, by the first {@link #close()}. */
  protected abstract void closeResources();

  /**
   * Throws if the session was closed.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public final void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this " + name + " session is closed");
    }
  }

  /**
   * Returns whether {@link #close()} has not been called yet.
   *
   * @return whether the session is open
   */
  public final boolean isOpen() {
    return !closed.get();
  }
}
