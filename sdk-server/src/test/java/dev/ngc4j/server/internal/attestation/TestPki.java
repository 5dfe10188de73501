package dev.ngc4j.server.internal.attestation;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Certificates for tests, built with BouncyCastle (a provider instance, never registered): TPM-maker CAs, EK
 * certificates with swtpm's profile (subject CN=unknown, critical SAN directoryName with 2.23.133.2.1/2/3, EKU
 * 2.23.133.8.1, critical basicConstraints CA:FALSE, critical keyUsage keyEncipherment, subject directory
 * attributes), and AIK certificates whose every profile field can be changed.
 */
final class TestPki {
  static final BouncyCastleProvider BC = new BouncyCastleProvider();
  static final String EK_EKU = "2.23.133.8.1";
  static final String AIK_EKU = "2.23.133.8.3";
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestPki() {}

  /** A CA: key and certificate. */
  static final class Ca {
    final KeyPair key;
    final X509Certificate certificate;

    Ca(KeyPair key, X509Certificate certificate) {
      this.key = key;
      this.certificate = certificate;
    }

    X500Name name() {
      return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }
  }

  /** A self-signed root. */
  static Ca root(String cn, Instant now) {
    KeyPair key = SoftTpm.rsa();
    X500Name name = new X500Name("CN=" + cn);
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(3650))), name, spki(key.getPublic()));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Ca(key, sign(b, key.getPrivate(), "SHA256withRSA"));
  }

  /** An intermediate CA issued by {@code parent}. */
  static Ca intermediate(Ca parent, String cn, Instant now) {
    KeyPair key = SoftTpm.rsa();
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(parent.name(), serial(),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), new X500Name("CN=" + cn),
        spki(key.getPublic()));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Ca(key, sign(b, parent.key.getPrivate(), "SHA256withRSA"));
  }

  /** The TPM identity attributes: manufacturer, model, version. */
  static X500Name tpmName(String manufacturer, String model, String version, boolean oneRdn) {
    AttributeTypeAndValue m = new AttributeTypeAndValue(TpmIdentity.MANUFACTURER, new DERUTF8String(manufacturer));
    AttributeTypeAndValue mo = new AttributeTypeAndValue(TpmIdentity.MODEL, new DERUTF8String(model));
    AttributeTypeAndValue v = new AttributeTypeAndValue(TpmIdentity.VERSION, new DERUTF8String(version));
    if (oneRdn) {
      return new X500Name(new RDN[] {new RDN(new AttributeTypeAndValue[] {m, mo, v})});
    }
    return new X500Name(new RDN[] {new RDN(m), new RDN(mo), new RDN(v)});
  }

  /** The profile of an EK certificate; swtpm's by default. */
  static final class EkProfile {
    @Nullable String eku = EK_EKU;
    @Nullable X500Name san = tpmName("id:00001014", "swtpm", "id:20191023", false);
    Instant notBefore;
    Instant notAfter;

    EkProfile(Instant now) {
      notBefore = now.minus(Duration.ofDays(1));
      notAfter = now.plus(Duration.ofDays(3650));
    }
  }

  /** An EK certificate for {@code ek} issued by {@code issuer}. */
  static X509Certificate ekCertificate(Ca issuer, PublicKey ek, EkProfile p) {
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer.name(), serial(), Date.from(p.notBefore),
        Date.from(p.notAfter), new X500Name("CN=unknown"), spki(ek));
    try {
      X500Name san = p.san;
      if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName(san)));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
      String eku = p.eku;
      if (eku != null) {
        b.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(eku))));
      }
      // subject directory attributes: TPM specification family "2.0", level 0, revision 164 (as swtpm writes)
      ASN1EncodableVector spec = new ASN1EncodableVector();
      spec.add(new DERUTF8String("2.0"));
      spec.add(new org.bouncycastle.asn1.ASN1Integer(0));
      spec.add(new org.bouncycastle.asn1.ASN1Integer(164));
      Attribute tpmSpec = new Attribute(new ASN1ObjectIdentifier("2.23.133.2.16"), new DERSet(new DERSequence(spec)));
      b.addExtension(Extension.subjectDirectoryAttributes, false, new DERSequence(tpmSpec));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return sign(b, issuer.key.getPrivate(), "SHA256withRSA");
  }

  /** The profile of an AIK certificate; this service's by default. */
  static final class AikProfile {
    boolean v1;
    @Nullable String subject;
    boolean ca;
    List<String> ekus = new ArrayList<>(List.of(AIK_EKU));
    boolean noEku;
    @Nullable X500Name san = tpmName("id:00001014", "swtpm", "id:20191023", false);
    /** When set, the SAN holds only this DNS name instead of the directoryName. */
    @Nullable String sanDnsOnly;
    boolean sanCritical = true;
    Instant notBefore;
    Instant notAfter;
    String signatureAlgorithm = "SHA256withRSA";

    AikProfile(Instant now) {
      notBefore = now.minus(Duration.ofHours(1));
      notAfter = now.plus(Duration.ofDays(365));
    }
  }

  /** An AIK certificate for {@code ak} issued by {@code issuer}. */
  static X509Certificate aikCertificate(Ca issuer, PublicKey ak, AikProfile p) {
    String subjectText = p.subject;
    X500Name subject = subjectText == null ? new X500Name(new RDN[0]) : new X500Name(subjectText);
    if (p.v1) {
      X509v1CertificateBuilder b1 = new X509v1CertificateBuilder(issuer.name(), serial(), Date.from(p.notBefore),
          Date.from(p.notAfter), subject, spki(ak));
      try {
        return jdk(b1.build(new JcaContentSignerBuilder(p.signatureAlgorithm).setProvider(BC)
            .build(issuer.key.getPrivate())).getEncoded());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer.name(), serial(), Date.from(p.notBefore),
        Date.from(p.notAfter), subject, spki(ak));
    try {
      X500Name san = p.san;
      String dns = p.sanDnsOnly;
      if (dns != null) {
        b.addExtension(Extension.subjectAlternativeName, p.sanCritical,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
      } else if (san != null) {
        b.addExtension(Extension.subjectAlternativeName, p.sanCritical, new GeneralNames(new GeneralName(san)));
      }
      if (!p.noEku) {
        List<KeyPurposeId> ids = new ArrayList<>();
        for (String eku : p.ekus) {
          ids.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(eku)));
        }
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ids.toArray(new KeyPurposeId[0])));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(p.ca));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(p.ca ? KeyUsage.keyCertSign | KeyUsage.digitalSignature : KeyUsage.digitalSignature));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return sign(b, issuer.key.getPrivate(), p.signatureAlgorithm);
  }

  static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, String algorithm) {
    try {
      return jdk(b.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key)).getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static SubjectPublicKeyInfo spki(PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.getEncoded());
  }

  static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  /** Parses DER with the JDK's certificate factory (the service only ever sees JDK certificate objects). */
  static X509Certificate jdk(byte[] der) {
    try {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
