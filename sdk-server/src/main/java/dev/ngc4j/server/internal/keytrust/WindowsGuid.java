package dev.ngc4j.server.internal.keytrust;

import dev.ngc4j.server.internal.util.Guids;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * A GUID in the byte order of the Windows {@code GUID} structure (MS-DTYP 2.3.4.2): Data1 (4 bytes), Data2 and
 * Data3 (2 bytes each) little-endian, then Data4's 8 bytes as they are. So
 * {@code 00112233-4455-6677-8899-aabbccddeeff} is written {@code 33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff}.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class WindowsGuid {
  /** The length of a GUID in bytes. */
  public static final int BYTES = 16;

  private WindowsGuid() {}

  /**
   * Writes a GUID.
   *
   * @param id the GUID
   * @return a fresh 16-byte array
   */
  public static byte[] toBytes(UUID id) {
    return Guids.windowsBytes(Objects.requireNonNull(id, "id"));
  }

  /**
   * Reads a GUID.
   *
   * @param b the 16 bytes
   * @return the GUID
   * @throws IllegalArgumentException if there are not exactly 16 bytes
   */
  public static UUID fromBytes(byte[] b) {
    if (b.length != BYTES) {
      throw new IllegalArgumentException("a GUID has 16 bytes, not " + b.length);
    }
    byte[] be = {b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
    ByteBuffer buffer = ByteBuffer.wrap(be);
    return new UUID(buffer.getLong(), buffer.getLong());
  }
}
