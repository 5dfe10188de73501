package dev.ngc4j.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that stands still until the test moves it, for lockout and expiry tests without waiting.
 *
 * <p>Copies made with {@link #withZone(ZoneId)} share the time of the clock they were made from.
 *
 * <p>Thread safety: safe for concurrent use; every reader sees the latest {@link #set} or {@link #advance}.
 *
 * @since 0.1.0
 */
public final class MutableClock extends Clock {
  /** The default start: a fixed, whole-second instant, so stored times compare exactly. */
  private static final Instant DEFAULT_START = Instant.parse("2025-01-15T09:00:00Z");

  private final Time now;
  private final ZoneId zone;

  private MutableClock(Time now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Returns a clock standing at 2025-01-15T09:00:00Z, in UTC.
   *
   * @return a new clock
   * @since 0.1.0
   */
  public static MutableClock create() {
    return at(DEFAULT_START);
  }

  /**
   * Returns a clock standing at the given instant, in UTC.
   *
   * @param start the initial time
   * @return a new clock
   * @since 0.1.0
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(new Time(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward (or backward, for a negative duration).
   *
   * @param duration how far to move
   * @return the new time
   * @since 0.1.0
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.advance(duration);
  }

  /**
   * Sets the clock to the given instant.
   *
   * @param instant the new time
   * @since 0.1.0
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a clock in another zone that shares this clock's time (moving one moves both). */
  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }

  /** The time shared by a clock and its zone copies. */
  private static final class Time {
    private volatile Instant value;

    Time(Instant value) {
      this.value = value;
    }

    Instant get() {
      return value;
    }

    synchronized void set(Instant instant) {
      value = instant;
    }

    synchronized Instant advance(Duration duration) {
      value = value.plus(duration);
      return value;
    }
  }
}
