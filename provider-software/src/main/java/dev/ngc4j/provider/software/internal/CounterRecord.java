package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The content of {@code attempts.ngc}, format version 1: the anti-hammering state of one container. Body:
 *
 * <pre>
 * str     container id (a counter file copied from another container is refused)
 * i32     failures since the last success (at most maxAttempts counts; more is kept)
 * i32     lockouts since the last success (the back-off doubles with each)
 * u8      1 if a lockout end follows, else 0
 * instant lockout end (only if the flag is 1): before it nothing is asked; after it one attempt is allowed
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param containerId the container the counter belongs to
 * @param failures failed attempts since the last success
 * @param lockouts lockouts since the last success
 * @param lockedUntil the end of the current or last lockout, or {@code null} when not locked
 */
record CounterRecord(ContainerId containerId, int failures, int lockouts, @Nullable Instant lockedUntil) {
  static final String MAGIC = "NGC4JSWA";
  static final int VERSION = 1;

  CounterRecord {
    if (failures < 0 || lockouts < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  static CounterRecord fresh(ContainerId id) {
    return new CounterRecord(id, 0, 0, null);
  }

  Optional<Instant> lockEnd() {
    return Optional.ofNullable(lockedUntil);
  }

  byte[] encode() {
    ByteWriter w = new ByteWriter().str(containerId.value()).i32(failures).i32(lockouts);
    Instant until = lockedUntil;
    if (until == null) {
      w.bool(false);
    } else {
      w.bool(true).instant(until);
    }
    return SealedFile.seal(MAGIC, VERSION, w.toByteArray());
  }

  static CounterRecord decode(Path file, byte[] data, ContainerId expected) throws ContainerCorruptedException {
    SealedFile.Opened opened = SealedFile.open(file, data, MAGIC, VERSION);
    ByteReader r = new ByteReader(opened.body());
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
      return new CounterRecord(expected, failures, lockouts, until);
    } catch (ByteReader.MalformedException e) {
      throw SealedFile.corrupted(file, e.reason());
    }
  }
}
