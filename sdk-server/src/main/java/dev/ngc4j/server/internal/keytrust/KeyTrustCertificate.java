package dev.ngc4j.server.internal.keytrust;

import dev.ngc4j.server.KeyTrustException;
import dev.ngc4j.server.KeyTrustException.Reason;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;

/**
 * The checks of a PKINIT key-trust certificate before its key is looked up (MS-PKCA 3.1.5.2.1.4 ignores chain
 * validation errors, so nothing here builds a chain): X.509 v3; not a CA (basicConstraints CA:TRUE or keyUsage
 * keyCertSign); keyUsage, when present, allows digitalSignature; an RSA key of at least 2048 bits; self-issued and
 * self-signed with an allowed algorithm (sha256/384/512WithRSA, or RSASSA-PSS with SHA-256/384/512); and,
 * when asked, within its validity period give or take the clock skew.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class KeyTrustCertificate {
  /** The smallest RSA modulus accepted, in bits. */
  public static final int MIN_RSA_BITS = 2048;

  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
  private static final Set<String> RSA_PKCS1 = Set.of(
      "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
      "1.2.840.113549.1.1.12", // sha384WithRSAEncryption
      "1.2.840.113549.1.1.13"); // sha512WithRSAEncryption
  private static final Set<ASN1ObjectIdentifier> PSS_HASHES =
      Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);
  private static final int KU_DIGITAL_SIGNATURE = 0;
  private static final int KU_KEY_CERT_SIGN = 5;

  /**
   * A certificate that passed.
   *
   * @param key its RSA key
   * @param timeValid whether {@code now} is within its validity period, give or take the clock skew
   */
  public record Checked(RSAPublicKey key, boolean timeValid) {}

  private KeyTrustCertificate() {}

  /**
   * Checks a key-trust certificate.
   *
   * @param certificate the certificate from the PKINIT request
   * @param now the current time
   * @param clockSkew how far outside its validity period the certificate still counts as time-valid
   * @param enforceValidity whether a certificate that is not time-valid is refused
   * @return its key and whether it is time-valid
   * @throws KeyTrustException naming the first failed check
   */
  public static Checked check(X509Certificate certificate, Instant now, Duration clockSkew, boolean enforceValidity)
      throws KeyTrustException {
    if (certificate.getVersion() != 3) {
      throw new KeyTrustException(Reason.CERTIFICATE_VERSION, "the certificate is X.509 version "
          + certificate.getVersion() + ", not 3");
    }
    if (certificate.getBasicConstraints() != -1) {
      throw new KeyTrustException(Reason.CA_CERTIFICATE, "the certificate has basicConstraints CA:TRUE");
    }
    boolean[] keyUsage = certificate.getKeyUsage();
    if (keyUsage != null) {
      if (keyUsage.length > KU_KEY_CERT_SIGN && keyUsage[KU_KEY_CERT_SIGN]) {
        throw new KeyTrustException(Reason.CA_CERTIFICATE, "the certificate's keyUsage has keyCertSign");
      }
      if (keyUsage.length == 0 || !keyUsage[KU_DIGITAL_SIGNATURE]) {
        throw new KeyTrustException(Reason.KEY_USAGE, "the certificate's keyUsage lacks digitalSignature");
      }
    }
    PublicKey publicKey = certificate.getPublicKey();
    if (!(publicKey instanceof RSAPublicKey key)) {
      throw new KeyTrustException(Reason.KEY_ALGORITHM, "the certificate's key is " + publicKey.getAlgorithm()
          + ", not RSA");
    }
    int bits = key.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new KeyTrustException(Reason.KEY_TOO_SMALL, "the certificate's RSA key has " + bits + " bits, fewer than "
          + MIN_RSA_BITS);
    }
    if (!certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
      throw new KeyTrustException(Reason.NOT_SELF_SIGNED, "the certificate's issuer is not its subject");
    }
    checkSignatureAlgorithm(certificate);
    try {
      certificate.verify(key);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new KeyTrustException(Reason.CERTIFICATE_SIGNATURE, "the certificate's signature does not verify with "
          + "its own key");
    }
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    boolean timeValid = !now.plus(clockSkew).isBefore(notBefore) && !now.minus(clockSkew).isAfter(notAfter);
    if (enforceValidity && !timeValid) {
      throw new KeyTrustException(Reason.CERTIFICATE_VALIDITY, "the certificate is valid from " + notBefore + " to "
          + notAfter + ", and it is " + now + " (clock skew " + clockSkew + ")");
    }
    return new Checked(key, timeValid);
  }

  private static void checkSignatureAlgorithm(X509Certificate certificate) throws KeyTrustException {
    String oid = certificate.getSigAlgOID();
    if (RSA_PKCS1.contains(oid)) {
      return;
    }
    if (RSASSA_PSS.equals(oid)) {
      byte[] params = certificate.getSigAlgParams();
      try {
        if (params != null
            && PSS_HASHES.contains(RSASSAPSSparams.getInstance(params).getHashAlgorithm().getAlgorithm())) {
          return;
        }
      } catch (RuntimeException e) {
        throw new KeyTrustException(Reason.SIGNATURE_ALGORITHM, "the certificate's RSASSA-PSS parameters do not "
            + "parse");
      }
      throw new KeyTrustException(Reason.SIGNATURE_ALGORITHM, "the certificate is signed with RSASSA-PSS over a hash "
          + "other than SHA-256, SHA-384 or SHA-512");
    }
    throw new KeyTrustException(Reason.SIGNATURE_ALGORITHM, "the certificate is signed with " + oid + " ("
        + certificate.getSigAlgName() + "), not SHA-256/384/512 with RSA");
  }
}
