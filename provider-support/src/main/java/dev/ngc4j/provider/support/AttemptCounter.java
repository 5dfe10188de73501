package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The anti-hammering state of one container, kept in its {@code attempts.ngc}: a {@link FramedFile} with the
 * provider's magic, format version {@value #VERSION}, and the body
 *
 * <pre>
 * str     container id (a counter file copied from another container is refused)
 * i32     failures since the last success (at most maxAttempts counts; more is kept)
 * i32     lockouts since the last success (the back-off doubles with each)
 * u8      1 if a lockout end follows, else 0
 * instant lockout end (only if the flag is 1): before it nothing is asked; after it one attempt is allowed
 * </pre>
 *
 * <p>The rules live in {@link LockoutPolicy}. A missing or damaged counter is never recreated as reset: callers
 * fail closed.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param containerId the container the counter belongs to
 * @param failures failed attempts since the last success
 * @param lockouts lockouts since the last success
 * @param lockedUntil the end of the current or last lockout, or {@code null} when not locked
 */
public record AttemptCounter(ContainerId containerId, int failures, int lockouts, @Nullable Instant lockedUntil) {
  /** The body's format version. */
  public static final int VERSION = 1;
  /** No counter file comes near this size; larger means damaged or foreign. */
  public static final int MAX_FILE_LENGTH = 4096;

  /**
   * Checks the counts.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public AttemptCounter {
    if (failures < 0 || lockouts < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /**
   * A counter with no failures.
   *
   * @param id the container
   * @return the counter
   */
  public static AttemptCounter fresh(ContainerId id) {
    return new AttemptCounter(id, 0, 0, null);
  }

  /**
   * Returns the lockout end, if any.
   *
   * @return the end of the current or last lockout
   */
  public Optional<Instant> lockEnd() {
    return Optional.ofNullable(lockedUntil);
  }

  /**
   * Encodes the counter as a framed file.
   *
   * @param magic the provider's magic for counter files
   * @return the file's bytes
   */
  public byte[] encode(String magic) {
    ByteWriter w = new ByteWriter().str(containerId.value()).i32(failures).i32(lockouts);
    Instant until = lockedUntil;
    if (until == null) {
      w.bool(false);
    } else {
      w.bool(true).instant(until);
    }
    return FramedFile.seal(magic, VERSION, w.toByteArray());
  }

  /**
   * Decodes a counter file and checks it belongs to {@code expected}.
   *
   * @param file the file, for messages
   * @param data its bytes
   * @param magic the provider's magic for counter files
   * @param expected the container it must belong to
   * @return the counter
   * @throws ContainerCorruptedException if it is damaged, foreign or another container's
   */
  public static AttemptCounter decode(Path file, byte[] data, String magic, ContainerId expected)
      throws ContainerCorruptedException {
    ByteReader r = new ByteReader(FramedFile.open(file, data, magic, VERSION).body());
    try {
      String id = r.str();
      if (!expected.value().equals(id)) {
        throw new ByteReader.MalformedException("it belongs to another container");
      }
      int failures = r.i32();
      int lockouts = r.i32();
      if (failures < 0 || lockouts < 0) {
        throw new ByteReader.MalformedException("negative count");
      }
      Instant until = r.bool() ? r.instant() : null;
      r.expectEnd();
      return new AttemptCounter(expected, failures, lockouts, until);
    } catch (ByteReader.MalformedException e) {
      throw FramedFile.corrupted(file, e.reason());
    }
  }
}
