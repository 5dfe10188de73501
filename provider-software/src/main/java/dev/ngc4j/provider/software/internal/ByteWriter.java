package dev.ngc4j.provider.software.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Big-endian writer for the container formats: fixed-width integers, length-prefixed UTF-8 strings and byte strings.
 *
 * <p>Thread safety: not thread-safe; one writer per encoding.
 */
final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

  ByteWriter u8(int v) {
    if (v < 0 || v > 0xFF) {
      throw new IllegalArgumentException("u8 out of range");
    }
    out.write(v);
    return this;
  }

  ByteWriter u16(int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException("u16 out of range");
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  ByteWriter i32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  ByteWriter i64(long v) {
    i32((int) (v >>> 32));
    i32((int) v);
    return this;
  }

  ByteWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  ByteWriter instant(Instant t) {
    i64(t.getEpochSecond());
    return i32(t.getNano());
  }

  /** A u16 length and the UTF-8 bytes. */
  ByteWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u16(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  /** A u32 length and the bytes. */
  ByteWriter bytes(byte[] b) {
    i32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  ByteWriter raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
