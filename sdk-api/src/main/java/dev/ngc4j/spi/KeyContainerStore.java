package dev.ngc4j.spi;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import java.util.List;

/**
 * Creates, opens, lists and deletes a provider's key containers.
 *
 * <p>Creation is all or nothing: after a failure (wrong gesture, cancellation, policy violation, crash) no
 * container with that id exists.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface KeyContainerStore {
  /**
   * Creates a container around a pooled key, asking the user for the first protector's gesture
   * ({@link dev.ngc4j.api.GesturePurpose#CREATE}) and checking a PIN against the spec's policy.
   *
   * @param spec the id, user, first protector and PIN policy
   * @param key a key from this provider's {@link PooledKeySource}; bound (consumed) on success
   * @param gestures where to get the gesture
   * @return the new container
   * @throws NgcException {@code CONTAINER_EXISTS}, {@code PIN_POLICY_VIOLATION}, {@code GESTURE_CANCELLED},
   *     {@code STORAGE_FAILURE}; nothing is left behind
   * @throws IllegalArgumentException if the key comes from another provider
   * @since 0.1.0
   */
  KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) throws NgcException;

  /**
   * Opens an existing container; reading public data needs no gesture.
   *
   * @param id the container id
   * @return the container
   * @throws NgcException {@code CONTAINER_NOT_FOUND} or {@code CONTAINER_CORRUPTED}
   * @since 0.1.0
   */
  KeyContainer open(ContainerId id) throws NgcException;

  /**
   * Lists the containers.
   *
   * @return the ids, sorted
   * @throws NgcException if the store cannot be read
   * @since 0.1.0
   */
  List<ContainerId> list() throws NgcException;

  /**
   * Deletes a container and its key. Idempotent.
   *
   * @param id the container id
   * @return true if it existed
   * @throws NgcException if the store cannot be written
   * @since 0.1.0
   */
  boolean delete(ContainerId id) throws NgcException;
}
