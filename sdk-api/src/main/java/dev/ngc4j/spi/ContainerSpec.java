package dev.ngc4j.spi;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new container should be: its id, its user, its first protector and the PIN rules.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the container id
 * @param user the user it belongs to
 * @param firstProtector the protector created with the container
 * @param pinPolicy the rules every PIN of this container must meet
 * @param attestationChallenge qualifying data to attest the new key with while the first gesture is at hand;
 *     a provider whose attestation needs the key's authorisation (a TPM's TPM2_Certify) certifies the key
 *     during creation and returns that statement from {@link Attestor#attest} for the same data. Empty when
 *     no attestation is wanted; providers that attest without the gesture, or cannot attest, ignore it.
 * @since 0.1.0
 */
public record ContainerSpec(
    ContainerId id,
    UserPrincipal user,
    ProtectorSpec firstProtector,
    PinPolicy pinPolicy,
    Optional<Bytes> attestationChallenge) {
  /**
   * Validates the fields.
   *
   * @param id the id
   * @param user the user
   * @param firstProtector the first protector
   * @param pinPolicy the PIN policy
   * @param attestationChallenge the qualifying data to attest with, if any
   */
  public ContainerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(firstProtector, "firstProtector");
    Objects.requireNonNull(pinPolicy, "pinPolicy");
    Objects.requireNonNull(attestationChallenge, "attestationChallenge");
  }

  /**
   * A container created without an attestation challenge.
   *
   * @param id the id
   * @param user the user
   * @param firstProtector the first protector
   * @param pinPolicy the PIN policy
   * @since 0.1.0
   */
  public ContainerSpec(ContainerId id, UserPrincipal user, ProtectorSpec firstProtector, PinPolicy pinPolicy) {
    this(id, user, firstProtector, pinPolicy, Optional.empty());
  }
}
