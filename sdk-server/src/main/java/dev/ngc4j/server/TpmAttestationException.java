package dev.ngc4j.server;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.ErrorCode;
import java.util.Objects;

/**
 * A {@code "tpm"} attestation statement was refused by {@link TpmAttestationVerifier}: the code is always
 * {@link ErrorCode#ATTESTATION_INVALID}, {@link #reason()} says which check failed (a stable code, also the first
 * word of the detail), and the detail says precisely what was found. Nothing in it is secret: statements hold
 * public TPM structures and certificates only.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class TpmAttestationException extends AttestationException {
  private static final long serialVersionUID = 1L;

  /**
   * The check that failed. The {@link #code()} strings are stable.
   *
   * @since 0.1.0
   */
  public enum Reason {
    /** The statement's format is not {@code "tpm"}. */
    FORMAT("tpm_format", "send a statement of format \"tpm\""),
    /** certInfo, pubArea or the certificate chain does not parse: truncated, bytes left over, too long. */
    STRUCTURE("tpm_structure", "send the TPMS_ATTEST and TPMT_PUBLIC exactly as the TPM marshalled them"),
    /** certInfo's magic is not TPM_GENERATED_VALUE (0xFF544347): the TPM did not produce it. */
    MAGIC("tpm_magic", "send the TPMS_ATTEST that TPM2_Certify returned"),
    /** certInfo's type is not TPM_ST_ATTEST_CERTIFY (0x8017). */
    TYPE("tpm_type", "attest the key with TPM2_Certify"),
    /** certInfo's extraData is not the expected qualifying data (a stale or other nonce). */
    NONCE("tpm_nonce", "certify the key with SHA-256 of a fresh nonce as qualifying data"),
    /** A name algorithm is not SHA-256, or certInfo's name algorithm differs from pubArea's. */
    NAME_ALGORITHM("tpm_name_algorithm", "create the key with nameAlg SHA-256"),
    /** certInfo's name is not nameAlg || H(pubArea): it certifies another object. */
    NAME("tpm_name", "certify the key whose TPMT_PUBLIC is sent"),
    /** pubArea's RSA key is not the key being registered. */
    KEY_MISMATCH("tpm_key_mismatch", "send the TPMT_PUBLIC of the key being registered"),
    /** pubArea's attributes or authPolicy are not exactly those ngc4j provisions. */
    ATTRIBUTES("tpm_attributes",
        "create the key with sign|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth and no policy"),
    /** pubArea is not RSA-2048 with exponent 65537, scheme RSASSA-SHA256 or NULL, symmetric NULL. */
    KEY_PARAMETERS("tpm_key_parameters", "create an RSA-2048 signing key with scheme RSASSA-SHA256 or NULL"),
    /** A signature algorithm outside the allow-list (SHA-1, another scheme), or an AIK key that is not RSA-2048+. */
    SIGNATURE_ALGORITHM("tpm_signature_algorithm",
        "sign with RSASSA-PKCS1-v1_5 and SHA-256 with an RSA AIK of at least 2048 bits"),
    /** The signature over certInfo does not verify with the AIK certificate's key. */
    SIGNATURE("tpm_signature", "send the signature TPM2_Certify returned with the AIK of the certificate"),
    /** The AIK certificate is not X.509 version 3. */
    AIK_VERSION("aik_version", "use the AIK certificate this service issued"),
    /** The AIK certificate's subject is not empty. */
    AIK_SUBJECT("aik_subject", "use the AIK certificate this service issued"),
    /** The AIK certificate's extended key usage lacks tcg-kp-AIKCertificate (2.23.133.8.3). */
    AIK_EKU("aik_eku", "use the AIK certificate this service issued"),
    /** The AIK certificate is a CA certificate. */
    AIK_BASIC_CONSTRAINTS("aik_basic_constraints", "use the AIK certificate this service issued"),
    /** The AIK certificate lacks a critical SAN directoryName with TPM manufacturer, model and version. */
    AIK_SAN("aik_san", "use the AIK certificate this service issued"),
    /** The AIK certificate is not valid now (beyond the allowed clock skew). */
    AIK_VALIDITY("aik_validity", "enroll the AIK again to get a current certificate"),
    /** The AIK certificate does not chain to a trusted AIK CA. */
    AIK_CHAIN("aik_chain", "enroll the AIK with this service (POST /EnrollmentServer/aik/...) and send its chain");

    private final String code;
    private final String remedy;

    Reason(String code, String remedy) {
      this.code = code;
      this.remedy = remedy;
    }

    /**
     * Returns the stable code.
     *
     * @return the code, such as {@code tpm_magic}
     * @since 0.1.0
     */
    public String code() {
      return code;
    }

    /**
     * Returns what to do about it.
     *
     * @return the remedy
     * @since 0.1.0
     */
    public String remedy() {
      return remedy;
    }
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the failed check
   * @param detail what was found, without secrets; prefixed with the reason's code
   * @since 0.1.0
   */
  public TpmAttestationException(Reason reason, String detail) {
    super(ErrorCode.ATTESTATION_INVALID, Objects.requireNonNull(reason, "reason").code() + ": "
        + Objects.requireNonNull(detail, "detail"), reason.remedy(), null);
    this.reason = reason;
  }

  /**
   * Returns the failed check.
   *
   * @return the reason
   * @since 0.1.0
   */
  public Reason reason() {
    return reason;
  }
}
