package dev.ngc4j.provider.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Big-endian writer for the providers' file bodies: {@code u8}, {@code u16}, {@code i32}, {@code i64}, flags,
 * instants (i64 epoch seconds + i32 nanoseconds), strings (u16 length + UTF-8) and byte strings (u32 length +
 * bytes). {@link ByteReader} reads it back.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: not thread-safe; one writer per encoding.
 */
public final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
  private final int maxBytes;

  /** A writer whose byte strings may hold up to {@value ByteReader#DEFAULT_MAX_BYTES} bytes. */
  public ByteWriter() {
    this(ByteReader.DEFAULT_MAX_BYTES);
  }

  /**
   * A writer whose byte strings may hold up to {@code maxBytes} bytes: what its readers accept.
   *
   * @param maxBytes the longest byte string
   */
  public ByteWriter(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative");
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Appends one byte.
   *
   * @param v 0 to 255
   * @return this writer
   */
  public ByteWriter u8(int v) {
    if ((v & ~0xFF) != 0) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    out.write(v);
    return this;
  }

  /**
   * Appends two bytes.
   *
   * @param v 0 to 65535
   * @return this writer
   */
  public ByteWriter u16(int v) {
    if ((v & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  /**
   * Appends four bytes (the two's complement of a negative value).
   *
   * @param v the value
   * @return this writer
   */
  public ByteWriter i32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  /**
   * Appends eight bytes.
   *
   * @param v the value
   * @return this writer
   */
  public ByteWriter i64(long v) {
    return i32((int) (v >>> 32)).i32((int) v);
  }

  /**
   * Appends 1 or 0.
   *
   * @param v the flag
   * @return this writer
   */
  public ByteWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /**
   * Appends epoch seconds (i64) and nanoseconds (i32).
   *
   * @param t the instant
   * @return this writer
   */
  public ByteWriter instant(Instant t) {
    return i64(t.getEpochSecond()).i32(t.getNano());
  }

  /**
   * Appends a u16 length and the UTF-8 bytes.
   *
   * @param s the string (at most 65535 UTF-8 bytes)
   * @return this writer
   */
  public ByteWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u16(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  /**
   * Appends a u32 length and the bytes.
   *
   * @param b the byte string, at most this writer's limit
   * @return this writer
   */
  public ByteWriter bytes(byte[] b) {
    if (b.length > maxBytes) {
      throw new IllegalArgumentException("byte string too long: " + b.length);
    }
    i32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  /**
   * Appends the bytes as they are, without a length.
   *
   * @param b the bytes
   * @return this writer
   */
  public ByteWriter raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /**
   * Returns what was written.
   *
   * @return a new array
   */
  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
