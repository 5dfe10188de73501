package dev.ngc4j.spi;

import dev.ngc4j.api.GestureKind;
import java.util.Objects;
import java.util.Optional;

/**
 * Which gesture a protector is bound to: a PIN, or a named biometric modality.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param kind the gesture kind
 * @param modality the biometric modality id; present exactly for {@link GestureKind#BIOMETRIC}
 * @since 0.1.0
 */
public record ProtectorSpec(GestureKind kind, Optional<String> modality) {
  /**
   * Validates the pair.
   *
   * @param kind the kind
   * @param modality the modality
   */
  public ProtectorSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(modality, "modality");
    if ((kind == GestureKind.BIOMETRIC) != modality.isPresent()) {
      throw new IllegalArgumentException("a modality is given exactly for biometric protectors");
    }
  }

  /**
   * A PIN protector.
   *
   * @return the spec
   * @since 0.1.0
   */
  public static ProtectorSpec pin() {
    return new ProtectorSpec(GestureKind.PIN, Optional.empty());
  }

  /**
   * A biometric protector for the given modality.
   *
   * @param modality the modality id, such as {@code fingerprint}
   * @return the spec
   * @since 0.1.0
   */
  public static ProtectorSpec biometric(String modality) {
    return new ProtectorSpec(GestureKind.BIOMETRIC, Optional.of(modality));
  }
}
