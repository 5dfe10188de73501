package dev.ngc4j.provider.tpm.internal.session;

import java.util.Locale;
import java.util.Map;

/**
 * Decoding of TPM 2.0 response codes (TPM 2.0 Library Part 2 §6.6, TPM_RC).
 *
 * <p>Layout: bit 7 set means a <em>format-one</em> code: bits 0-5 are the error number (added to RC_FMT1 = 0x080),
 * bit 6 says the error is about a parameter (its number in bits 8-11), otherwise bit 11 says session (else handle)
 * and bits 8-10 give its number. Bit 7 clear and bit 8 set is a <em>format-zero</em> code of TPM 2.0: bits 0-6 the
 * error number, bit 10 vendor-defined, bit 11 a warning (RC_WARN = 0x900). So {@code 0x98E} is TPM_RC_AUTH_FAIL for
 * session 1, {@code 0x8E} + handle or parameter bits are the same error about a handle or a parameter, and
 * {@code 0x921} is TPM_RC_LOCKOUT.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class TpmResponseCodes {
  /** TPM_RC_SUCCESS. */
  public static final int SUCCESS = 0;

  /** TPM_RC_AUTH_FAIL (format one, without handle, parameter or session bits). */
  public static final int AUTH_FAIL = 0x08E;

  /** TPM_RC_BAD_AUTH (format one): a wrong authorization of an entity exempt from dictionary-attack protection. */
  public static final int BAD_AUTH = 0x0A2;

  /** TPM_RC_HANDLE (format one). */
  public static final int HANDLE = 0x08B;

  /** TPM_RC_LOCKOUT (warning): the dictionary-attack protection has locked DA-protected entities. */
  public static final int LOCKOUT = 0x921;

  /** TPM_RC_RETRY (warning): the TPM did not run the command; send it again. */
  public static final int RETRY = 0x922;

  /** TPM_RC_YIELDED (warning): the TPM suspended the command; send it again. */
  public static final int YIELDED = 0x908;

  /** TPM_RC_REFERENCE_S0 (warning): the first session handle references a session that is not loaded. */
  public static final int REFERENCE_S0 = 0x918;

  private static final int RC_FMT1 = 0x080;
  private static final int RC_VER1 = 0x100;
  private static final int RC_WARN = 0x900;
  private static final int FMT1_P = 0x040;
  private static final int FMT1_S = 0x800;

  private static final Map<Integer, String> FMT1_NAMES = Map.ofEntries(
      Map.entry(0x01, "ASYMMETRIC"), Map.entry(0x02, "ATTRIBUTES"), Map.entry(0x03, "HASH"),
      Map.entry(0x04, "VALUE"), Map.entry(0x05, "HIERARCHY"), Map.entry(0x07, "KEY_SIZE"),
      Map.entry(0x08, "MGF"), Map.entry(0x09, "MODE"), Map.entry(0x0A, "TYPE"), Map.entry(0x0B, "HANDLE"),
      Map.entry(0x0C, "KDF"), Map.entry(0x0D, "RANGE"), Map.entry(0x0E, "AUTH_FAIL"), Map.entry(0x0F, "NONCE"),
      Map.entry(0x10, "PP"), Map.entry(0x12, "SCHEME"), Map.entry(0x15, "SIZE"), Map.entry(0x16, "SYMMETRIC"),
      Map.entry(0x17, "TAG"), Map.entry(0x18, "SELECTOR"), Map.entry(0x1A, "INSUFFICIENT"),
      Map.entry(0x1B, "SIGNATURE"), Map.entry(0x1C, "KEY"), Map.entry(0x1D, "POLICY_FAIL"),
      Map.entry(0x1F, "INTEGRITY"), Map.entry(0x20, "TICKET"), Map.entry(0x21, "RESERVED_BITS"),
      Map.entry(0x22, "BAD_AUTH"), Map.entry(0x23, "EXPIRED"), Map.entry(0x24, "POLICY_CC"),
      Map.entry(0x25, "BINDING"), Map.entry(0x26, "CURVE"), Map.entry(0x27, "ECC_POINT"));

  private static final Map<Integer, String> FMT0_NAMES = Map.ofEntries(
      Map.entry(0x100, "INITIALIZE"), Map.entry(0x101, "FAILURE"), Map.entry(0x103, "SEQUENCE"),
      Map.entry(0x10B, "PRIVATE"), Map.entry(0x119, "HMAC"), Map.entry(0x120, "DISABLED"),
      Map.entry(0x121, "EXCLUSIVE"), Map.entry(0x124, "AUTH_TYPE"), Map.entry(0x125, "AUTH_MISSING"),
      Map.entry(0x126, "POLICY"), Map.entry(0x127, "PCR"), Map.entry(0x128, "PCR_CHANGED"),
      Map.entry(0x12D, "UPGRADE"), Map.entry(0x12E, "TOO_MANY_CONTEXTS"), Map.entry(0x12F, "AUTH_UNAVAILABLE"),
      Map.entry(0x130, "REBOOT"), Map.entry(0x131, "UNBALANCED"), Map.entry(0x142, "COMMAND_SIZE"),
      Map.entry(0x143, "COMMAND_CODE"), Map.entry(0x144, "AUTHSIZE"), Map.entry(0x145, "AUTH_CONTEXT"),
      Map.entry(0x146, "NV_RANGE"), Map.entry(0x147, "NV_SIZE"), Map.entry(0x148, "NV_LOCKED"),
      Map.entry(0x149, "NV_AUTHORIZATION"), Map.entry(0x14A, "NV_UNINITIALIZED"), Map.entry(0x14B, "NV_SPACE"),
      Map.entry(0x14C, "NV_DEFINED"), Map.entry(0x150, "BAD_CONTEXT"), Map.entry(0x151, "CPHASH"),
      Map.entry(0x152, "PARENT"), Map.entry(0x153, "NEEDS_TEST"), Map.entry(0x154, "NO_RESULT"),
      Map.entry(0x155, "SENSITIVE"), Map.entry(0x901, "CONTEXT_GAP"), Map.entry(0x902, "OBJECT_MEMORY"),
      Map.entry(0x903, "SESSION_MEMORY"), Map.entry(0x904, "MEMORY"), Map.entry(0x905, "SESSION_HANDLES"),
      Map.entry(0x906, "OBJECT_HANDLES"), Map.entry(0x907, "LOCALITY"), Map.entry(0x908, "YIELDED"),
      Map.entry(0x909, "CANCELED"), Map.entry(0x90A, "TESTING"), Map.entry(0x920, "NV_RATE"),
      Map.entry(0x921, "LOCKOUT"), Map.entry(0x922, "RETRY"), Map.entry(0x923, "NV_UNAVAILABLE"));

  private TpmResponseCodes() {}

  /**
   * Returns whether a response code is a TPM 2.0 format-one code (bit 7 set, nothing above bit 11).
   *
   * @param rc the raw response code
   * @return true for a format-one code
   */
  public static boolean isFormatOne(int rc) {
    return (rc & 0xFFFFF000) == 0 && (rc & RC_FMT1) != 0;
  }

  /**
   * Returns the error without its handle, parameter or session number: {@code rc & 0xBF} for a format-one code (for
   * example {@code 0x98E -> 0x8E}), the code itself otherwise.
   *
   * @param rc the raw response code
   * @return the base code
   */
  public static int baseCode(int rc) {
    return isFormatOne(rc) ? rc & 0xBF : rc;
  }

  /**
   * Returns whether the TPM refused an authorization of a dictionary-attack-protected entity (TPM_RC_AUTH_FAIL,
   * whatever handle or session it names). The TPM counted it as a failed attempt.
   *
   * @param rc the raw response code
   * @return true for TPM_RC_AUTH_FAIL
   */
  public static boolean isAuthFail(int rc) {
    return isFormatOne(rc) && (rc & 0xBF) == AUTH_FAIL;
  }

  /**
   * Returns whether the TPM refused an authorization of an entity exempt from dictionary-attack protection (noDA;
   * TPM_RC_BAD_AUTH, whatever handle or session it names).
   *
   * @param rc the raw response code
   * @return true for TPM_RC_BAD_AUTH
   */
  public static boolean isBadAuth(int rc) {
    return isFormatOne(rc) && (rc & 0xBF) == BAD_AUTH;
  }

  /**
   * Returns whether the authorization was wrong: {@link #isAuthFail} or {@link #isBadAuth}.
   *
   * @param rc the raw response code
   * @return true when the authValue (or an HMAC computed from it) was refused
   */
  public static boolean isWrongAuth(int rc) {
    return isAuthFail(rc) || isBadAuth(rc);
  }

  /**
   * Returns whether the TPM is in dictionary-attack lockout (TPM_RC_LOCKOUT, 0x921).
   *
   * @param rc the raw response code
   * @return true for TPM_RC_LOCKOUT
   */
  public static boolean isLockout(int rc) {
    return rc == LOCKOUT;
  }

  /**
   * Returns whether the code is TPM_RC_HANDLE (format one), for example after flushing a handle that is gone.
   *
   * @param rc the raw response code
   * @return true for TPM_RC_HANDLE
   */
  public static boolean isHandle(int rc) {
    return isFormatOne(rc) && (rc & 0xBF) == HANDLE;
  }

  /**
   * Returns whether the code is a TPM 2.0 warning (format zero with RC_WARN, 0x900-0x97F): the TPM did not run the
   * command for a reason outside it (memory, retry, lockout, a session or object that is not loaded), as opposed to
   * an error about the command's handles, sessions or parameters.
   *
   * @param rc the raw response code
   * @return true for a warning
   */
  public static boolean isWarning(int rc) {
    return (rc & 0xFFFFF000) == 0 && !isFormatOne(rc) && (rc & RC_WARN) == RC_WARN;
  }

  /**
   * Returns whether the code is TPM_RC_REFERENCE_S0 to TPM_RC_REFERENCE_S6 (0x918-0x91E): an authorization session
   * handle of the command names a session the TPM does not hold (it was flushed, or the TPM was reset). The
   * command did not run; it can be sent again in a new session.
   *
   * @param rc the raw response code
   * @return true for TPM_RC_REFERENCE_Sn
   */
  public static boolean isSessionNotLoaded(int rc) {
    return rc >= REFERENCE_S0 && rc <= REFERENCE_S0 + 6;
  }

  /**
   * Describes a response code for messages and logs, for example {@code "TPM_RC_AUTH_FAIL, session 1"}.
   *
   * @param rc the raw response code
   * @return a short description; never contains secrets
   */
  public static String describe(int rc) {
    if (rc == SUCCESS) {
      return "TPM_RC_SUCCESS";
    }
    if (isFormatOne(rc)) {
      String name = "TPM_RC_" + FMT1_NAMES.getOrDefault(rc & 0x3F, "0x" + hex(rc & 0xBF));
      int n = (rc >>> 8) & 0xF;
      if ((rc & FMT1_P) != 0) {
        return name + ", parameter " + n;
      }
      if (n == 0) {
        return name;
      }
      return (rc & FMT1_S) != 0 ? name + ", session " + (n & 0x7) : name + ", handle " + n;
    }
    if ((rc & 0xFFFFF000) == 0 && (rc & RC_VER1) != 0) {
      if ((rc & 0x400) != 0) {
        return "vendor-defined TPM response code 0x" + hex(rc);
      }
      int warnRef = rc & ~0x7;
      if ((rc & RC_WARN) == RC_WARN && (warnRef == 0x910 || warnRef == 0x918)) {
        return "TPM_RC_REFERENCE_" + (warnRef == 0x910 ? "H" : "S") + (rc & 0x7);
      }
      return "TPM_RC_" + FMT0_NAMES.getOrDefault(rc, "0x" + hex(rc));
    }
    return "response code 0x" + hex(rc) + " (not a TPM 2.0 code: TPM 1.2 or a software layer)";
  }

  static String hex(int value) {
    return Integer.toHexString(value).toUpperCase(Locale.ROOT);
  }
}
