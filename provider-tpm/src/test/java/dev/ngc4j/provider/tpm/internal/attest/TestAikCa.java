package dev.ngc4j.provider.tpm.internal.attest;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
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
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway AIK CA for tests, standing in for the directory: a self-signed RSA-2048 root that issues AK
 * certificates with the service's profile (version 3, empty subject, critical SAN directoryName with the TPM's
 * manufacturer, model and version, EKU tcg-kp-AIKCertificate 2.23.133.8.3, basicConstraints CA=false). BouncyCastle
 * is used as an instance, never registered.
 */
final class TestAikCa {
  static final String AIK_EKU = "2.23.133.8.3";
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  final KeyPair key;
  final X509Certificate certificate;
  private final Duration validity;

  private TestAikCa(KeyPair key, X509Certificate certificate, Duration validity) {
    this.key = key;
    this.certificate = certificate;
    this.validity = validity;
  }

  /** A root valid from a day ago for {@code validity}. */
  static TestAikCa create(String cn, Duration validity) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair key = g.generateKeyPair();
    X500Name name = new X500Name("CN=" + cn);
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(validity)), name, SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestAikCa(key, sign(b, key), validity);
  }

  /** An AK certificate for {@code ak} with swtpm's TPM identity in the SAN. */
  X509Certificate issueAik(PublicKey ak) throws Exception {
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(
        X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity).minus(Duration.ofDays(1))),
        new X500Name(new RDN[0]), SubjectPublicKeyInfo.getInstance(ak.getEncoded()));
    X500Name tpm = new X500Name(new RDN[] {
        new RDN(new AttributeTypeAndValue(new ASN1ObjectIdentifier("2.23.133.2.1"), new DERUTF8String("id:00001014"))),
        new RDN(new AttributeTypeAndValue(new ASN1ObjectIdentifier("2.23.133.2.2"), new DERUTF8String("swtpm"))),
        new RDN(new AttributeTypeAndValue(new ASN1ObjectIdentifier("2.23.133.2.3"), new DERUTF8String("id:20191023")))
    });
    b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName(tpm)));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(AIK_EKU))));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    return sign(b, key);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws Exception {
    byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").setProvider(BC).build(issuer.getPrivate()))
        .getEncoded();
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }
}
