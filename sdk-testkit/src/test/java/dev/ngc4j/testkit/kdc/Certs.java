package dev.ngc4j.testkit.kdc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;

/** Test-side parsing of what the harness's certificates carry, decoded independently of how TestPki builds them. */
final class Certs {
  private Certs() {}

  private static final Object KEY_LOCK = new Object();
  private static final List<KeyPair> KEYS = new ArrayList<>();

  /** The i-th RSA-2048 test key of this JVM (generated once; tests share them to stay fast). */
  static KeyPair key(int i) {
    synchronized (KEY_LOCK) {
      try {
        while (KEYS.size() <= i) {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(2048);
          KEYS.add(generator.generateKeyPair());
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      return KEYS.get(i);
    }
  }

  /** A decoded KRB5PrincipalName (RFC 4556 3.2.2). */
  record Krb5PrincipalName(String realm, int nameType, List<String> components) {}

  static List<GeneralName> subjectAltNames(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (ext == null) {
      return List.of();
    }
    GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
    return List.of(names.getNames());
  }

  static List<Krb5PrincipalName> pkinitSans(X509Certificate cert) {
    List<Krb5PrincipalName> out = new ArrayList<>();
    for (GeneralName name : subjectAltNames(cert)) {
      if (name.getTagNo() != GeneralName.otherName) {
        continue;
      }
      OtherName other = OtherName.getInstance(name.getName());
      if (!other.getTypeID().getId().equals("1.3.6.1.5.2.2")) {
        continue;
      }
      ASN1Sequence seq = ASN1Sequence.getInstance(other.getValue());
      ASN1TaggedObject realmTag = ASN1TaggedObject.getInstance(seq.getObjectAt(0));
      ASN1TaggedObject nameTag = ASN1TaggedObject.getInstance(seq.getObjectAt(1));
      require(realmTag.getTagNo() == 0 && realmTag.isExplicit(), "realm must be [0] EXPLICIT");
      require(nameTag.getTagNo() == 1 && nameTag.isExplicit(), "principalName must be [1] EXPLICIT");
      ASN1Primitive realm = realmTag.getExplicitBaseObject().toASN1Primitive();
      require(realm instanceof DERGeneralString, "realm must be a GeneralString, was " + realm.getClass());
      ASN1Sequence principalName = ASN1Sequence.getInstance(nameTag.getExplicitBaseObject());
      ASN1TaggedObject typeTag = ASN1TaggedObject.getInstance(principalName.getObjectAt(0));
      ASN1TaggedObject stringsTag = ASN1TaggedObject.getInstance(principalName.getObjectAt(1));
      require(typeTag.getTagNo() == 0 && typeTag.isExplicit(), "name-type must be [0] EXPLICIT");
      require(stringsTag.getTagNo() == 1 && stringsTag.isExplicit(), "name-string must be [1] EXPLICIT");
      int type = ASN1Integer.getInstance(typeTag.getExplicitBaseObject()).intValueExact();
      List<String> components = new ArrayList<>();
      for (ASN1Encodable s : ASN1Sequence.getInstance(stringsTag.getExplicitBaseObject())) {
        require(s.toASN1Primitive() instanceof DERGeneralString, "name components must be GeneralStrings");
        components.add(((ASN1String) s.toASN1Primitive()).getString());
      }
      out.add(new Krb5PrincipalName(((ASN1String) realm).getString(), type, components));
    }
    return out;
  }

  static List<String> upns(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    for (GeneralName name : subjectAltNames(cert)) {
      if (name.getTagNo() == GeneralName.otherName) {
        OtherName other = OtherName.getInstance(name.getName());
        if (other.getTypeID().getId().equals("1.3.6.1.4.1.311.20.2.3")) {
          out.add(((ASN1String) other.getValue().toASN1Primitive()).getString());
        }
      }
    }
    return out;
  }

  static List<String> dnsNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    for (GeneralName name : subjectAltNames(cert)) {
      if (name.getTagNo() == GeneralName.dNSName) {
        out.add(((ASN1String) name.getName()).getString());
      }
    }
    return out;
  }

  static List<String> crlDistributionPoints(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
    if (ext == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    CRLDistPoint cdp = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
    for (DistributionPoint dp : cdp.getDistributionPoints()) {
      for (GeneralName name : GeneralNames.getInstance(dp.getDistributionPoint().getName()).getNames()) {
        if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
          out.add(((ASN1String) name.getName()).getString());
        }
      }
    }
    return out;
  }

  /** Key usage bits set, by RFC 5280 name. */
  static List<String> keyUsage(X509Certificate cert) {
    String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    boolean[] bits = cert.getKeyUsage();
    List<String> out = new ArrayList<>();
    if (bits != null) {
      for (int i = 0; i < bits.length && i < names.length; i++) {
        if (bits[i]) {
          out.add(names[i]);
        }
      }
    }
    return out;
  }

  static X509CRL crl(byte[] der) throws GeneralSecurityException {
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  static byte[] readAll(java.io.InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
