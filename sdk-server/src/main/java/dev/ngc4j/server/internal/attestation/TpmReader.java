package dev.ngc4j.server.internal.attestation;

import java.util.Arrays;

/**
 * A strict big-endian reader of TPM 2.0 marshalled structures: every read is bounds-checked, size-prefixed
 * ({@code TPM2B_*}) buffers have a maximum, and {@link #end} refuses bytes left over.
 *
 * <p>Thread safety: not safe for concurrent use (one reader per parse).
 */
final class TpmReader {
  private final byte[] in;
  private final String structure;
  private int pos;

  /**
   * Creates a reader.
   *
   * @param in the marshalled bytes (not copied; not modified)
   * @param structure the structure's name for messages, such as {@code "TPMT_PUBLIC"}
   */
  TpmReader(byte[] in, String structure) {
    this.in = in;
    this.structure = structure;
  }

  private void need(int n, String field) throws TpmFormatException {
    if (in.length - pos < n) {
      throw new TpmFormatException(structure + " is truncated at " + field + " (offset " + pos + ": needs " + n
          + " bytes, " + (in.length - pos) + " left)");
    }
  }

  int u8(String field) throws TpmFormatException {
    need(1, field);
    return in[pos++] & 0xff;
  }

  int u16(String field) throws TpmFormatException {
    need(2, field);
    int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  /** Reads a UINT32 (returned as the int with the same bits). */
  int u32(String field) throws TpmFormatException {
    need(4, field);
    int v = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8)
        | (in[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  /** Reads a UINT64 (returned as the long with the same bits). */
  long u64(String field) throws TpmFormatException {
    long hi = u32(field) & 0xffffffffL;
    long lo = u32(field) & 0xffffffffL;
    return (hi << 32) | lo;
  }

  byte[] bytes(int n, String field) throws TpmFormatException {
    need(n, field);
    byte[] out = Arrays.copyOfRange(in, pos, pos + n);
    pos += n;
    return out;
  }

  /** Reads a {@code TPM2B}: a UINT16 size, at most {@code max}, then that many bytes. */
  byte[] sized(int max, String field) throws TpmFormatException {
    int size = u16(field + ".size");
    if (size > max) {
      throw new TpmFormatException(structure + " field " + field + " has size " + size + ", more than " + max);
    }
    return bytes(size, field);
  }

  /** The offset of the next byte. */
  int position() {
    return pos;
  }

  /** Refuses bytes left over. */
  void end() throws TpmFormatException {
    if (pos != in.length) {
      throw new TpmFormatException(structure + " has " + (in.length - pos) + " bytes left over after its last field");
    }
  }
}
