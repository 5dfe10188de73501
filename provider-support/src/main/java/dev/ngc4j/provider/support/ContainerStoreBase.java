package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKey;
import java.util.List;
import java.util.Objects;

/**
 * What every provider's container store shares: the steps of creating a container around the provider's binding of
 * its key, listing and deleting through its {@link ContainerDirectory}, and reading and writing a container's record
 * and attempt counter. The provider adds the binding and opening.
 *
 * <p>{@link #create} checks the arguments and the pooled key ({@link #checkCreate}), takes the container's lock,
 * refuses a taken id, asks for the first gesture (the PIN policy shown when it is a PIN), checks that the answer fits
 * the request and that a PIN meets the policy, then has the provider bind the key ({@link #bind}, which writes the
 * container with {@link ContainerDirectory#create}); the gesture is destroyed whatever happens, and the new container
 * is opened.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: safe for concurrent use; writers hold the container's lock ({@link ContainerDirectory#lock}).
 *
 * @param <S> the provider's session
 * @param <R> the provider's container record
 * @param <K> the provider's pooled key
 */
public abstract class ContainerStoreBase<S extends ProviderSessionBase, R extends StoredContainer, K extends PooledKey>
    implements KeyContainerStore {
  private final S session;
  private final ContainerDirectory containers;
  private final int maxRecordLength;
  private final ContainerDirectory.RecordDecoder<R> decoder;

  /**
   * Creates the store.
   *
   * @param session the session (its facets refuse use once it is closed)
   * @param containers the container directory
   * @param maxRecordLength the largest record file accepted
   * @param decoder decodes a record file
   */
  protected ContainerStoreBase(S session, ContainerDirectory containers, int maxRecordLength,
      ContainerDirectory.RecordDecoder<R> decoder) {
    this.session = session;
    this.containers = containers;
    this.maxRecordLength = maxRecordLength;
    this.decoder = decoder;
  }

  /**
   * Returns the session.
   *
   * @return the session
   */
  public final S session() {
    return session;
  }

  /**
   * Returns the container directory.
   *
   * @return the directory
   */
  public final ContainerDirectory containers() {
    return containers;
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public final KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(gestures, "gestures");
    session.ensureOpen();
    K pooled = checkCreate(spec, key);
    ContainerId id = spec.id();
    try (ContainerLocks.Held held = containers.lock(id)) {
      if (containers.exists(id)) {
        throw containers.alreadyExists(id);
      }
      GestureRequest request = GestureChecks.newGesture(
          spec.firstProtector(), GesturePurpose.CREATE, spec.user(), id, session.providerId(), spec.pinPolicy());
      Gesture gesture = gestures.provide(request);
      try {
        GestureChecks.requireFits(gesture, request);
        if (gesture instanceof Pin pin) {
          GestureChecks.checkPolicy(pin, spec.pinPolicy());
        }
        bind(spec, pooled, gesture);
      } finally {
        gesture.destroy();
      }
      return open(id);
    }
  }

  /**
   * Checks, before anything is asked, that the pooled key is this provider's and can still be bound, and that the
   * spec asks for nothing the provider cannot do.
   *
   * @param spec the container to create
   * @param key the pooled key
   * @return the key as the provider's type
   * @throws IllegalArgumentException if the key is another provider's, or the spec does not fit
   * @throws IllegalStateException if the key is bound, closed or being bound
   * @throws NgcException if the provider cannot check
   */
  protected abstract K checkCreate(ContainerSpec spec, PooledKey key) throws NgcException;

  /**
   * Returns the pooled key as the provider's type if it is this provider's.
   *
   * @param key the pooled key
   * @param type the provider's pooled key class
   * @return the key
   * @throws IllegalArgumentException if another provider made it
   */
  protected final K ownKey(PooledKey key, Class<K> type) {
    if (!type.isInstance(key) || !session.providerId().equals(key.providerId())) {
      throw new IllegalArgumentException("the pooled key comes from provider '" + key.providerId() + "', not from the "
          + session.providerName());
    }
    return type.cast(key);
  }

  /**
   * Binds the pooled key to the new container under the gesture (already checked to fit) and writes the container
   * with {@link ContainerDirectory#create}; called under the container's lock. The key is {@code bound()} when the
   * container is written and released otherwise.
   *
   * @param spec the container to create
   * @param key the pooled key
   * @param gesture the first protector's gesture (destroyed by the caller)
   * @throws NgcException if the binding or the write fails
   */
  protected abstract void bind(ContainerSpec spec, K key, Gesture gesture) throws NgcException;

  @Override
  public final List<ContainerId> list() throws NgcException {
    session.ensureOpen();
    return containers.list();
  }

  @Override
  public final boolean delete(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    return containers.delete(id);
  }

  /**
   * Reads a container's record.
   *
   * @param id the container
   * @return the record
   * @throws NgcException {@code CONTAINER_NOT_FOUND}, {@code CONTAINER_CORRUPTED} or {@code STORAGE_FAILURE}
   */
  public final R readContainer(ContainerId id) throws NgcException {
    return containers.readRecord(id, maxRecordLength, decoder, StoredContainer::id);
  }

  /**
   * Replaces a container's record (the caller holds its lock).
   *
   * @param record the record
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if it was deleted; {@code STORAGE_FAILURE}
   */
  public final void writeContainer(R record) throws NgcException {
    containers.writeRecord(record.id(), record.encode());
  }

  /**
   * Reads a container's attempt counter.
   *
   * @param id the container
   * @return the counter
   * @throws NgcException {@code CONTAINER_CORRUPTED} if it is missing or damaged, or another error reading it
   */
  public final AttemptCounter readCounter(ContainerId id) throws NgcException {
    return containers.readCounter(id);
  }

  /**
   * Replaces a container's attempt counter (the caller holds its lock).
   *
   * @param counter the counter
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if it was deleted; {@code STORAGE_FAILURE}
   */
  public final void writeCounter(AttemptCounter counter) throws NgcException {
    containers.writeCounter(counter);
  }
}
