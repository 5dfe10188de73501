package dev.ngc4j.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a hardware provider says about its key: the format, the attestation key's certificate chain (leaf first,
 * chaining to the device maker), the certified-key structure (for TPM 2.0, the {@code TPMS_ATTEST} of a
 * {@code TPM2_Certify} and the key's {@code TPMT_PUBLIC}) and the signature over it.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param format the statement format
 * @param certificateChain the AK certificate chain, leaf first, not empty
 * @param certifiedKey the certified-key structure ({@code TPMS_ATTEST} for TPM)
 * @param keyPublicArea the key's public area as the device encodes it ({@code TPMT_PUBLIC} for TPM)
 * @param signature the attestation key's signature over {@code certifiedKey}
 * @since 0.1.0
 */
public record AttestationStatement(
    AttestationFormat format,
    List<X509Certificate> certificateChain,
    Bytes certifiedKey,
    Bytes keyPublicArea,
    Bytes signature) {
  /**
   * Validates and copies the fields.
   *
   * @param format the format
   * @param certificateChain the chain
   * @param certifiedKey the certified-key structure
   * @param keyPublicArea the public area
   * @param signature the signature
   */
  public AttestationStatement {
    Objects.requireNonNull(format, "format");
    certificateChain = List.copyOf(Objects.requireNonNull(certificateChain, "certificateChain"));
    if (certificateChain.isEmpty()) {
      throw new IllegalArgumentException("an attestation statement needs the AK certificate chain");
    }
    Objects.requireNonNull(certifiedKey, "certifiedKey");
    Objects.requireNonNull(keyPublicArea, "keyPublicArea");
    Objects.requireNonNull(signature, "signature");
  }
}
