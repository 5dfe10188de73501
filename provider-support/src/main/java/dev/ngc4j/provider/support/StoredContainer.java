package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerId;

/**
 * A provider's container record: the content of {@link ContainerDirectory#CONTAINER_FILE}.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: implementations are immutable.
 */
public interface StoredContainer {
  /**
   * Returns the container the record names (checked against the directory it was read from).
   *
   * @return the container id
   */
  ContainerId id();

  /**
   * Encodes the whole file, frame included.
   *
   * @return the file's bytes
   */
  byte[] encode();
}
