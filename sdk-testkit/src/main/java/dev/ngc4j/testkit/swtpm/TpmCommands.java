package dev.ngc4j.testkit.swtpm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The few raw TPM 2.0 commands the harness sends itself (TPM 2.0 Library, Part 3), built byte by byte so the
 * harness needs no TSS: GetRandom, Shutdown, GetCapability(TPM_PROPERTIES), DictionaryAttackLockReset and
 * DictionaryAttackParameters (the last two with an empty password session for TPM_RH_LOCKOUT).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class TpmCommands {
  static final int HEADER_LENGTH = 10;
  static final int MAX_RESPONSE = 64 * 1024;

  private static final int ST_NO_SESSIONS = 0x8001;
  private static final int ST_SESSIONS = 0x8002;
  private static final int CC_GET_RANDOM = 0x17B;
  private static final int CC_SHUTDOWN = 0x145;
  private static final int CC_GET_CAPABILITY = 0x17A;
  private static final int CC_DA_LOCK_RESET = 0x139;
  private static final int CC_DA_PARAMETERS = 0x13A;
  private static final int RH_LOCKOUT = 0x4000000A;
  private static final int RS_PW = 0x40000009;
  private static final int SU_CLEAR = 0x0000;
  private static final int CAP_TPM_PROPERTIES = 6;

  private TpmCommands() {}

  static byte[] getRandom(int bytes) {
    return new Command(ST_NO_SESSIONS, CC_GET_RANDOM).u16(bytes).build();
  }

  static byte[] shutdownClear() {
    return new Command(ST_NO_SESSIONS, CC_SHUTDOWN).u16(SU_CLEAR).build();
  }

  static byte[] getProperty(int property) {
    return new Command(ST_NO_SESSIONS, CC_GET_CAPABILITY).u32(CAP_TPM_PROPERTIES).u32(property).u32(1).build();
  }

  static byte[] dictionaryAttackLockReset() {
    return new Command(ST_SESSIONS, CC_DA_LOCK_RESET).u32(RH_LOCKOUT).emptyPasswordSession().build();
  }

  static byte[] dictionaryAttackParameters(int maxTries, int recoveryTime, int lockoutRecovery) {
    return new Command(ST_SESSIONS, CC_DA_PARAMETERS).u32(RH_LOCKOUT).emptyPasswordSession()
        .u32(maxTries).u32(recoveryTime).u32(lockoutRecovery).build();
  }

  static int responseCode(byte[] response) throws IOException {
    if (response.length < HEADER_LENGTH) {
      throw new IOException("TPM response shorter than its header");
    }
    return u32(response, 6);
  }

  /**
   * Reads the value of {@code property} from a GetCapability(TPM_PROPERTIES) response: moreData (1), capability
   * (4), count (4), then (property, value) pairs.
   */
  static int propertyValue(byte[] response, int property) throws IOException {
    int offset = HEADER_LENGTH + 1;
    if (response.length < offset + 8 || u32(response, offset) != CAP_TPM_PROPERTIES) {
      throw new IOException("TPM2_GetCapability answered with an unexpected structure");
    }
    int count = u32(response, offset + 4);
    offset += 8;
    for (int i = 0; i < count && offset + 8 <= response.length; i++, offset += 8) {
      if (u32(response, offset) == property) {
        return u32(response, offset + 4);
      }
    }
    throw new IOException("the TPM does not report property " + hex(property));
  }

  static int u32(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }

  static String hex(int value) {
    return String.format("0x%03X", value);
  }

  /** A command under construction; the size field is filled in by {@link #build()}. */
  private static final class Command {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    Command(int tag, int commandCode) {
      u16(tag);
      u32(0);
      u32(commandCode);
    }

    Command u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Command u32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    /** Authorization area with one password session and an empty password. */
    Command emptyPasswordSession() {
      u32(9); // size of the area: handle (4) + nonce size (2) + attributes (1) + hmac size (2)
      u32(RS_PW);
      u16(0);
      out.write(0);
      u16(0);
      return this;
    }

    byte[] build() {
      byte[] b = out.toByteArray();
      int n = b.length;
      b[2] = (byte) (n >>> 24);
      b[3] = (byte) (n >>> 16);
      b[4] = (byte) (n >>> 8);
      b[5] = (byte) n;
      return b;
    }
  }
}
