package dev.ngc4j.provider.support;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.spi.ProtectorSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The protectors of one container, as stored: a u16 count, then each protector ({@link StoredProtector#writeTo}).
 * Ids are unique; at most one PIN protector and one protector per biometric modality are added (the container
 * refuses a second, see {@link #requireNoneLike}).
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param <P> the provider's protector type
 */
public final class ProtectorList<P extends StoredProtector> {
  private final List<P> all;

  private ProtectorList(List<P> all) {
    this.all = List.copyOf(all);
  }

  /**
   * Reads one protector of the provider's type (header first).
   *
   * @param <P> the provider's protector type
   */
  @FunctionalInterface
  public interface Reader<P> {
    /**
     * Reads the protector.
     *
     * @param r the reader
     * @return the protector
     * @throws ByteReader.MalformedException if it is truncated or invalid
     */
    P read(ByteReader r) throws ByteReader.MalformedException;
  }

  /**
   * Wraps protectors.
   *
   * @param <P> the provider's protector type
   * @param protectors the protectors, in order
   * @return the list
   */
  public static <P extends StoredProtector> ProtectorList<P> of(List<P> protectors) {
    return new ProtectorList<>(protectors);
  }

  /**
   * Returns every protector, in order.
   *
   * @return an unmodifiable list
   */
  public List<P> all() {
    return all;
  }

  /**
   * Returns how many protectors there are.
   *
   * @return the count
   */
  public int size() {
    return all.size();
  }

  /**
   * Returns the PIN protector.
   *
   * @return the first PIN protector, if any
   */
  public Optional<P> pin() {
    return all.stream().filter(p -> p.kind() == GestureKind.PIN).findFirst();
  }

  /**
   * Returns the biometric protectors.
   *
   * @return the biometric protectors, in order
   */
  public List<P> biometrics() {
    return all.stream().filter(p -> p.kind() == GestureKind.BIOMETRIC).toList();
  }

  /**
   * Returns the protectors to try for an unlock, in order: every biometric first (the user may cancel one to get the
   * next), then the PIN.
   *
   * @return the candidates
   */
  public List<P> unlockOrder() {
    List<P> candidates = new ArrayList<>(biometrics());
    pin().ifPresent(candidates::add);
    return List.copyOf(candidates);
  }

  /**
   * Returns the protector that confirms the current user before a change: the PIN, or else the first biometric.
   *
   * @return the protector
   * @throws IllegalStateException if there is none (a decoded list never is empty)
   */
  public P confirming() {
    return pin().orElseGet(() -> {
      List<P> biometrics = biometrics();
      if (biometrics.isEmpty()) {
        throw new IllegalStateException("no protector to confirm with");
      }
      return biometrics.get(0);
    });
  }

  /**
   * Returns the PIN protector for a PIN change.
   *
   * @param subject the container in messages ("TPM container alice-1")
   * @return the PIN protector
   * @throws NgcException {@code UNSUPPORTED} if the container has no PIN
   */
  public P requirePin(String subject) throws NgcException {
    Optional<P> pin = pin();
    if (pin.isEmpty()) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          ContainerDirectory.capitalized(subject) + " has no PIN to change",
          "add a PIN protector with addProtector first", null);
    }
    return pin.get();
  }

  /**
   * Refuses to add a second protector of the same kind and modality.
   *
   * @param spec the protector to add
   * @param subject the container in messages ("TPM container alice-1")
   * @throws NgcException {@code UNSUPPORTED} if one exists
   */
  public void requireNoneLike(ProtectorSpec spec, String subject) throws NgcException {
    for (P p : all) {
      if (p.kind() == spec.kind() && p.modality().equals(spec.modality())) {
        throw new NgcException(
            ErrorCode.UNSUPPORTED,
            ContainerDirectory.capitalized(subject) + " already has a " + spec.kind()
                + spec.modality().map(m -> " (" + m + ")").orElse("") + " protector",
            spec.kind() == GestureKind.PIN ? "use changePin to change the PIN" : "use the existing protector",
            null);
      }
    }
  }

  /**
   * Returns the protectors' infos.
   *
   * @return the infos, in order
   */
  public List<ProtectorInfo> infos() {
    return all.stream().map(StoredProtector::info).toList();
  }

  /**
   * Returns a copy with the protector of the same id replaced, or with the protector appended.
   *
   * @param protector the new or changed protector
   * @return the new list
   */
  public ProtectorList<P> with(P protector) {
    List<P> list = new ArrayList<>(all);
    boolean replaced = false;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).id().equals(protector.id())) {
        list.set(i, protector);
        replaced = true;
      }
    }
    if (!replaced) {
      list.add(protector);
    }
    return new ProtectorList<>(list);
  }

  /**
   * Appends the count and the protectors.
   *
   * @param w the writer
   */
  public void writeTo(ByteWriter w) {
    w.u16(all.size());
    for (P p : all) {
      p.writeTo(w);
    }
  }

  /**
   * Reads a count (1 to {@code maxCount}) and that many protectors, refusing duplicate ids.
   *
   * @param <P> the provider's protector type
   * @param r the reader
   * @param maxCount the most protectors a record may hold
   * @param reader reads one protector
   * @return the list
   * @throws ByteReader.MalformedException if the count is out of range, an id repeats or a protector is invalid
   */
  public static <P extends StoredProtector> ProtectorList<P> readFrom(ByteReader r, int maxCount, Reader<P> reader)
      throws ByteReader.MalformedException {
    int count = r.u16();
    if (count < 1 || count > maxCount) {
      throw new ByteReader.MalformedException("protector count " + count + " out of range");
    }
    List<P> protectors = new ArrayList<>(count);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      P p = reader.read(r);
      if (!ids.add(p.id())) {
        throw new ByteReader.MalformedException("duplicate protector id " + p.id());
      }
      protectors.add(p);
    }
    return new ProtectorList<>(protectors);
  }
}
