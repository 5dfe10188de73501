package dev.ngc4j.provider.tpm.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The big-endian encoding of this provider's files: {@code u8}, {@code u16}, {@code u32}/{@code i64}, instants
 * (seconds + nanoseconds), strings (u16 length + UTF-8) and byte strings (u32 length + bytes). {@link Reader}
 * checks every length against what is left and against {@value #MAX_BYTES}, and reports problems without the
 * data.
 *
 * <p>(provider-software has an encoding of the same shape; providers do not depend on each other, so each keeps
 * its own small codec.)
 *
 * <p>Thread safety: writers and readers are not thread-safe; use one per encoding.
 */
final class Codec {
  /** The longest byte string the formats hold (TPM blobs are under 1 KiB). */
  static final int MAX_BYTES = 16 * 1024;

  private Codec() {}

  /** Appends values; {@link #toByteArray()} returns the encoding. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    Writer u8(int v) {
      if ((v & ~0xFF) != 0) {
        throw new IllegalArgumentException("u8 out of range: " + v);
      }
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      if ((v & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("u16 out of range: " + v);
      }
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer u32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer i64(long v) {
      return u32((int) (v >>> 32)).u32((int) v);
    }

    Writer bool(boolean v) {
      return u8(v ? 1 : 0);
    }

    Writer instant(Instant t) {
      return i64(t.getEpochSecond()).u32(t.getNano());
    }

    Writer str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u16(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Writer bytes(byte[] b) {
      if (b.length > MAX_BYTES) {
        throw new IllegalArgumentException("byte string too long: " + b.length);
      }
      u32(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Writer raw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** A format violation; the message says where and what, never the data. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    MalformedException(String reason) {
      super(reason);
      this.reason = reason;
    }

    /** What is wrong, without data. */
    String reason() {
      return reason;
    }
  }

  /** Reads what {@link Writer} wrote, trusting nothing. */
  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    private void need(int n) throws MalformedException {
      if (n < 0 || buf.length - pos < n) {
        throw new MalformedException("truncated at offset " + pos);
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

    int u32() throws MalformedException {
      need(4);
      int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
          | (buf[pos + 3] & 0xFF);
      pos += 4;
      return v;
    }

    long i64() throws MalformedException {
      long hi = u32() & 0xFFFF_FFFFL;
      return (hi << 32) | (u32() & 0xFFFF_FFFFL);
    }

    boolean bool() throws MalformedException {
      int v = u8();
      if (v > 1) {
        throw new MalformedException("flag is neither 0 nor 1 at offset " + (pos - 1));
      }
      return v == 1;
    }

    Instant instant() throws MalformedException {
      long seconds = i64();
      int nanos = u32();
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
      int n = u32();
      if (n < 0 || n > MAX_BYTES) {
        throw new MalformedException("byte string length out of range at offset " + (pos - 4));
      }
      need(n);
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    byte[] bytes(int length) throws MalformedException {
      byte[] b = bytes();
      if (b.length != length) {
        throw new MalformedException("expected " + length + " bytes, found " + b.length);
      }
      return b;
    }

    void end() throws MalformedException {
      if (pos != buf.length) {
        throw new MalformedException((buf.length - pos) + " trailing bytes at offset " + pos);
      }
    }
  }
}
