package dev.ngc4j.spi;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.NgcException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The device side of getting an attestation key (AK) certified, for providers whose attestation key lives in a TPM:
 * the directory checks the endorsement key's (EK) certificate against the TPM makers' roots, encrypts a secret
 * to the EK that only a TPM holding both the EK and the AK can recover (TPM2_MakeCredential /
 * TPM2_ActivateCredential), and on the right answer issues a certificate for the AK. The provider keeps that
 * certificate chain and puts it in every {@link dev.ngc4j.api.AttestationStatement} it makes.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface AttestationKeyEnrollment {
  /**
   * Returns the endorsement key's certificate as the TPM maker stored it (for a TPM, read from NV).
   *
   * @return the DER encoding
   * @throws NgcException {@code ATTESTATION_UNSUPPORTED} if the TPM has no EK certificate, or
   *     {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  Bytes endorsementCertificate() throws NgcException;

  /**
   * Returns the endorsement key's public area (a marshalled {@code TPMT_PUBLIC}), which the directory encrypts
   * the activation secret to.
   *
   * @return the public area
   * @throws NgcException {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  Bytes endorsementKeyPublicArea() throws NgcException;

  /**
   * Returns the attestation key's public area (a marshalled {@code TPMT_PUBLIC}), creating the key if this
   * device has none yet.
   *
   * @return the public area
   * @throws NgcException {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  Bytes attestationKeyPublicArea() throws NgcException;

  /**
   * Recovers the directory's secret (TPM2_ActivateCredential with the AK and the EK).
   *
   * @param credentialBlob the {@code TPM2B_ID_OBJECT} buffer (integrity HMAC as a {@code TPM2B_DIGEST}, then the
   *     encrypted identity)
   * @param encryptedSecret the {@code TPM2B_ENCRYPTED_SECRET} buffer (the seed encrypted to the EK)
   * @return the secret
   * @throws NgcException {@code ATTESTATION_INVALID} if the TPM refuses the blob (it was not made for this TPM
   *     and AK), {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  Bytes activateCredential(Bytes credentialBlob, Bytes encryptedSecret) throws NgcException;

  /**
   * Returns the AK certificate chain installed earlier, if any.
   *
   * @return the chain, AK certificate first
   * @throws NgcException {@code STORAGE_FAILURE}
   * @since 0.1.0
   */
  Optional<List<X509Certificate>> certificateChain() throws NgcException;

  /**
   * Installs the AK certificate chain the directory issued (checked to certify this AK's public key).
   *
   * @param chain the chain, AK certificate first
   * @throws NgcException {@code ATTESTATION_INVALID} if the first certificate is not for this AK,
   *     {@code STORAGE_FAILURE}
   * @since 0.1.0
   */
  void installCertificateChain(List<X509Certificate> chain) throws NgcException;
}
