package dev.ngc4j.provider.software.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Bounds-checked reader for what {@link ByteWriter} wrote. Every read that would run past the end, every declared
 * length above the limit and every malformed value throws {@link MalformedException}; nothing is trusted.
 *
 * <p>Thread safety: not thread-safe; one reader per decoding.
 */
final class ByteReader {
  /** The longest byte string any format here holds (a PKCS#8 RSA key is under 2 KiB). */
  static final int MAX_BYTES = 64 * 1024;

  private final byte[] buf;
  private int pos;

  ByteReader(byte[] buf) {
    this.buf = buf;
  }

  /** A format violation; the message says what, never contains the data. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    MalformedException(String reason) {
      super(reason);
      this.reason = reason;
    }

    /** Returns what is wrong, without data. */
    String reason() {
      return reason;
    }
  }

  private void need(int n) throws MalformedException {
    if (n < 0 || buf.length - pos < n) {
      throw new MalformedException("truncated at offset " + pos + " (needs " + n + " more bytes)");
    }
  }

  int u8() throws MalformedException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  int u16() throws MalformedException {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  int i32() throws MalformedException {
    need(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
        | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long i64() throws MalformedException {
    long hi = i32() & 0xFFFFFFFFL;
    long lo = i32() & 0xFFFFFFFFL;
    return (hi << 32) | lo;
  }

  boolean bool() throws MalformedException {
    int v = u8();
    if (v > 1) {
      throw new MalformedException("boolean is neither 0 nor 1 at offset " + (pos - 1));
    }
    return v == 1;
  }

  Instant instant() throws MalformedException {
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

  String str() throws MalformedException {
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

  byte[] bytes() throws MalformedException {
    int n = i32();
    if (n < 0 || n > MAX_BYTES) {
      throw new MalformedException("byte string length " + n + " out of range at offset " + (pos - 4));
    }
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  byte[] bytes(int expectedLength) throws MalformedException {
    byte[] b = bytes();
    if (b.length != expectedLength) {
      throw new MalformedException("expected " + expectedLength + " bytes, found " + b.length);
    }
    return b;
  }

  void expectEnd() throws MalformedException {
    if (pos != buf.length) {
      throw new MalformedException((buf.length - pos) + " unexpected trailing bytes at offset " + pos);
    }
  }
}
