package dev.ngc4j.server.internal.attestation;

import java.io.ByteArrayOutputStream;

/** Marshals TPM structures big-endian for tests (the TPM side of the wire). */
final class TpmWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  TpmWriter u8(int v) {
    out.write(v);
    return this;
  }

  TpmWriter u16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  TpmWriter u32(int v) {
    return u16(v >>> 16).u16(v);
  }

  TpmWriter u64(long v) {
    return u32((int) (v >>> 32)).u32((int) v);
  }

  TpmWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  /** A TPM2B: UINT16 size, then the bytes. */
  TpmWriter sized(byte[] b) {
    return u16(b.length).bytes(b);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
