package dev.ngc4j.core.internal.krb.pkinit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * The client certificates of the two PKINIT trust models.
 *
 * <ul>
 *   <li><b>Key trust</b>: a self-signed certificate around the credential key, the profile that Windows KDCs and
 *       MIT's emulation both accept: {@code CN=<UPN>}, basicConstraints CA:FALSE (critical; a CA:TRUE key-trust
 *       certificate would let its holder mint certificates for any principal where it is anchored), keyUsage
 *       digitalSignature (critical), EKU id-pkinit-KPClientAuth and Microsoft smart-card logon, sha256WithRSA,
 *       signed by the container.
 *   <li><b>Certificate trust</b>: a PKCS#10 request signed by the container key, for the enterprise CA that
 *       issues the logon certificate; it asks for the same key usages plus the Microsoft UPN otherName.
 * </ul>
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
public final class ClientCertificates {
  /** id-pkinit-KPClientAuth, RFC 4556. */
  public static final ASN1ObjectIdentifier ID_PKINIT_KP_CLIENT_AUTH = new ASN1ObjectIdentifier("1.3.6.1.5.2.3.4");
  /** Microsoft smart-card logon EKU. */
  public static final ASN1ObjectIdentifier MS_SMARTCARD_LOGON = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.2");
  /** Microsoft UPN otherName type. */
  public static final ASN1ObjectIdentifier MS_UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");

  /** How far back a key-trust certificate's notBefore goes, so a KDC whose clock is behind accepts it. */
  public static final Duration BACKDATE = Duration.ofMinutes(5);

  private ClientCertificates() {}

  /**
   * Builds the key-trust self-signed certificate for a credential key.
   *
   * @param upn the user's UPN, the certificate's common name
   * @param publicKey the credential's public key
   * @param signer signs with the credential's private key (through its container)
   * @param now the current time
   * @param validity how long the certificate is valid after {@code now}
   * @param random the source of the serial number
   * @return the certificate, verified against its own key
   * @throws GeneralSecurityException when the signature does not verify (the container signed with another key)
   */
  public static X509Certificate keyTrust(
      String upn, PublicKey publicKey, ContentSigner signer, Instant now, Duration validity, SecureRandom random)
      throws GeneralSecurityException {
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, upn).build();
    BigInteger serial = new BigInteger(127, random).setBit(126);
    try {
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
              name, serial, Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, spki);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {
                KeyPurposeId.getInstance(ID_PKINIT_KP_CLIENT_AUTH), KeyPurposeId.getInstance(MS_SMARTCARD_LOGON)
              }));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
      X509CertificateHolder holder = builder.build(signer);
      X509Certificate certificate = toX509(holder.getEncoded());
      certificate.verify(publicKey);
      return certificate;
    } catch (IOException e) {
      throw new GeneralSecurityException("the key-trust certificate could not be encoded", e);
    }
  }

  /**
   * Builds a PKCS#10 certification request for the certificate-trust logon certificate.
   *
   * @param upn the user's UPN (subject common name and Microsoft UPN otherName)
   * @param publicKey the credential's public key
   * @param signer signs with the credential's private key
   * @return the DER request, its signature checked
   * @throws GeneralSecurityException when the request does not verify with the public key
   */
  public static byte[] certificationRequest(String upn, PublicKey publicKey, ContentSigner signer)
      throws GeneralSecurityException {
    try {
      X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, upn).build();
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      extensions.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {
                KeyPurposeId.getInstance(ID_PKINIT_KP_CLIENT_AUTH),
                KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.getInstance(MS_SMARTCARD_LOGON)
              }));
      extensions.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(
                  GeneralName.otherName,
                  new DERSequence(
                      new org.bouncycastle.asn1.ASN1Encodable[] {
                        MS_UPN, new DERTaggedObject(true, 0, new DERUTF8String(upn))
                      }))));
      Extensions requested = extensions.generate();
      PKCS10CertificationRequest request =
          new PKCS10CertificationRequestBuilder(name, SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()))
              .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requested)
              .build(signer);
      if (!request.isSignatureValid(
          new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().build(publicKey))) {
        throw new GeneralSecurityException("the certification request's signature does not verify");
      }
      return request.getEncoded();
    } catch (IOException e) {
      throw new GeneralSecurityException("the certification request could not be encoded", e);
    } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
      throw new GeneralSecurityException("the certification request could not be checked", e);
    }
  }

  /**
   * Whether a certificate is marked as a CA (basicConstraints cA = TRUE).
   *
   * @param certificate the certificate
   * @return true for a CA certificate
   */
  public static boolean isCa(X509Certificate certificate) {
    return certificate.getBasicConstraints() >= 0;
  }

  static X509Certificate toX509(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
