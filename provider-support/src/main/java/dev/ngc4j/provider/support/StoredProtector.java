package dev.ngc4j.provider.support;

import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.ProtectorInfo;
import java.time.Instant;
import java.util.Optional;

/**
 * A protector as a provider stores it: a {@link ProtectorHeader} followed by the provider's own fields.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: implementations are immutable.
 */
public interface StoredProtector {
  /**
   * Returns the common fields.
   *
   * @return the header
   */
  ProtectorHeader header();

  /**
   * Appends the whole protector, header first.
   *
   * @param w the writer
   */
  void writeTo(ByteWriter w);

  /**
   * Returns the protector id.
   *
   * @return the id
   */
  default String id() {
    return header().id();
  }

  /**
   * Returns the gesture kind.
   *
   * @return the kind
   */
  default GestureKind kind() {
    return header().kind();
  }

  /**
   * Returns the biometric modality.
   *
   * @return the modality; empty for a PIN
   */
  default Optional<String> modality() {
    return header().modality();
  }

  /**
   * Returns when the protector was added.
   *
   * @return the time
   */
  default Instant created() {
    return header().created();
  }

  /**
   * Returns what the SPI reports.
   *
   * @return the info
   */
  default ProtectorInfo info() {
    return header().info();
  }
}
