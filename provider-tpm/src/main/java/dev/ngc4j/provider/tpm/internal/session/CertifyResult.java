package dev.ngc4j.provider.tpm.internal.session;

import tss.TpmBuffer;
import tss.tpm.TPMS_ATTEST;
import tss.tpm.TPMT_SIGNATURE;

/**
 * The result of TPM2_Certify: the attestation exactly as the TPM signed it, and the signature.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class CertifyResult {
  private final byte[] certifyInfo;
  private final byte[] signature;

  CertifyResult(byte[] certifyInfo, TPMT_SIGNATURE signature) {
    parseAttest(certifyInfo);
    this.certifyInfo = certifyInfo.clone();
    this.signature = signature.toBytes();
  }

  /**
   * Returns the marshalled TPMS_ATTEST (the body of the TPM2B_ATTEST): the exact bytes the signature covers.
   *
   * @return a copy
   */
  public byte[] certifyInfo() {
    return certifyInfo.clone();
  }

  /**
   * Returns the attestation, parsed afresh.
   *
   * @return a new TPMS_ATTEST
   */
  public TPMS_ATTEST attest() {
    return parseAttest(certifyInfo);
  }

  /**
   * Returns the signature over {@link #certifyInfo()}, parsed afresh.
   *
   * @return a new TPMT_SIGNATURE
   */
  public TPMT_SIGNATURE signature() {
    return TPMT_SIGNATURE.fromTpm(new TpmBuffer(signature));
  }

  private static TPMS_ATTEST parseAttest(byte[] bytes) {
    TpmBuffer buf = new TpmBuffer(bytes);
    TPMS_ATTEST attest;
    try {
      attest = TPMS_ATTEST.fromTpm(buf);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a TPMS_ATTEST", e);
    }
    if (!buf.isOk() || buf.curPos() != bytes.length) {
      throw new IllegalArgumentException("not exactly one TPMS_ATTEST (" + bytes.length + " bytes)");
    }
    return attest;
  }
}
