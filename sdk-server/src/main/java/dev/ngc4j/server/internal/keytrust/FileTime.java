package dev.ngc4j.server.internal.keytrust;

import java.time.Instant;
import java.util.Objects;

/**
 * Windows {@code FILETIME}: an unsigned 64-bit count of 100-nanosecond intervals since 1601-01-01T00:00:00Z, written
 * little-endian. Values at or above 2^63 (beyond year 30828) are not representable here and refused.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class FileTime {
  /** Seconds from 1601-01-01 to 1970-01-01. */
  static final long EPOCH_OFFSET_SECONDS = 11_644_473_600L;
  private static final long TICKS_PER_SECOND = 10_000_000L;
  private static final int NANOS_PER_TICK = 100;

  private FileTime() {}

  /**
   * Converts a FILETIME to an instant.
   *
   * @param fileTime the FILETIME, read as a signed long
   * @return the instant
   * @throws IllegalArgumentException if the value is negative as a signed long (at or above 2^63 unsigned)
   */
  public static Instant toInstant(long fileTime) {
    if (fileTime < 0) {
      throw new IllegalArgumentException("FILETIME at or above 2^63");
    }
    long seconds = fileTime / TICKS_PER_SECOND - EPOCH_OFFSET_SECONDS;
    long nanos = (fileTime % TICKS_PER_SECOND) * NANOS_PER_TICK;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * Converts an instant to a FILETIME, dropping any part below 100 ns.
   *
   * @param instant the instant
   * @return the FILETIME
   * @throws IllegalArgumentException if the instant is before 1601 or at or after 2^63 ticks
   */
  public static long of(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    long seconds = instant.getEpochSecond() + EPOCH_OFFSET_SECONDS; // Instant's range keeps this from overflowing
    long subSecondTicks = instant.getNano() / NANOS_PER_TICK;
    if (seconds < 0) {
      throw new IllegalArgumentException("the instant is before 1601 and cannot be written as a FILETIME: " + instant);
    }
    try {
      return Math.addExact(Math.multiplyExact(seconds, TICKS_PER_SECOND), subSecondTicks);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the instant is after the last FILETIME below 2^63: " + instant, e);
    }
  }

  /**
   * Returns the instant with its fraction below 100 ns dropped (what a FILETIME round trip keeps).
   *
   * @param instant the instant
   * @return the truncated instant
   */
  public static Instant truncate(Instant instant) {
    int nanos = instant.getNano();
    return Instant.ofEpochSecond(instant.getEpochSecond(), nanos - nanos % NANOS_PER_TICK);
  }
}
