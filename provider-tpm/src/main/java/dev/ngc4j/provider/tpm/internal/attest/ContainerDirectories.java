package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.spi.KeyContainer;
import java.nio.file.Path;

/**
 * Finds the directory of one of the provider's containers, where the statement made at its creation is kept.
 *
 * <p>Thread safety: implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface ContainerDirectories {
  /**
   * Returns the container's directory.
   *
   * @param container a container
   * @return its directory
   * @throws IllegalArgumentException if the container does not belong to this provider session
   * @throws IllegalStateException if the session is closed
   */
  Path of(KeyContainer container);
}
