package dev.ngc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  @Test
  void standsStillUntilMovedAndZoneCopiesShareTheTime() {
    MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), clock.instant());
    assertEquals(Instant.parse("2030-01-01T00:01:00Z"), clock.advance(Duration.ofMinutes(1)));
    assertEquals(clock.instant(), paris.instant());
    clock.set(Instant.EPOCH);
    assertEquals(Instant.EPOCH, paris.instant());
    assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
  }
}
