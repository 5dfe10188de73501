package dev.ngc4j.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Public facts about one protector of a container: which gesture kind opens it and, for biometrics, which
 * modality.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the protector's id, unique within its container
 * @param kind the gesture kind that opens it
 * @param modality the biometric modality id; empty for PINs
 * @param created when it was added
 * @since 0.1.0
 */
public record ProtectorInfo(String id, GestureKind kind, Optional<String> modality, Instant created) {
  /**
   * Validates the fields.
   *
   * @param id the id
   * @param kind the kind
   * @param modality the modality
   * @param created the creation time
   */
  public ProtectorInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(created, "created");
  }
}
