package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.server.TpmAttestationException;
import dev.ngc4j.server.TpmAttestationException.Reason;
import dev.ngc4j.server.internal.crypto.Jca;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.jspecify.annotations.Nullable;

/**
 * The strict verifier of {@code "tpm"} attestation statements (the rules of docs/tpm.md §10, all of them). The
 * checks run in a fixed order, content before signatures, so that a statement changed in one field is refused
 * for that field even when the signature cannot be redone:
 *
 * <ol>
 *   <li>format {@code "tpm"};
 *   <li>pubArea ({@code TPMT_PUBLIC}) parses completely; RSA, 2048 bits, exponent 0 or 65537, scheme NULL or
 *       RSASSA-SHA256, symmetric NULL; nameAlg SHA-256; attributes exactly
 *       sign|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth and an empty authPolicy; its key is the key
 *       being registered;
 *   <li>certInfo ({@code TPMS_ATTEST}): magic TPM_GENERATED_VALUE, type TPM_ST_ATTEST_CERTIFY, parses completely;
 *       extraData equals the qualifying data; the certified name's algorithm is SHA-256 (= pubArea's nameAlg) and
 *       the name is {@code nameAlg || SHA-256(exact pubArea bytes)};
 *   <li>the AIK certificate: version 3, empty subject, extendedKeyUsage with tcg-kp-AIKCertificate, not a CA,
 *       a critical SAN with the TPM's manufacturer, model and version, valid now within the clock skew; every
 *       certificate of the chain signed with SHA-256 or stronger; an RSA key of at least 2048 bits; a PKIX chain
 *       (revocation off) to one of the trust anchors;
 *   <li>the signature over the exact certInfo bytes: RSASSA-PKCS1-v1_5 with SHA-256 by the AIK certificate's key
 *       (a signature with SHA-1 or another digest is refused as such).
 * </ol>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TpmStatementVerifier {
  private static final int MAX_CHAIN = 5;
  private static final int KEY_BITS = 2048;
  private static final byte[] EMPTY_NAME = {0x30, 0x00};
  /** SHA256/384/512withRSA, ECDSA with SHA256/384/512. */
  private static final Set<String> CERTIFICATE_SIGNATURES = Set.of(
      "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
      "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4");
  private static final String SHA256_OID = "2.16.840.1.101.3.4.2.1";
  private static final Map<String, String> DIGEST_NAMES = Map.of(
      "1.3.14.3.2.26", "SHA-1",
      "2.16.840.1.101.3.4.2.1", "SHA-256",
      "2.16.840.1.101.3.4.2.2", "SHA-384",
      "2.16.840.1.101.3.4.2.3", "SHA-512",
      "1.2.840.113549.2.5", "MD5");
  private static final String AIK_EKU = AikCa.AIK_CERTIFICATE_EKU.getId();

  private final Clock clock;
  private final Duration skew;

  /**
   * Creates the verifier.
   *
   * @param clock the clock for the AIK certificate's validity
   * @param skew the allowed clock skew
   */
  public TpmStatementVerifier(Clock clock, Duration skew) {
    this.clock = clock;
    this.skew = skew;
  }

  /** What a successful verification found. */
  public record Verified(X509Certificate trustAnchor, TpmIdentity tpm) {}

  /**
   * Verifies a statement.
   *
   * @param statement the statement
   * @param credentialKey the key being registered
   * @param qualifyingData what certInfo's extraData must be
   * @param trustAnchors the trusted AIK CAs
   * @return the anchor the chain ended at and the TPM's identity from the AIK certificate
   * @throws TpmAttestationException naming the first check that failed
   */
  public Verified verify(
      AttestationStatement statement, PublicKey credentialKey, Bytes qualifyingData,
      List<X509Certificate> trustAnchors) throws TpmAttestationException {
    if (!AttestationFormat.TPM.equals(statement.format())) {
      throw fail(Reason.FORMAT, "the statement's format is '" + statement.format() + "', not 'tpm'");
    }
    TpmPublicArea pub = checkPublicArea(statement.keyPublicArea().toByteArray(), credentialKey);
    byte[] certInfo = statement.certifiedKey().toByteArray();
    checkCertInfo(certInfo, pub, qualifyingData);
    List<X509Certificate> chain = statement.certificateChain();
    if (chain.size() > MAX_CHAIN) {
      throw fail(Reason.STRUCTURE, "the certificate chain has " + chain.size() + " certificates, more than "
          + MAX_CHAIN);
    }
    X509Certificate aik = chain.get(0);
    TpmIdentity tpm = checkAikProfile(aik);
    RSAPublicKey aikKey = checkAlgorithms(chain, aik, trustAnchors);
    X509Certificate anchor = checkChain(chain, aik, trustAnchors);
    checkSignature(aikKey, certInfo, statement.signature().toByteArray());
    return new Verified(anchor, tpm);
  }

  // ---- pubArea --------------------------------------------------------------------------------------------

  private static TpmPublicArea checkPublicArea(byte[] encoded, PublicKey credentialKey)
      throws TpmAttestationException {
    int type;
    try {
      type = TpmPublicArea.peekType(encoded);
    } catch (TpmFormatException e) {
      throw fail(Reason.STRUCTURE, "pubArea: " + e.getMessage());
    }
    if (type != Tpm.ALG_RSA) {
      throw fail(Reason.KEY_PARAMETERS, "pubArea's type is " + Tpm.alg(type) + ", not RSA");
    }
    TpmPublicArea pub;
    try {
      pub = TpmPublicArea.parse(encoded);
    } catch (TpmFormatException e) {
      throw fail(Reason.STRUCTURE, "pubArea: " + e.getMessage());
    }
    if (pub.keyBits() != KEY_BITS || pub.modulusLength() != KEY_BITS / 8) {
      throw fail(Reason.KEY_PARAMETERS, "pubArea's key has keyBits " + pub.keyBits() + " and a "
          + pub.modulusLength() + "-byte modulus, not RSA-2048");
    }
    if (pub.exponent() != 0 && pub.exponent() != 65537) {
      throw fail(Reason.KEY_PARAMETERS, "pubArea's exponent is " + (pub.exponent() & 0xffffffffL)
          + ", not 65537 (or 0)");
    }
    if (pub.symmetricAlg() != Tpm.ALG_NULL) {
      throw fail(Reason.KEY_PARAMETERS, "pubArea's symmetric algorithm is " + Tpm.alg(pub.symmetricAlg())
          + ", not NULL (a signing key has none)");
    }
    boolean schemeOk = pub.scheme() == Tpm.ALG_NULL
        || (pub.scheme() == Tpm.ALG_RSASSA && pub.schemeHash() == Tpm.ALG_SHA256);
    if (!schemeOk) {
      throw fail(Reason.KEY_PARAMETERS, "pubArea's scheme is " + Tpm.alg(pub.scheme())
          + (pub.schemeHash() == Tpm.ALG_NULL ? "" : " with " + Tpm.alg(pub.schemeHash()))
          + ", not RSASSA with SHA256 or NULL");
    }
    if (pub.nameAlg() != Tpm.ALG_SHA256) {
      throw fail(Reason.NAME_ALGORITHM, "pubArea's nameAlg is " + Tpm.alg(pub.nameAlg()) + ", not SHA256");
    }
    int attributes = pub.attributes();
    if (attributes != Tpm.USER_KEY_ATTRIBUTES) {
      int unexpected = attributes & ~Tpm.USER_KEY_ATTRIBUTES;
      int missing = Tpm.USER_KEY_ATTRIBUTES & ~attributes;
      throw fail(Reason.ATTRIBUTES, "pubArea's attributes are " + Tpm.hex32(attributes) + ", not exactly "
          + Tpm.hex32(Tpm.USER_KEY_ATTRIBUTES) + " (" + Tpm.attributeNames(Tpm.USER_KEY_ATTRIBUTES) + ")"
          + (unexpected != 0 ? "; set but not allowed: " + Tpm.attributeNames(unexpected) : "")
          + (missing != 0 ? "; missing: " + Tpm.attributeNames(missing) : ""));
    }
    if (pub.authPolicy().length != 0) {
      throw fail(Reason.ATTRIBUTES, "pubArea's authPolicy is not empty (" + pub.authPolicy().length + " bytes)");
    }
    if (!(credentialKey instanceof RSAPublicKey rsa)) {
      throw fail(Reason.KEY_MISMATCH, "the key being registered is not an RSA key");
    }
    if (!pub.holds(rsa)) {
      throw fail(Reason.KEY_MISMATCH, "pubArea holds another RSA key than the key being registered");
    }
    return pub;
  }

  // ---- certInfo -------------------------------------------------------------------------------------------

  private static void checkCertInfo(byte[] certInfo, TpmPublicArea pub, Bytes qualifyingData)
      throws TpmAttestationException {
    if (certInfo.length < 6) {
      throw fail(Reason.STRUCTURE, "certInfo: TPMS_ATTEST is truncated (" + certInfo.length + " bytes)");
    }
    int magic = ((certInfo[0] & 0xff) << 24) | ((certInfo[1] & 0xff) << 16) | ((certInfo[2] & 0xff) << 8)
        | (certInfo[3] & 0xff);
    if (magic != Tpm.GENERATED_VALUE) {
      throw fail(Reason.MAGIC, "certInfo's magic is " + Tpm.hex32(magic) + ", not TPM_GENERATED_VALUE "
          + Tpm.hex32(Tpm.GENERATED_VALUE));
    }
    int type = ((certInfo[4] & 0xff) << 8) | (certInfo[5] & 0xff);
    if (type != Tpm.ST_ATTEST_CERTIFY) {
      throw fail(Reason.TYPE, "certInfo's type is " + Tpm.hex16(type) + ", not TPM_ST_ATTEST_CERTIFY "
          + Tpm.hex16(Tpm.ST_ATTEST_CERTIFY));
    }
    TpmAttest attest;
    try {
      attest = TpmAttest.parse(certInfo);
    } catch (TpmFormatException e) {
      throw fail(Reason.STRUCTURE, "certInfo: " + e.getMessage());
    }
    if (!MessageDigest.isEqual(attest.extraData(), qualifyingData.toByteArray())) {
      throw fail(Reason.NONCE, "certInfo's extraData (" + attest.extraData().length
          + " bytes) is not the qualifying data of this registration (SHA-256 of its nonce)");
    }
    byte[] name = attest.name();
    if (name.length < 2) {
      throw fail(Reason.NAME, "certInfo names no object (a " + name.length + "-byte name)");
    }
    int nameAlg = ((name[0] & 0xff) << 8) | (name[1] & 0xff);
    if (nameAlg != Tpm.ALG_SHA256 || nameAlg != pub.nameAlg()) {
      throw fail(Reason.NAME_ALGORITHM, "certInfo's name uses " + Tpm.alg(nameAlg) + ", pubArea's nameAlg is "
          + Tpm.alg(pub.nameAlg()) + "; both must be SHA256");
    }
    byte[] expected;
    try {
      expected = pub.name();
    } catch (TpmFormatException e) {
      throw fail(Reason.NAME_ALGORITHM, e.getMessage());
    }
    if (!MessageDigest.isEqual(name, expected)) {
      throw fail(Reason.NAME, "certInfo certifies another object: its name is not SHA256 || SHA-256(pubArea)");
    }
  }

  // ---- AIK certificate --------------------------------------------------------------------------------------

  private TpmIdentity checkAikProfile(X509Certificate aik) throws TpmAttestationException {
    if (aik.getVersion() != 3) {
      throw fail(Reason.AIK_VERSION, "the AIK certificate is X.509 version " + aik.getVersion() + ", not 3");
    }
    if (!Arrays.equals(aik.getSubjectX500Principal().getEncoded(), EMPTY_NAME)) {
      throw fail(Reason.AIK_SUBJECT, "the AIK certificate's subject is '" + aik.getSubjectX500Principal().getName()
          + "', not empty");
    }
    List<String> eku;
    try {
      eku = aik.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw fail(Reason.AIK_EKU, "the AIK certificate's extendedKeyUsage does not parse");
    }
    if (eku == null || !eku.contains(AIK_EKU)) {
      throw fail(Reason.AIK_EKU, "the AIK certificate's extendedKeyUsage " + (eku == null ? "is absent" : eku)
          + " lacks tcg-kp-AIKCertificate " + AIK_EKU);
    }
    if (aik.getBasicConstraints() != -1) {
      throw fail(Reason.AIK_BASIC_CONSTRAINTS, "the AIK certificate is a CA certificate (basicConstraints CA=true)");
    }
    TpmIdentity tpm;
    try {
      tpm = TpmIdentity.fromSubjectAltName(aik);
    } catch (TpmFormatException e) {
      throw fail(Reason.AIK_SAN, "AIK certificate: " + e.getMessage());
    }
    Set<String> critical = aik.getCriticalExtensionOIDs();
    if (critical == null || !critical.contains(Extension.subjectAlternativeName.getId())) {
      throw fail(Reason.AIK_SAN, "the AIK certificate's subjectAltName is not critical (its subject is empty)");
    }
    Instant now = clock.instant();
    Instant notBefore = aik.getNotBefore().toInstant();
    Instant notAfter = aik.getNotAfter().toInstant();
    if (now.plus(skew).isBefore(notBefore) || now.minus(skew).isAfter(notAfter)) {
      throw fail(Reason.AIK_VALIDITY, "the AIK certificate is valid from " + notBefore + " to " + notAfter
          + ", not at " + now + " (skew " + skew + ")");
    }
    return tpm;
  }

  private static RSAPublicKey checkAlgorithms(
      List<X509Certificate> chain, X509Certificate aik, List<X509Certificate> anchors)
      throws TpmAttestationException {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      if (anchors.contains(c)) {
        break;
      }
      if (!CERTIFICATE_SIGNATURES.contains(c.getSigAlgOID())) {
        throw fail(Reason.SIGNATURE_ALGORITHM, (i == 0 ? "the AIK certificate" : "chain certificate " + i)
            + " is signed with " + c.getSigAlgName() + " (" + c.getSigAlgOID()
            + "); only RSA or ECDSA with SHA-256, SHA-384 or SHA-512 are accepted");
      }
    }
    if (!(aik.getPublicKey() instanceof RSAPublicKey key) || key.getModulus().bitLength() < KEY_BITS) {
      throw fail(Reason.SIGNATURE_ALGORITHM, "the AIK certificate's key is not an RSA key of at least "
          + KEY_BITS + " bits");
    }
    return key;
  }

  private X509Certificate checkChain(List<X509Certificate> chain, X509Certificate aik, List<X509Certificate> anchors)
      throws TpmAttestationException {
    if (anchors.isEmpty()) {
      throw fail(Reason.AIK_CHAIN, "no AIK CA is trusted (no trust anchors)");
    }
    List<X509Certificate> path = new ArrayList<>();
    for (X509Certificate c : chain) {
      if (anchors.contains(c)) {
        break;
      }
      path.add(c);
    }
    if (path.isEmpty()) {
      throw fail(Reason.AIK_CHAIN, "the AIK certificate is itself a trust anchor");
    }
    Set<TrustAnchor> trusted = new HashSet<>();
    for (X509Certificate anchor : anchors) {
      trusted.add(new TrustAnchor(anchor, null));
    }
    // The AIK certificate's own validity was checked with the skew; validate the chain at a time inside it.
    Instant at = clock.instant();
    Instant notBefore = aik.getNotBefore().toInstant();
    Instant notAfter = aik.getNotAfter().toInstant();
    if (at.isBefore(notBefore)) {
      at = notBefore;
    } else if (at.isAfter(notAfter)) {
      at = notAfter;
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(trusted);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      PKIXCertPathValidatorResult result =
          (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, params);
      X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
      if (anchor == null) {
        throw fail(Reason.AIK_CHAIN, "the AIK chain ended at an anchor without a certificate");
      }
      return anchor;
    } catch (CertPathValidatorException e) {
      throw fail(Reason.AIK_CHAIN, "the AIK certificate does not chain to a trusted AIK CA ("
          + e.getReason() + (e.getIndex() >= 0 ? " at certificate " + e.getIndex() : "") + ")");
    } catch (GeneralSecurityException | RuntimeException e) {
      throw fail(Reason.AIK_CHAIN, "the AIK chain could not be validated (" + e.getClass().getSimpleName() + ")");
    }
  }

  // ---- signature ------------------------------------------------------------------------------------------

  private static void checkSignature(RSAPublicKey aikKey, byte[] certInfo, byte[] signature)
      throws TpmAttestationException {
    if (Jca.verifyRs256(aikKey, certInfo, signature)) {
      return;
    }
    String digest = pkcs1DigestAlgorithm(aikKey, signature);
    if (digest != null && !digest.equals(SHA256_OID)) {
      throw fail(Reason.SIGNATURE_ALGORITHM, "certInfo is signed with RSASSA-PKCS1-v1_5 and "
          + DIGEST_NAMES.getOrDefault(digest, digest) + "; only SHA-256 is accepted");
    }
    throw fail(Reason.SIGNATURE, "the signature over certInfo does not verify with the AIK certificate's key"
        + " (RSASSA-PKCS1-v1_5 SHA-256, " + signature.length + "-byte signature)");
  }

  /**
   * Opens an RSASSA-PKCS1-v1_5 signature with the public key and returns the digest algorithm OID of its
   * DigestInfo, or null if it is not such a signature by this key (used only to name the refusal).
   */
  static @Nullable String pkcs1DigestAlgorithm(RSAPublicKey key, byte[] signature) {
    BigInteger n = key.getModulus();
    int k = (n.bitLength() + 7) / 8;
    if (signature.length != k) {
      return null;
    }
    BigInteger s = new BigInteger(1, signature);
    if (s.compareTo(n) >= 0) {
      return null;
    }
    byte[] m = s.modPow(key.getPublicExponent(), n).toByteArray();
    byte[] em = new byte[k];
    int copy = Math.min(m.length, k);
    System.arraycopy(m, m.length - copy, em, k - copy, copy);
    if (em[0] != 0 || em[1] != 1) {
      return null;
    }
    int i = 2;
    while (i < k && em[i] == (byte) 0xff) {
      i++;
    }
    if (i < 10 || i >= k || em[i] != 0) {
      return null;
    }
    try {
      DigestInfo info = DigestInfo.getInstance(ASN1Primitive.fromByteArray(Arrays.copyOfRange(em, i + 1, k)));
      return info.getAlgorithmId().getAlgorithm().getId();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static TpmAttestationException fail(Reason reason, String detail) {
    return new TpmAttestationException(reason, detail);
  }
}
