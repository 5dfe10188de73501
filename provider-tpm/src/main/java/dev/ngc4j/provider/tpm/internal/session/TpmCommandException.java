package dev.ngc4j.provider.tpm.internal.session;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;

/**
 * The TPM answered a command with an error response code. The raw code is in {@link #responseCode()} for the caller
 * to map (for example to {@code UserVerificationException}, which needs attempt counts this package does not
 * know); {@link #isWrongAuth()} and {@link #isLockout()} recognise the two codes that matter most.
 *
 * <p>The {@link #code()} is a first mapping: {@link ErrorCode#WRONG_GESTURE} for TPM_RC_AUTH_FAIL and
 * TPM_RC_BAD_AUTH, {@link ErrorCode#LOCKED_OUT} for TPM_RC_LOCKOUT, {@link ErrorCode#PROVIDER_UNAVAILABLE} for
 * anything else.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TpmCommandException extends NgcException {
  private static final long serialVersionUID = 1L;

  private final String command;
  private final int responseCode;

  /**
   * Creates the exception.
   *
   * @param command the command's name, such as {@code "TPM2_Sign"}
   * @param responseCode the raw TPM response code
   */
  public TpmCommandException(String command, int responseCode) {
    super(
        errorCode(responseCode),
        command + " failed with TPM response code 0x" + TpmResponseCodes.hex(responseCode) + " ("
            + TpmResponseCodes.describe(responseCode) + ")",
        remedy(responseCode),
        null);
    this.command = command;
    this.responseCode = responseCode;
  }

  /**
   * Returns the name of the command that failed, such as {@code "TPM2_Sign"}.
   *
   * @return the command name
   */
  public String command() {
    return command;
  }

  /**
   * Returns the raw TPM response code, handle/parameter/session bits included.
   *
   * @return the response code
   */
  public int responseCode() {
    return responseCode;
  }

  /**
   * Returns whether the authorization was refused (TPM_RC_AUTH_FAIL or TPM_RC_BAD_AUTH).
   *
   * @return true for a wrong authValue
   */
  public boolean isWrongAuth() {
    return TpmResponseCodes.isWrongAuth(responseCode);
  }

  /**
   * Returns whether the refusal was TPM_RC_AUTH_FAIL: it counted against the TPM's dictionary-attack limit.
   *
   * @return true for TPM_RC_AUTH_FAIL
   */
  public boolean isAuthFail() {
    return TpmResponseCodes.isAuthFail(responseCode);
  }

  /**
   * Returns whether the TPM is in dictionary-attack lockout (TPM_RC_LOCKOUT).
   *
   * @return true for TPM_RC_LOCKOUT
   */
  public boolean isLockout() {
    return TpmResponseCodes.isLockout(responseCode);
  }

  private static ErrorCode errorCode(int rc) {
    if (TpmResponseCodes.isWrongAuth(rc)) {
      return ErrorCode.WRONG_GESTURE;
    }
    if (TpmResponseCodes.isLockout(rc)) {
      return ErrorCode.LOCKED_OUT;
    }
    return ErrorCode.PROVIDER_UNAVAILABLE;
  }

  private static String remedy(int rc) {
    if (TpmResponseCodes.isWrongAuth(rc)) {
      return "ask the user for the gesture again; each wrong attempt counts against the TPM's lockout limit";
    }
    if (TpmResponseCodes.isLockout(rc)) {
      return "wait for the TPM's dictionary-attack recovery time, or have the TPM owner reset the lockout";
    }
    return "look the response code up in TPM 2.0 Library Part 2 (TPM_RC); reload the key or reconnect to the TPM"
        + " and retry";
  }
}
