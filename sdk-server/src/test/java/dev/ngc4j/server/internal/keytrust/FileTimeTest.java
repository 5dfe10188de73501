package dev.ngc4j.server.internal.keytrust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

final class FileTimeTest {
  @Test
  void zeroIsTheStartOf1601AndTheUnixEpochIsItsKnownValue() {
    assertEquals(Instant.parse("1601-01-01T00:00:00Z"), FileTime.toInstant(0));
    assertEquals(116_444_736_000_000_000L, FileTime.of(Instant.EPOCH));
    assertEquals(Instant.EPOCH, FileTime.toInstant(116_444_736_000_000_000L));
  }

  @Test
  void aKnownDateIsWrittenLittleEndian() {
    long ft = FileTime.of(Instant.parse("2024-01-01T00:00:00Z"));
    assertEquals(133_485_408_000_000_000L, ft);
    assertArrayEquals(HexFormat.of().parseHex("00c08976453cda01"), LinkBlob.fileTime(ft));
    assertEquals(ft, LinkBlob.fileTime(HexFormat.of().parseHex("00c08976453cda01")));
  }

  @Test
  void unitsAre100NanosecondsAndFinerPartsAreDropped() {
    Instant t = Instant.parse("2025-06-30T12:34:56.123456789Z");
    assertEquals(Instant.parse("2025-06-30T12:34:56.1234567Z"), FileTime.toInstant(FileTime.of(t)));
    assertEquals(Instant.parse("2025-06-30T12:34:56.1234567Z"), FileTime.truncate(t));
    assertEquals(FileTime.of(Instant.EPOCH) + 1, FileTime.of(Instant.EPOCH.plusNanos(100)));
  }

  @Test
  void timesOutsideTheRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> FileTime.of(Instant.parse("1600-12-31T23:59:59.9999999Z")));
    assertThrows(IllegalArgumentException.class, () -> FileTime.of(Instant.MAX));
    assertThrows(IllegalArgumentException.class, () -> FileTime.toInstant(-1));
    assertEquals(Long.MAX_VALUE, FileTime.of(FileTime.toInstant(Long.MAX_VALUE)));
  }
}
