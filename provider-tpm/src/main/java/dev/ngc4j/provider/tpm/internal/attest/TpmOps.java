package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.session.TpmResponseCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;

/**
 * The TSS.Java calls this package repeats: handles with an empty authValue, Load under the SRK, FlushContext, and
 * the failure for an unexpected response code. Every method runs inside
 * {@link TpmConnection#call} (the connection's lock is held).
 *
 * <p>Thread safety: stateless; callers hold the connection's lock.
 */
final class TpmOps {
  private static final Logger log = LoggerFactory.getLogger(TpmOps.class);

  private TpmOps() {}

  /** A handle whose authorisation is the empty password (SRK, AK, hierarchies as swtpm leaves them). */
  static TPM_HANDLE emptyAuth(int handle) {
    TPM_HANDLE h = TPM_HANDLE.from(handle);
    h.AuthValue = new byte[0];
    return h;
  }

  /**
   * Loads an object under the SRK.
   *
   * @param what the object, for messages ("the attestation key")
   * @return the transient handle; flush it
   * @throws LoadRefused if the TPM refuses the blobs (a format-one error: altered, or made under another SRK)
   * @throws NgcException if the TPM fails otherwise
   */
  static TPM_HANDLE load(TpmConnection c, Tpm t, int srk, byte[] publicArea, byte[] privateArea, String what)
      throws NgcException, LoadRefused {
    TPMT_PUBLIC pub;
    try {
      pub = TpmStructures.parsePublic(publicArea);
    } catch (IllegalArgumentException e) {
      throw new LoadRefused(-1);
    }
    TPM_HANDLE h = t._allowErrors().Load(emptyAuth(srk), new TPM2B_PRIVATE(privateArea), pub);
    int rc = c.lastResponseCode();
    if (rc == TpmResponseCodes.SUCCESS && h != null) {
      return h;
    }
    if (TpmResponseCodes.isFormatOne(rc)) {
      throw new LoadRefused(rc);
    }
    throw failure("TPM2_Load of " + what, rc);
  }

  /** The TPM refused to load a blob (format-one response code, or -1 if the public area does not parse). */
  static final class LoadRefused extends Exception {
    private static final long serialVersionUID = 1L;
    final int responseCode;

    LoadRefused(int responseCode) {
      super(responseCode == -1 ? "the public area does not parse"
          : "TPM2_Load answered " + TpmResponseCodes.describe(responseCode), null, false, false);
      this.responseCode = responseCode;
    }
  }

  /** Flushes a transient object or session; a refusal is only logged. */
  static void flush(TpmConnection c, Tpm t, TPM_HANDLE h) {
    t._allowErrors().FlushContext(h);
    int rc = c.lastResponseCode();
    if (rc != TpmResponseCodes.SUCCESS) {
      log.debug("TPM2_FlushContext of 0x{} answered {}", Integer.toHexString(h.handle), TpmResponseCodes.describe(rc));
    }
  }

  static NgcException failure(String command, int rc) {
    String remedy = switch (rc) {
      case 0x902, 0x903 ->
          "the TPM has no free object or session slot: another client without a resource manager holds them; use "
              + "/dev/tpmrm0, or restart the TPM client that leaks handles";
      case 0x90A -> "the TPM is running its self test; retry in a moment";
      default -> "check the TPM's health (TPM2_GetTestResult); this response is unexpected";
    };
    return new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
        command + " failed with TPM response code 0x" + Integer.toHexString(rc) + " ("
            + TpmResponseCodes.describe(rc) + ")",
        remedy, null);
  }
}
