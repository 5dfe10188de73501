package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.server.internal.protocol.ErrorKind;
import dev.ngc4j.server.internal.protocol.Refusal;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an EK certificate before the service trusts the TPM it names: a PKIX path (revocation off, the configured
 * intermediates offered) to one of the TPM makers' roots at the current time, extendedKeyUsage
 * tcg-kp-EKCertificate (2.23.133.8.1), the TPM's manufacturer, model and version in the subject alternative name,
 * and the manufacturer on the allow-list when there is one. The subject is not checked (swtpm writes
 * {@code CN=unknown}, the TCG profile an empty one).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
final class EkCheck {
  /** tcg-kp-EKCertificate. */
  static final String EK_EKU = "2.23.133.8.1";

  private final Set<TrustAnchor> anchors = new HashSet<>();
  private final List<X509Certificate> intermediates;
  private final Set<String> allowedManufacturers;

  EkCheck(TpmTrust trust) {
    for (X509Certificate root : trust.ekRoots()) {
      anchors.add(new TrustAnchor(root, null));
    }
    this.intermediates = trust.ekIntermediates();
    this.allowedManufacturers = trust.allowedManufacturers();
  }

  /**
   * Checks the certificate.
   *
   * @param ek the EK certificate
   * @param now the current time
   * @return the TPM's identity from the certificate
   * @throws Refusal {@link ErrorKind#EK_UNTRUSTED} (no path to a root, manufacturer not allowed) or
   *     {@link ErrorKind#EK_INVALID} (no EK extendedKeyUsage, no TPM identity in the SAN), with the reason
   */
  TpmIdentity check(X509Certificate ek, Instant now) throws Refusal {
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(ek);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(now));
      List<X509Certificate> candidates = new ArrayList<>(intermediates);
      candidates.add(ek);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(candidates)));
      CertPathBuilder.getInstance("PKIX").build(params);
    } catch (CertPathBuilderException e) {
      throw new Refusal(ErrorKind.EK_UNTRUSTED,
          "the EK certificate (issuer '" + ek.getIssuerX500Principal().getName()
              + "') does not chain to a configured TPM maker's root at " + now);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new Refusal(ErrorKind.EK_UNTRUSTED,
          "the EK certificate's chain could not be built (" + e.getClass().getSimpleName() + ")");
    }
    List<String> eku;
    try {
      eku = ek.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new Refusal(ErrorKind.EK_INVALID, "the EK certificate's extendedKeyUsage does not parse");
    }
    if (eku == null || !eku.contains(EK_EKU)) {
      throw new Refusal(ErrorKind.EK_INVALID, "the EK certificate's extendedKeyUsage "
          + (eku == null ? "is absent" : eku.toString()) + " lacks tcg-kp-EKCertificate " + EK_EKU);
    }
    TpmIdentity tpm;
    try {
      tpm = TpmIdentity.fromSubjectAltName(ek);
    } catch (TpmFormatException e) {
      throw new Refusal(ErrorKind.EK_INVALID, "EK certificate: " + e.getMessage());
    }
    if (!allowedManufacturers.isEmpty() && !tpm.manufacturerIn(allowedManufacturers)) {
      throw new Refusal(ErrorKind.EK_UNTRUSTED,
          "the TPM manufacturer '" + tpm.manufacturer() + "' is not in the allowed list");
    }
    return tpm;
  }
}
