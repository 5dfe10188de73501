package dev.ngc4j.server.internal.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * GUIDs in the byte orders Windows uses: the "mixed-endian" {@code GUID} structure layout (first three fields
 * little-endian), as in the device certificate's 1.2.840.113556.1.5.284.x extensions and in object-id SIDs.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Guids {
  private Guids() {}

  /**
   * Returns the 16 bytes of the Windows {@code GUID} structure for a UUID.
   *
   * @param id the UUID
   * @return a fresh 16-byte array
   */
  public static byte[] windowsBytes(UUID id) {
    ByteBuffer be = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    byte[] b = be.array();
    byte[] out = new byte[16];
    out[0] = b[3];
    out[1] = b[2];
    out[2] = b[1];
    out[3] = b[0];
    out[4] = b[5];
    out[5] = b[4];
    out[6] = b[7];
    out[7] = b[6];
    System.arraycopy(b, 8, out, 8, 8);
    return out;
  }

  /**
   * Returns the Entra ID security identifier of an object id ({@code S-1-12-1-a-b-c-d}, the GUID structure read
   * as four little-endian 32-bit integers).
   *
   * @param objectId the object id
   * @return the SID text
   */
  public static String objectSid(UUID objectId) {
    ByteBuffer le = ByteBuffer.wrap(windowsBytes(objectId)).order(ByteOrder.LITTLE_ENDIAN);
    StringBuilder sid = new StringBuilder("S-1-12-1");
    for (int i = 0; i < 4; i++) {
      sid.append('-').append(Integer.toUnsignedString(le.getInt()));
    }
    return sid.toString();
  }

  /**
   * Parses a GUID in its canonical 36-character form (either case), refusing the lenient forms
   * {@link UUID#fromString} accepts.
   *
   * @param text the text
   * @return the UUID
   * @throws Malformed if the text is not a canonical GUID
   */
  public static UUID parse(String text) throws Malformed {
    if (text.length() != 36) {
      throw new Malformed("not a GUID");
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      boolean ok = dash ? c == '-' : Character.digit(c, 16) >= 0 && c < 128;
      if (!ok) {
        throw new Malformed("not a GUID");
      }
    }
    return UUID.fromString(text);
  }

  /**
   * Returns whether the text looks like a GUID (so that a tenant segment is looked up by id, not by domain).
   *
   * @param text the text
   * @return true if {@link #parse} would accept it
   */
  public static boolean isGuid(String text) {
    try {
      parse(text);
      return true;
    } catch (Malformed e) {
      return false;
    }
  }
}
