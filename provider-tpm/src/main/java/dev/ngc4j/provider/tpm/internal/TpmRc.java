package dev.ngc4j.provider.tpm.internal;

/**
 * TPM 2.0 response codes as plain ints (TPM 2.0 Library, Part 2, §6.6). Codes are compared as integers, never as
 * TSS.Java enum objects (TSS.Java 1.0.0 maps some codes to alias constants, so identity comparisons miss them).
 *
 * <p>A format-one code ({@code 0x080} set) carries the error number in bits 0-5 and, in bits 6 and 8-11, which
 * handle, session or parameter it concerns; {@link #error(int)} masks those away, so {@code 0x98E} (session 1
 * authorisation failed) is {@link #AUTH_FAIL}.
 *
 * <p>Thread safety: constants and pure functions.
 */
final class TpmRc {
  static final int SUCCESS = 0x000;
  static final int INITIALIZE = 0x100;
  /** Format one: authorisation failure of a DA-protected entity (counts towards lockout). */
  static final int AUTH_FAIL = 0x08E;
  /** Format one: authorisation failure of an entity that is not DA-protected. */
  static final int BAD_AUTH = 0x0A2;
  /** Format one: integrity check of a loaded blob failed (damaged, or another parent/TPM). */
  static final int INTEGRITY = 0x09F;
  /** Warning: the TPM is in dictionary-attack lockout. */
  static final int LOCKOUT = 0x921;
  /** Warning: out of object memory (slots). */
  static final int OBJECT_MEMORY = 0x902;
  /** Warning: out of session memory. */
  static final int SESSION_MEMORY = 0x903;
  /** Warning: retry the command. */
  static final int RETRY = 0x922;
  /** Warning: the TPM is in self test or a similar busy state. */
  static final int TESTING = 0x90A;
  /** Format zero: handle is not loaded / a persistent handle is not defined (HANDLE with handle 1). */
  static final int HANDLE = 0x08B;

  private static final int FORMAT_ONE = 0x080;

  private TpmRc() {}

  /** Returns the code without the handle/session/parameter number (format one) or unchanged (format zero). */
  static int error(int rc) {
    return (rc & FORMAT_ONE) != 0 ? rc & 0x0BF : rc;
  }

  /** Whether the code reports a wrong authorisation value. */
  static boolean isWrongAuth(int rc) {
    int e = error(rc);
    return e == AUTH_FAIL || e == BAD_AUTH;
  }

  /** Whether the code reports dictionary-attack lockout. */
  static boolean isLockout(int rc) {
    return rc == LOCKOUT;
  }

  static String hex(int rc) {
    return String.format("0x%03X", rc);
  }
}
