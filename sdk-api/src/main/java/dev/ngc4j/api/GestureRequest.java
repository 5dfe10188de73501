package dev.ngc4j.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a provider asks the application for: which gesture kind, why, for which user and container, and how many
 * attempts are left.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param kind the gesture kind wanted
 * @param purpose why it is wanted
 * @param user whose credential it is
 * @param container the container concerned
 * @param providerId the provider asking
 * @param attemptsRemaining attempts left before lockout, when known
 * @param modality the biometric modality wanted, for {@link GestureKind#BIOMETRIC}
 * @param pinPolicy the rules a new PIN must meet, for {@link GesturePurpose#CREATE} and
 *     {@link GesturePurpose#CHANGE}
 * @since 0.1.0
 */
public record GestureRequest(
    GestureKind kind,
    GesturePurpose purpose,
    UserPrincipal user,
    ContainerId container,
    String providerId,
    OptionalInt attemptsRemaining,
    Optional<String> modality,
    Optional<PinPolicy> pinPolicy) {
  /**
   * Validates the fields.
   *
   * @param kind the kind
   * @param purpose the purpose
   * @param user the user
   * @param container the container
   * @param providerId the provider
   * @param attemptsRemaining attempts left
   * @param modality the modality
   * @param pinPolicy the PIN policy
   */
  public GestureRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(providerId, "providerId");
    Objects.requireNonNull(attemptsRemaining, "attemptsRemaining");
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(pinPolicy, "pinPolicy");
  }
}
