package dev.ngc4j.provider.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Bounds-checked reader for what {@link ByteWriter} wrote. Every read that would run past the end, every declared
 * length above the limit and every malformed value throws {@link MalformedException}, whose message says where and
 * what without the data; nothing is trusted.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: not thread-safe; one reader per decoding.
 */
public final class ByteReader {
  /** The default limit of one byte string (a PKCS#8 RSA-2048 key is under 2 KiB, a TPM blob under 1 KiB). */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  private final byte[] buf;
  private final int maxBytes;
  private int pos;

  /**
   * A reader with the default byte-string limit.
   *
   * @param buf the encoding (not copied)
   */
  public ByteReader(byte[] buf) {
    this(buf, DEFAULT_MAX_BYTES);
  }

  /**
   * A reader that refuses byte strings longer than {@code maxBytes}.
   *
   * @param buf the encoding (not copied)
   * @param maxBytes the longest byte string
   */
  public ByteReader(byte[] buf, int maxBytes) {
    this.buf = buf;
    this.maxBytes = maxBytes;
  }

  /** A format violation; the message says what, never contains the data. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param reason what is wrong, without data
     */
    public MalformedException(String reason) {
      super(reason);
      this.reason = reason;
    }

    /**
     * Returns what is wrong, without data.
     *
     * @return the reason
     */
    public String reason() {
      return reason;
    }
  }

  private void need(int n) throws MalformedException {
    if (n < 0 || buf.length - pos < n) {
      throw new MalformedException("truncated at offset " + pos + " (needs " + n + " more bytes)");
    }
  }

  /**
   * Reads one byte.
   *
   * @return 0 to 255
   * @throws MalformedException at the end
   */
  public int u8() throws MalformedException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  /**
   * Reads two bytes.
   *
   * @return 0 to 65535
   * @throws MalformedException at the end
   */
  public int u16() throws MalformedException {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  /**
   * Reads four bytes.
   *
   * @return the value (negative if the top bit is set)
   * @throws MalformedException at the end
   */
  public int i32() throws MalformedException {
    need(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
        | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /**
   * Reads eight bytes.
   *
   * @return the value
   * @throws MalformedException at the end
   */
  public long i64() throws MalformedException {
    long hi = i32() & 0xFFFF_FFFFL;
    long lo = i32() & 0xFFFF_FFFFL;
    return (hi << 32) | lo;
  }

  /**
   * Reads a flag.
   *
   * @return whether it is 1
   * @throws MalformedException if it is neither 0 nor 1
   */
  public boolean bool() throws MalformedException {
    int v = u8();
    if (v > 1) {
      throw new MalformedException("boolean is neither 0 nor 1 at offset " + (pos - 1));
    }
    return v == 1;
  }

  /**
   * Reads epoch seconds and nanoseconds.
   *
   * @return the instant
   * @throws MalformedException if out of range
   */
  public Instant instant() throws MalformedException {
    long seconds = i64();
    int nanos = i32();
    if (nanos < 0 || nanos > 999_999_999) {
      throw new MalformedException("nanoseconds out of range at offset " + (pos - 4));
    }
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw new MalformedException("instant out of range at offset " + (pos - 12));
    }
  }

  /**
   * Reads a u16 length and that many UTF-8 bytes.
   *
   * @return the string
   * @throws MalformedException if truncated or not UTF-8
   */
  public String str() throws MalformedException {
    int n = u16();
    need(n);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, n))
          .toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new MalformedException("invalid UTF-8 at offset " + pos);
    }
  }

  /**
   * Reads a u32 length and that many bytes, up to this reader's limit.
   *
   * @return a copy of the bytes
   * @throws MalformedException if the length is above the limit or the data is truncated
   */
  public byte[] bytes() throws MalformedException {
    return boundedBytes(maxBytes);
  }

  /**
   * Reads a byte string that must have exactly {@code expectedLength} bytes.
   *
   * @param expectedLength the length
   * @return a copy of the bytes
   * @throws MalformedException if the length differs
   */
  public byte[] bytes(int expectedLength) throws MalformedException {
    byte[] b = bytes();
    if (b.length != expectedLength) {
      throw new MalformedException("expected " + expectedLength + " bytes, found " + b.length);
    }
    return b;
  }

  /**
   * Reads a byte string of at most {@code max} bytes (a field with a tighter bound than the reader's).
   *
   * @param max the longest accepted length
   * @return a copy of the bytes
   * @throws MalformedException if the length is above {@code max} or the data is truncated
   */
  public byte[] boundedBytes(int max) throws MalformedException {
    int n = i32();
    if (n < 0 || n > max) {
      throw new MalformedException(
          "byte string length " + Integer.toUnsignedString(n) + " out of range at offset " + (pos - 4));
    }
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /**
   * Checks that everything was read.
   *
   * @throws MalformedException if bytes are left
   */
  public void expectEnd() throws MalformedException {
    if (pos != buf.length) {
      throw new MalformedException((buf.length - pos) + " unexpected trailing bytes at offset " + pos);
    }
  }
}
