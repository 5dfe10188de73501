package dev.ngc4j.provider.tpm.internal;

/**
 * The TPM refused an authorisation value: wrong value (TPM_RC_AUTH_FAIL, counted by the TPM's dictionary-attack
 * logic) or dictionary-attack lockout (TPM_RC_LOCKOUT, the value was not even checked). The container turns it into
 * a {@link dev.ngc4j.api.UserVerificationException} with its own attempt count or the TPM's time to wait.
 *
 * <p>Thread safety: immutable.
 */
final class AuthFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final int responseCode;

  AuthFailure(int responseCode) {
    super("TPM refused the authorisation: " + TpmRc.hex(responseCode));
    this.responseCode = responseCode;
  }

  /** Whether the TPM is in dictionary-attack lockout (rather than the value being wrong). */
  boolean lockout() {
    return TpmRc.isLockout(responseCode);
  }

  int responseCode() {
    return responseCode;
  }
}
