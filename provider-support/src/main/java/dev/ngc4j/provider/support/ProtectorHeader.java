package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserPrincipal;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields every stored protector starts with:
 *
 * <pre>
 * str     id ("pin-1", "biometric-2", ...; unique in its container)
 * str     kind (PIN | BIOMETRIC)
 * str     modality ("" for a PIN)
 * instant created
 * </pre>
 *
 * <p>What follows is the provider's own (key derivation and wrapped key, or key blobs).
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the protector id
 * @param kind the gesture kind that opens it
 * @param modality the biometric modality; empty for a PIN
 * @param created when it was added (a changed PIN keeps its protector's time)
 */
public record ProtectorHeader(String id, GestureKind kind, Optional<String> modality, Instant created) {
  /**
   * Checks that exactly biometric protectors have a modality.
   *
   * @throws IllegalArgumentException otherwise
   */
  public ProtectorHeader {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("empty protector id");
    }
    if ((kind == GestureKind.BIOMETRIC) != modality.isPresent()) {
      throw new IllegalArgumentException("exactly biometric protectors have a modality");
    }
  }

  /**
   * A PIN protector's header.
   *
   * @param id the id
   * @param created when it was added
   * @return the header
   */
  public static ProtectorHeader pin(String id, Instant created) {
    return new ProtectorHeader(id, GestureKind.PIN, Optional.empty(), created);
  }

  /**
   * A biometric protector's header.
   *
   * @param id the id
   * @param modality the modality
   * @param created when it was added
   * @return the header
   */
  public static ProtectorHeader biometric(String id, String modality, Instant created) {
    return new ProtectorHeader(id, GestureKind.BIOMETRIC, Optional.of(modality), created);
  }

  /**
   * Returns what the SPI reports about the protector.
   *
   * @return the info
   */
  public ProtectorInfo info() {
    return new ProtectorInfo(id, kind, modality, created);
  }

  /**
   * The request that asks for this protector's gesture.
   *
   * @param purpose why
   * @param user the container's user
   * @param containerId the container
   * @param providerId the provider
   * @param attemptsRemaining what the user has left
   * @return the request
   */
  public GestureRequest request(GesturePurpose purpose, UserPrincipal user, ContainerId containerId,
      String providerId, int attemptsRemaining) {
    return new GestureRequest(kind, purpose, user, containerId, providerId, OptionalInt.of(attemptsRemaining),
        modality, Optional.empty());
  }

  /**
   * Appends the fields.
   *
   * @param w the writer
   * @return the writer
   */
  public ByteWriter writeTo(ByteWriter w) {
    return w.str(id).str(kind.name()).str(modality.orElse("")).instant(created);
  }

  /**
   * Reads the fields.
   *
   * @param r the reader
   * @return the header
   * @throws ByteReader.MalformedException if truncated, the kind is unknown or the modality does not fit the kind
   */
  public static ProtectorHeader readFrom(ByteReader r) throws ByteReader.MalformedException {
    String id = r.str();
    if (id.isEmpty()) {
      throw new ByteReader.MalformedException("empty protector id");
    }
    GestureKind kind;
    try {
      kind = GestureKind.valueOf(r.str());
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("unknown gesture kind in protector " + id);
    }
    String modality = r.str();
    if ((kind == GestureKind.BIOMETRIC) == modality.isEmpty()) {
      throw new ByteReader.MalformedException("modality does not fit the gesture kind in protector " + id);
    }
    Instant created = r.instant();
    return new ProtectorHeader(
        id, kind, kind == GestureKind.BIOMETRIC ? Optional.of(modality) : Optional.empty(), created);
  }
}
