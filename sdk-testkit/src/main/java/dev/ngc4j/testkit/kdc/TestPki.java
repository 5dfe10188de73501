package dev.ngc4j.testkit.kdc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
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
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The harness's test PKI, built with BouncyCastle's ASN.1 and certificate builders (signatures by the JDK's own
 * provider; no JCA provider is ever registered): RSA-2048
 * keys, the two CAs (cached per JVM, since key generation is the slow part), KDC and client certificates with the
 * PKINIT extensions of RFC 4556, self-signed key-trust certificates, CRLs, and PEM output OpenSSL reads.
 */
final class TestPki {
  /** id-pkinit-san (RFC 4556 3.2.2): otherName holding a KRB5PrincipalName. */
  static final String ID_PKINIT_SAN = "1.3.6.1.5.2.2";
  /** id-pkinit-KPClientAuth (RFC 4556 3.2.2). */
  static final String ID_PKINIT_KP_CLIENT_AUTH = "1.3.6.1.5.2.3.4";
  /** id-pkinit-KPKdc (RFC 4556 3.2.4). */
  static final String ID_PKINIT_KP_KDC = "1.3.6.1.5.2.3.5";
  /** Microsoft smart-card logon EKU. */
  static final String MS_SMARTCARD_LOGON = "1.3.6.1.4.1.311.20.2.2";
  /** Microsoft UPN otherName. */
  static final String MS_UPN = "1.3.6.1.4.1.311.20.2.3";
  /** id-kp-serverAuth. */
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** id-kp-clientAuth. */
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  /** KRB5 name types (RFC 4120 6.2). */
  static final int NT_PRINCIPAL = 1;
  static final int NT_SRV_INST = 2;

  /** The realm the WRONG_SAN profile names. */
  static final String OTHER_REALM = "OTHER.TEST";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object CA_LOCK = new Object();
  private static final Object KEY_LOCK = new Object();
  private static @Nullable Ca ca;
  private static @Nullable Ca otherCa;
  private static @Nullable CompletableFuture<KeyPair> nextKey;

  private TestPki() {}

  /** A CA: its key pair and self-signed certificate. */
  record Ca(KeyPair keys, X509Certificate certificate) {}

  /** The harness CA (cached per JVM). */
  static Ca ca() {
    synchronized (CA_LOCK) {
      Ca c = ca;
      if (c == null) {
        c = newCa("CN=ngc4j Test PKINIT Root CA,O=ngc4j test");
        ca = c;
      }
      return c;
    }
  }

  /** An unrelated CA that no KDC or client trusts (cached per JVM). */
  static Ca otherCa() {
    synchronized (CA_LOCK) {
      Ca c = otherCa;
      if (c == null) {
        c = newCa("CN=ngc4j Unrelated Test CA,O=ngc4j elsewhere");
        otherCa = c;
      }
      return c;
    }
  }

  /**
   * A fresh RSA-2048 key pair, never handed out before. RSA-2048 generation takes 0.1 to 0.5 s (seconds on a busy
   * machine), so one key is generated ahead on a daemon thread while the caller works with this one: a pool of one,
   * the same idea as the SDK's own key pool.
   */
  static KeyPair freshKeyPair() {
    CompletableFuture<KeyPair> ready;
    synchronized (KEY_LOCK) {
      ready = nextKey;
      nextKey = CompletableFuture.supplyAsync(TestPki::rsaKeyPair, TestPki::runOnDaemonThread);
    }
    return ready != null ? ready.join() : rsaKeyPair();
  }

  private static void runOnDaemonThread(Runnable task) {
    Thread thread = new Thread(task, "ngc4j-kdc-keygen");
    thread.setDaemon(true);
    thread.start();
  }

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-2048 key generation is unavailable", e);
    }
  }

  private static Ca newCa(String subject) {
    KeyPair keys = rsaKeyPair();
    X500Name name = new X500Name(subject);
    Instant now = Instant.now();
    X509Certificate cert = build(name, keys.getPublic(), name, keys.getPrivate(), keys.getPublic(),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)), List.of(
            new Ext(Extension.basicConstraints, true, new BasicConstraints(true)),
            new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))));
    return new Ca(keys, cert);
  }

  // ------------------------------------------------------------------------------------------------------------
  // KDC and client certificates
  // ------------------------------------------------------------------------------------------------------------

  /** The KDC certificate for a profile (see {@link KdcCertProfile}); {@code crlUri} goes into the CDP. */
  static X509Certificate kdcCertificate(KdcCertProfile profile, String realm, PublicKey kdcKey, URI crlUri) {
    Ca issuer = profile == KdcCertProfile.UNTRUSTED_CA ? otherCa() : ca();
    Instant now = Instant.now();
    Instant notBefore = now.minus(Duration.ofHours(1));
    Instant notAfter = now.plus(Duration.ofDays(365));
    if (profile == KdcCertProfile.EXPIRED) {
      notBefore = now.minus(Duration.ofDays(30));
      notAfter = now.minus(Duration.ofDays(1));
    } else if (profile == KdcCertProfile.NOT_YET_VALID) {
      notBefore = now.plus(Duration.ofDays(1));
      notAfter = now.plus(Duration.ofDays(30));
    } else if (profile == KdcCertProfile.EXPIRES_IN_TWO_MINUTES) {
      notAfter = now.plus(Duration.ofMinutes(2));
    } else if (profile == KdcCertProfile.ISSUED_TWO_MINUTES_AGO) {
      notBefore = now.minus(Duration.ofMinutes(2));
    }
    List<String> ekus = profile == KdcCertProfile.NO_KDC_EKU
        ? List.of(SERVER_AUTH) : List.of(ID_PKINIT_KP_KDC, SERVER_AUTH);
    int keyUsage = KeyUsage.keyEncipherment | KeyUsage.keyAgreement;
    if (profile != KdcCertProfile.NO_DIGITAL_SIGNATURE_KU) {
      keyUsage |= KeyUsage.digitalSignature;
    }
    List<GeneralName> san = new ArrayList<>();
    String dnsName = "localhost";
    switch (profile) {
      case WRONG_SAN -> {
        san.add(pkinitSan(OTHER_REALM, NT_SRV_INST, List.of("krbtgt", OTHER_REALM)));
        dnsName = OTHER_REALM.toLowerCase(Locale.ROOT);
        san.add(new GeneralName(GeneralName.dNSName, dnsName));
      }
      case DNS_SAN_ONLY -> {
        dnsName = realm.toLowerCase(Locale.ROOT);
        san.add(new GeneralName(GeneralName.dNSName, dnsName));
      }
      default -> {
        san.add(pkinitSan(realm, NT_SRV_INST, List.of("krbtgt", realm)));
        san.add(new GeneralName(GeneralName.dNSName, dnsName));
      }
    }
    List<Ext> extensions = new ArrayList<>(List.of(
        new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
        new Ext(Extension.keyUsage, true, new KeyUsage(keyUsage)),
        new Ext(Extension.extendedKeyUsage, false, eku(ekus)),
        new Ext(Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(new GeneralName[0])))));
    if (profile != KdcCertProfile.UNTRUSTED_CA) {
      extensions.add(new Ext(Extension.cRLDistributionPoints, false, crlDistributionPoint(crlUri)));
    }
    return build(new X500Name("CN=" + dnsName + ",O=ngc4j test KDC"), kdcKey,
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
        issuer.keys().getPrivate(), issuer.keys().getPublic(), notBefore, notAfter, extensions);
  }

  /**
   * A certificate-trust client certificate (kerberos.md 1.2): EKU id-pkinit-KPClientAuth + clientAuth + MS smart-card
   * logon, KU digitalSignature, SAN id-pkinit-san {@code name@REALM} + MS UPN otherName, CDP = {@code crlUri}.
   */
  static X509Certificate clientCertificate(PublicKey key, KerberosName principal, URI crlUri) {
    Ca issuer = ca();
    Instant now = Instant.now();
    List<Ext> extensions = List.of(
        new Ext(Extension.basicConstraints, true, new BasicConstraints(false)),
        new Ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)),
        new Ext(Extension.extendedKeyUsage, false, eku(List.of(ID_PKINIT_KP_CLIENT_AUTH, CLIENT_AUTH,
            MS_SMARTCARD_LOGON))),
        new Ext(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            pkinitSan(principal.realm(), NT_PRINCIPAL, principal.components()),
            new GeneralName(GeneralName.otherName, new OtherName(new ASN1ObjectIdentifier(MS_UPN),
                new DERUTF8String(principal.toString())))})),
        new Ext(Extension.cRLDistributionPoints, false, crlDistributionPoint(crlUri)));
    return build(new X500Name("CN=" + rdnValue(principal.nameWithoutRealm()) + ",O=ngc4j test"), key,
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
        issuer.keys().getPrivate(), issuer.keys().getPublic(), now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)), extensions);
  }

  /**
   * A self-signed certificate with the key-trust profile of kerberos.md 1.4: {@code CN=commonName}, basicConstraints
   * critical with the given CA flag, KU digitalSignature (plus keyCertSign if {@code ca}), EKU
   * id-pkinit-KPClientAuth + MS smart-card logon, no SAN.
   */
  static X509Certificate selfSigned(KeyPair keys, String commonName, boolean ca) {
    return selfSigned(keys, new X500Name("CN=" + rdnValue(commonName)), ca);
  }

  /** As {@link #selfSigned(KeyPair, String, boolean)}, with any subject (RDNs in the string's order). */
  static X509Certificate selfSigned(KeyPair keys, X500Name name, boolean ca) {
    Instant now = Instant.now();
    int keyUsage = KeyUsage.digitalSignature | (ca ? KeyUsage.keyCertSign : 0);
    return build(name, keys.getPublic(), name, keys.getPrivate(), keys.getPublic(), now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(365)), List.of(
            new Ext(Extension.basicConstraints, true, new BasicConstraints(ca)),
            new Ext(Extension.keyUsage, true, new KeyUsage(keyUsage)),
            new Ext(Extension.extendedKeyUsage, false, eku(List.of(ID_PKINIT_KP_CLIENT_AUTH, MS_SMARTCARD_LOGON)))));
  }

  /** A CRL of {@code issuer} listing {@code revoked} (serial to revocation time), valid for a week. */
  static byte[] crl(Ca issuer, Map<BigInteger, Instant> revoked, BigInteger number) {
    Instant now = Instant.now();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()),
        Date.from(now.minus(Duration.ofMinutes(1))));
    builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
    for (Map.Entry<BigInteger, Instant> entry : revoked.entrySet()) {
      builder.addCRLEntry(entry.getKey(), Date.from(entry.getValue()), CRLReason.keyCompromise);
    }
    try {
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
      builder.addExtension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
          .createAuthorityKeyIdentifier(spki(issuer.keys().getPublic())));
      return builder.build(signer(issuer.keys().getPrivate())).getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the CRL", e);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // PEM
  // ------------------------------------------------------------------------------------------------------------

  static String pem(X509Certificate... chain) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      for (X509Certificate cert : chain) {
        writer.writeObject(cert);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM", e);
    }
    return out.toString();
  }

  /** PKCS#8 "PRIVATE KEY" PEM, unencrypted (OpenSSL 3 reads it). */
  static String pem(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM", e);
    }
    return out.toString();
  }

  static String crlPem(byte[] crlDer) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("X509 CRL", crlDer));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write PEM", e);
    }
    return out.toString();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Building blocks
  // ------------------------------------------------------------------------------------------------------------

  /** KRB5PrincipalName ::= SEQUENCE { realm [0] Realm, principalName [1] PrincipalName } (RFC 4556 3.2.2). */
  static GeneralName pkinitSan(String realm, int nameType, List<String> components) {
    ASN1EncodableVector strings = new ASN1EncodableVector();
    for (String c : components) {
      strings.add(new DERGeneralString(c));
    }
    ASN1EncodableVector principalName = new ASN1EncodableVector();
    principalName.add(new DERTaggedObject(true, 0, new ASN1Integer(nameType)));
    principalName.add(new DERTaggedObject(true, 1, new DERSequence(strings)));
    ASN1EncodableVector krb5PrincipalName = new ASN1EncodableVector();
    krb5PrincipalName.add(new DERTaggedObject(true, 0, new DERGeneralString(realm)));
    krb5PrincipalName.add(new DERTaggedObject(true, 1, new DERSequence(principalName)));
    return new GeneralName(GeneralName.otherName,
        new OtherName(new ASN1ObjectIdentifier(ID_PKINIT_SAN), new DERSequence(krb5PrincipalName)));
  }

  private static ExtendedKeyUsage eku(List<String> oids) {
    KeyPurposeId[] ids = new KeyPurposeId[oids.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oids.get(i)));
    }
    return new ExtendedKeyUsage(ids);
  }

  private static CRLDistPoint crlDistributionPoint(URI uri) {
    GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()));
    return new CRLDistPoint(new DistributionPoint[] {
        new DistributionPoint(new DistributionPointName(names), null, null)});
  }

  /** An extension to add: OID, criticality, value. */
  private record Ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

  private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer,
      PrivateKey issuerKey, PublicKey issuerPublicKey, Instant notBefore, Instant notAfter, List<Ext> extensions) {
    BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
    SubjectPublicKeyInfo spki = spki(subjectKey);
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
        Date.from(notAfter), subject, spki);
    BcX509ExtensionUtils utils = new BcX509ExtensionUtils();
    try {
      for (Ext ext : extensions) {
        builder.addExtension(ext.oid(), ext.critical(), ext.value());
      }
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(spki(issuerPublicKey)));
      X509CertificateHolder holder = builder.build(signer(issuerKey));
      return certificate(holder.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a certificate for " + subject, e);
    }
  }

  static SubjectPublicKeyInfo spki(PublicKey key) {
    return SubjectPublicKeyInfo.getInstance(key.getEncoded());
  }

  /**
   * A SHA256withRSA signer from the JDK's own provider: BouncyCastle's provider would re-validate the RSA modulus
   * (Miller-Rabin rounds on 2048 bits) at every signature, which costs more than the signature itself.
   */
  private static ContentSigner signer(PrivateKey key) {
    try {
      return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with SHA256withRSA", e);
    }
  }

  /** Parses DER into the JDK's own X509Certificate (not a BouncyCastle object). */
  static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot parse a certificate BouncyCastle built", e);
    }
  }

  /** Escapes an RDN value for BouncyCastle's X500Name string parser (RFC 4514 special characters). */
  private static String rdnValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (",+\"\\<>;=#".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
