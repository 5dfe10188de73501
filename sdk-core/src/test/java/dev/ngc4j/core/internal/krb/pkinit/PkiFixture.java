package dev.ngc4j.core.internal.krb.pkinit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A small test PKI for the PKINIT tests: RSA keys, CA and KDC certificates with exactly the extensions a test asks
 * for, KRB5PrincipalName otherNames (RFC 4556 section 3.2.2) and CRLs. Everything is signed with SHA256withRSA by
 * the JDK's default provider.
 */
final class PkiFixture {
  /** id-kp-serverAuth, for a certificate that is a TLS server but not a KDC. */
  static final KeyPurposeId SERVER_AUTH = KeyPurposeId.id_kp_serverAuth;
  /** id-pkinit-KPKdc. */
  static final KeyPurposeId KDC = KeyPurposeId.getInstance(
      new org.bouncycastle.asn1.ASN1ObjectIdentifier(KdcCertificateValidator.ID_PKINIT_KP_KDC));

  private static final AtomicLong SERIALS = new AtomicLong(1000);

  private PkiFixture() {}

  /** Generates a 2048-bit RSA key pair. */
  static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A content signer (SHA256withRSA, default JDK provider) for a private key. */
  static ContentSigner signer(PrivateKey key) {
    return signer("SHA256withRSA", key);
  }

  /** A content signer for a JCA algorithm name and a private key. */
  static ContentSigner signer(String algorithm, PrivateKey key) {
    try {
      return new JcaContentSignerBuilder(algorithm).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that an exception's message mentions {@code part}. */
  static void assertMentions(Throwable thrown, String part) {
    String message = String.valueOf(thrown.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
  }

  /** A fresh serial number, unique in this JVM. */
  static BigInteger nextSerial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  /**
   * The id-pkinit-san otherName for {@code components@realm}: SEQUENCE { type-id, [0] EXPLICIT KRB5PrincipalName },
   * KRB5PrincipalName ::= SEQUENCE { realm [0] Realm, principalName [1] PrincipalName }, PrincipalName ::= SEQUENCE {
   * name-type [0] Int32 (2, NT-SRV-INST), name-string [1] SEQUENCE OF KerberosString }.
   */
  static GeneralName pkinitSan(String realm, String... components) {
    ASN1Encodable[] strings = new ASN1Encodable[components.length];
    for (int i = 0; i < components.length; i++) {
      strings[i] = new DERGeneralString(components[i]);
    }
    DERSequence principalName = new DERSequence(new ASN1Encodable[] {
      new DERTaggedObject(true, 0, new ASN1Integer(2)), new DERTaggedObject(true, 1, new DERSequence(strings))
    });
    DERSequence krb5PrincipalName = new DERSequence(new ASN1Encodable[] {
      new DERTaggedObject(true, 0, new DERGeneralString(realm)), new DERTaggedObject(true, 1, principalName)
    });
    return new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
      KdcCertificateValidator.ID_PKINIT_SAN, new DERTaggedObject(true, 0, krb5PrincipalName)
    }));
  }

  /** A dNSName. */
  static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  /** A certificate authority: its key and its certificate. */
  record Ca(KeyPair keys, X509Certificate certificate) {
    X500Name name() {
      return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    /** Starts a certificate issued by this CA. */
    CertBuilder issue(String subject, PublicKey key) {
      return new CertBuilder(new X500Name(subject), key, name(), keys.getPrivate());
    }

    /** Issues an intermediate CA certificate below this one. */
    Ca intermediate(String subject, KeyPair key, Instant from, Instant to) {
      X509Certificate certificate = issue(subject, key.getPublic())
          .validity(from, to)
          .ca()
          .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
          .build();
      return new Ca(key, certificate);
    }

    /** A CRL signed by this CA, valid from an hour before {@code now} for a day, listing the serials as revoked. */
    X509CRL crl(Instant now, BigInteger... revoked) {
      return crl(now.minusSeconds(3600), now.plusSeconds(86_400), false, revoked);
    }

    /** A CRL signed by this CA; a delta CRL (critical deltaCRLIndicator) when {@code delta}. */
    X509CRL crl(Instant thisUpdate, Instant nextUpdate, boolean delta, BigInteger... revoked) {
      X509v2CRLBuilder builder = new X509v2CRLBuilder(name(), Date.from(thisUpdate));
      builder.setNextUpdate(Date.from(nextUpdate));
      for (BigInteger serial : revoked) {
        builder.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
      }
      try {
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(nextSerial()));
        if (delta) {
          builder.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.ONE));
        }
        return new JcaX509CRLConverter().getCRL(builder.build(signer(keys.getPrivate())));
      } catch (java.io.IOException | java.security.cert.CRLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A self-signed root CA (CA:TRUE, keyCertSign and cRLSign). */
  static Ca root(String subject, KeyPair keys, Instant from, Instant to) {
    X500Name name = new X500Name(subject);
    X509Certificate certificate = new CertBuilder(name, keys.getPublic(), name, keys.getPrivate())
        .validity(from, to)
        .ca()
        .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
        .build();
    return new Ca(keys, certificate);
  }

  /** Builds one certificate with exactly the extensions asked for. */
  static final class CertBuilder {
    private final X500Name subject;
    private final PublicKey key;
    private final X500Name issuer;
    private final PrivateKey issuerKey;
    private BigInteger serial = nextSerial();
    private Instant notBefore = Instant.now().minusSeconds(3600);
    private Instant notAfter = Instant.now().plusSeconds(86_400);
    private boolean ca;
    private int keyUsage = -1;
    private final List<KeyPurposeId> ekus = new ArrayList<>();
    private final List<GeneralName> sans = new ArrayList<>();
    private @Nullable String crlUri;

    CertBuilder(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey) {
      this.subject = subject;
      this.key = key;
      this.issuer = issuer;
      this.issuerKey = issuerKey;
    }

    CertBuilder serial(BigInteger value) {
      this.serial = value;
      return this;
    }

    CertBuilder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    CertBuilder ca() {
      this.ca = true;
      return this;
    }

    CertBuilder keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    CertBuilder eku(KeyPurposeId... purposes) {
      ekus.addAll(List.of(purposes));
      return this;
    }

    CertBuilder san(GeneralName... names) {
      sans.addAll(List.of(names));
      return this;
    }

    CertBuilder crlDistributionPoint(String uri) {
      this.crlUri = uri;
      return this;
    }

    X509Certificate build() {
      try {
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
            issuer, serial, Date.from(notBefore), Date.from(notAfter), subject,
            SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (keyUsage >= 0) {
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        if (!ekus.isEmpty()) {
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(ekus.toArray(new KeyPurposeId[0])));
        }
        if (!sans.isEmpty()) {
          builder.addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        String uri = crlUri;
        if (uri != null) {
          DistributionPoint point = new DistributionPoint(
              new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri))),
              null, null);
          builder.addExtension(Extension.cRLDistributionPoints, false,
              new CRLDistPoint(new DistributionPoint[] {point}));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
      } catch (java.io.IOException | java.security.cert.CertificateException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
