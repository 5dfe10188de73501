package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.server.internal.crypto.Bc;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.MasterKey;
import dev.ngc4j.server.internal.crypto.ServiceCa;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The service's AIK certificate authority: an RSA-2048 key and a self-signed certificate valid 20 years, created
 * once and kept in the directory encrypted under the {@link MasterKey} (secret {@value #SECRET_NAME}), like the
 * service's other keys. It issues AIK certificates after the EK checks and the credential activation, and its
 * certificate is the trust anchor of the TPM attestation verifier.
 *
 * <p>Like the token-signing key, a candidate key is generated at every start because the directory only offers
 * get-or-create for secrets; RSA-2048 keeps that cost near the token key's (a read-only secret look-up would allow
 * a larger key at no start-up cost).
 *
 * <p>AIK certificates: X.509 v3, empty subject, critical subjectAltName with a directoryName of the TPM's
 * manufacturer, model and version (copied from the EK certificate), extendedKeyUsage tcg-kp-AIKCertificate
 * (2.23.133.8.3), critical basicConstraints CA=false, critical keyUsage digitalSignature, signed SHA256withRSA.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class AikCa {
  /** The directory secret holding the CA key and certificate. */
  public static final String SECRET_NAME = "aik-ca.v1";
  /** tcg-kp-AIKCertificate. */
  public static final ASN1ObjectIdentifier AIK_CERTIFICATE_EKU = new ASN1ObjectIdentifier("2.23.133.8.3");

  private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
  private static final int KEY_BITS = 2048;
  private static final Duration CA_VALIDITY = Duration.ofDays(365L * 20);
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final X500Name name;

  private AikCa(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
    this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  /**
   * Loads the CA from the directory, creating and storing it on first use. Concurrent first starts agree on one
   * CA (the directory keeps the first value stored).
   *
   * @param store the directory
   * @param masterKey the master key
   * @param now the current time (for a new CA certificate)
   * @return the CA
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails or the stored CA does not
   *     decrypt or decode
   */
  public static AikCa load(DirectoryStore store, MasterKey masterKey, Instant now) throws NgcException {
    byte[] encoded = null;
    try {
      byte[] candidate = newEncoded(now);
      byte[] sealed = masterKey.seal(SECRET_NAME, candidate);
      Arrays.fill(candidate, (byte) 0);
      encoded = masterKey.open(SECRET_NAME, store.getOrCreateSecret(SECRET_NAME, sealed));
      return decode(encoded);
    } catch (StoreException e) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE, "the directory could not store the service secret '" + SECRET_NAME + "'", e);
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE,
          "the service's AIK CA could not be created or read",
          "check that the database and master.key belong together",
          e);
    } finally {
      if (encoded != null) {
        Arrays.fill(encoded, (byte) 0);
      }
    }
  }

  /**
   * Creates a new CA key and self-signed certificate.
   *
   * @param now the current time
   * @return {@code len || PKCS#8 key || len || DER certificate}; the caller clears it
   * @throws GeneralSecurityException if the key or certificate cannot be made
   */
  static byte[] newEncoded(Instant now) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(KEY_BITS, Jca.RANDOM);
    KeyPair pair = generator.generateKeyPair();
    return ServiceCa.selfSignedCa(pair, "ngc4j AIK CA", now, CA_VALIDITY, signer(pair.getPrivate()));
  }

  /**
   * Reads what {@link #newEncoded} produced.
   *
   * @param encoded the encoding
   * @return the CA
   * @throws GeneralSecurityException if the encoding is damaged
   */
  static AikCa decode(byte[] encoded) throws GeneralSecurityException {
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      byte[] pkcs8 = new byte[in.getInt()];
      in.get(pkcs8);
      byte[] cert = new byte[in.getInt()];
      in.get(cert);
      if (in.hasRemaining()) {
        throw new GeneralSecurityException("trailing bytes after the AIK CA encoding");
      }
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      Arrays.fill(pkcs8, (byte) 0);
      return new AikCa(key, ServiceCa.certificate(cert));
    } catch (RuntimeException e) {
      throw new GeneralSecurityException("the AIK CA encoding is damaged", e);
    }
  }

  /**
   * Returns the CA certificate (the attestation verifier's trust anchor).
   *
   * @return the self-signed certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues an AIK certificate.
   *
   * @param akKey the AK's public key
   * @param tpm the TPM's identity from the EK certificate
   * @param now the current time
   * @param validity how long the certificate is valid
   * @return the DER certificate
   * @throws GeneralSecurityException if signing fails
   */
  public byte[] issue(RSAPublicKey akKey, TpmIdentity tpm, Instant now, Duration validity)
      throws GeneralSecurityException {
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(akKey.getEncoded());
    X500Name empty = new X500Name(new RDN[0]);
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        name, ServiceCa.serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), empty, spki);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(new GeneralName(tpm.directoryName())));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.getInstance(AIK_CERTIFICATE_EKU)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      return builder.build(signer(key)).getEncoded();
    } catch (IOException e) {
      throw new GeneralSecurityException("the AIK certificate could not be built", e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(Bc.provider()).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no " + SIGNATURE_ALGORITHM + " signer", e);
    }
  }
}
