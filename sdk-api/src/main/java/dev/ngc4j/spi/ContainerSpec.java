package dev.ngc4j.spi;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import java.util.Objects;

/**
 * What a new container should be: its id, its user, its first protector and the PIN rules.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the container id
 * @param user the user it belongs to
 * @param firstProtector the protector created with the container
 * @param pinPolicy the rules every PIN of this container must meet
 * @since 0.1.0
 */
public record ContainerSpec(ContainerId id, UserPrincipal user, ProtectorSpec firstProtector, PinPolicy pinPolicy) {
  /**
   * Validates the fields.
   *
   * @param id the id
   * @param user the user
   * @param firstProtector the first protector
   * @param pinPolicy the PIN policy
   */
  public ContainerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(firstProtector, "firstProtector");
    Objects.requireNonNull(pinPolicy, "pinPolicy");
  }
}
