package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The body codec: the exact bytes it writes, and everything hostile the reader refuses. */
class ByteCodecTest {
  @Test
  void writesBigEndianFieldsExactlyAsTheFormatsDocument() {
    byte[] b = new ByteWriter()
        .u8(0xAB).u16(0x1234).i32(-2).i64(0x0102030405060708L).bool(true).bool(false)
        .instant(Instant.ofEpochSecond(1, 2)).str("é").bytes(new byte[] {9, 8}).raw(new byte[] {7})
        .toByteArray();
    assertEquals("ab" + "1234" + "fffffffe" + "0102030405060708" + "01" + "00"
        + "0000000000000001" + "00000002" + "0002c3a9" + "000000020908" + "07", HexFormat.of().formatHex(b));
  }

  @Test
  void readsBackWhatWasWritten() throws Exception {
    Instant t = Instant.parse("2030-05-06T07:08:09.123456789Z");
    byte[] b = new ByteWriter().u8(255).u16(65535).i32(Integer.MIN_VALUE).i64(Long.MAX_VALUE).bool(true)
        .instant(t).str("ngc4j").bytes(new byte[3]).bytes(new byte[12]).toByteArray();
    ByteReader r = new ByteReader(b);
    assertEquals(255, r.u8());
    assertEquals(65535, r.u16());
    assertEquals(Integer.MIN_VALUE, r.i32());
    assertEquals(Long.MAX_VALUE, r.i64());
    assertTrue(r.bool());
    assertEquals(t, r.instant());
    assertEquals("ngc4j", r.str());
    assertArrayEquals(new byte[3], r.bytes());
    assertArrayEquals(new byte[12], r.bytes(12));
    r.expectEnd();
  }

  @Test
  void hostileLengthsAndTruncationAreRefused() {
    byte[] hugeLength = new ByteWriter().i32(Integer.MAX_VALUE).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(hugeLength).bytes());
    byte[] negative = new ByteWriter().i32(-1).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(negative).bytes());
    byte[] shortString = new ByteWriter().u16(10).raw(new byte[3]).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(shortString).str());
    byte[] badUtf8 = new ByteWriter().u16(1).raw(new byte[] {(byte) 0xC3}).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(badUtf8).str());
    byte[] badBool = new ByteWriter().u8(2).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(badBool).bool());
    byte[] badNanos = new ByteWriter().i64(0).i32(1_000_000_000).toByteArray();
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(badNanos).instant());
    byte[] trailing = new ByteWriter().u8(1).u8(2).toByteArray();
    ByteReader r = new ByteReader(trailing);
    ByteReader.MalformedException e = assertThrows(ByteReader.MalformedException.class, () -> {
      r.u8();
      r.expectEnd();
    });
    assertTrue(e.reason().contains("trailing"), e.reason());
  }

  @Test
  void theReaderAndTheWriterHoldTheirByteStringLimits() throws Exception {
    byte[] twoKiB = new ByteWriter().bytes(new byte[2048]).toByteArray();
    assertEquals(2048, new ByteReader(twoKiB).bytes().length);
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(twoKiB, 1024).bytes());
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(twoKiB).boundedBytes(2047));
    assertEquals(2048, new ByteReader(twoKiB).boundedBytes(2048).length);
    assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(twoKiB).bytes(2047));
    assertThrows(IllegalArgumentException.class, () -> new ByteWriter(1024).bytes(new byte[1025]));
    assertThrows(IllegalArgumentException.class,
        () -> new ByteWriter().bytes(new byte[ByteReader.DEFAULT_MAX_BYTES + 1]));
    assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u8(256));
    assertThrows(IllegalArgumentException.class, () -> new ByteWriter().u16(-1));
  }

  @Test
  void messagesNeverCarryTheData() {
    byte[] secret = "hunter2-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] b = new ByteWriter().i32(secret.length + 5).raw(secret).toByteArray();
    ByteReader.MalformedException e =
        assertThrows(ByteReader.MalformedException.class, () -> new ByteReader(b).bytes());
    assertFalse(e.reason().contains("hunter2"), e.reason());
  }
}
