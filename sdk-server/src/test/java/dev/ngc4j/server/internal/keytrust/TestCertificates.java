package dev.ngc4j.server.internal.keytrust;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.jspecify.annotations.Nullable;

/**
 * Builds PKINIT key-trust certificates for tests: by default the profile of docs/kerberos.md §4.1 (self-signed,
 * v3, {@code CN=<UPN>}, basicConstraints critical CA:FALSE, keyUsage critical digitalSignature, EKU
 * id-pkinit-KPClientAuth + msSmartcardLogin, sha256WithRSA), with every part changeable to make a bad one. The
 * signature comes from a {@link Signer}, so it can be made through a key container as well as with a private key.
 */
public final class TestCertificates {
  /** id-pkinit-KPClientAuth. */
  public static final String PKINIT_CLIENT_AUTH = "1.3.6.1.5.2.3.4";
  /** msSmartcardLogin. */
  public static final String SMARTCARD_LOGON = "1.3.6.1.4.1.311.20.2.2";

  private static final Provider BC = new BouncyCastleProvider();
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** Signs the to-be-signed bytes of a certificate. */
  @FunctionalInterface
  public interface Signer {
    /**
     * Signs.
     *
     * @param tbs the DER TBSCertificate
     * @return the signature
     * @throws Exception if signing fails
     */
    byte[] sign(byte[] tbs) throws Exception;
  }

  private TestCertificates() {}

  /**
   * Starts a key-trust certificate for a key pair, signed by its own private key.
   *
   * @param upn the UPN for the CN
   * @param key the key pair
   * @return the spec
   */
  public static Spec keyTrust(String upn, KeyPair key) {
    return new Spec(upn, key.getPublic(), with(key.getPrivate(), "SHA256withRSA"));
  }

  /**
   * Starts a key-trust certificate for a public key whose signatures come from elsewhere (a key container).
   *
   * @param upn the UPN for the CN
   * @param key the public key
   * @param signer makes sha256WithRSA signatures with the key's private half
   * @return the spec
   */
  public static Spec keyTrust(String upn, PublicKey key, Signer signer) {
    return new Spec(upn, key, signer);
  }

  /**
   * A signer with a private key through BouncyCastle (as an instance, never registered).
   *
   * @param key the private key
   * @param algorithm the JCA algorithm, such as {@code SHA256withRSA} or {@code SHA256withRSAandMGF1}
   * @return the signer
   */
  public static Signer with(PrivateKey key, String algorithm) {
    return tbs -> {
      Signature s = Signature.getInstance(algorithm, BC);
      s.initSign(key);
      s.update(tbs);
      return s.sign();
    };
  }

  /**
   * Generates an RSA key pair.
   *
   * @param bits the modulus size
   * @return the pair
   * @throws Exception if the JDK cannot
   */
  public static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  /**
   * Generates a P-256 key pair.
   *
   * @return the pair
   * @throws Exception if the JDK cannot
   */
  public static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** A certificate under construction. */
  public static final class Spec {
    private String subject;
    private @Nullable String issuer;
    private final PublicKey publicKey;
    private Signer signer;
    private String algorithm = "SHA256withRSA";
    private boolean v1;
    private @Nullable Boolean ca = Boolean.FALSE;
    private int keyUsage = KeyUsage.digitalSignature;
    private boolean eku = true;
    private Instant notBefore = Instant.now().minus(Duration.ofMinutes(10));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(1));

    private Spec(String upn, PublicKey publicKey, Signer signer) {
      this.subject = "CN=" + upn;
      this.publicKey = publicKey;
      this.signer = signer;
    }

    /** Sets the subject (and, unless set, the issuer). */
    public Spec subject(String dn) {
      this.subject = dn;
      return this;
    }

    /** Sets an issuer other than the subject. */
    public Spec issuer(String dn) {
      this.issuer = dn;
      return this;
    }

    /** Signs with another signer and algorithm (the algorithm names the AlgorithmIdentifier written). */
    public Spec signedBy(Signer other, String jcaAlgorithm) {
      this.signer = other;
      this.algorithm = jcaAlgorithm;
      return this;
    }

    /** Makes an X.509 v1 certificate (no extensions). */
    public Spec v1() {
      this.v1 = true;
      return this;
    }

    /** Sets basicConstraints CA:TRUE or CA:FALSE, or null for no basicConstraints extension. */
    public Spec ca(@Nullable Boolean isCa) {
      this.ca = isCa;
      return this;
    }

    /** Sets the keyUsage bits (BouncyCastle's {@link KeyUsage} constants), or 0 for no keyUsage extension. */
    public Spec keyUsage(int bits) {
      this.keyUsage = bits;
      return this;
    }

    /** Leaves the EKU extension out. */
    public Spec noEku() {
      this.eku = false;
      return this;
    }

    /** Sets the validity period. */
    public Spec validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** Builds and signs the certificate. */
    public X509Certificate build() throws Exception {
      X500Name subjectName = new X500Name(subject);
      X500Name issuerName = new X500Name(issuer != null ? issuer : subject);
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
      BigInteger serial = BigInteger.valueOf(SERIAL.incrementAndGet()).abs().setBit(62);
      ContentSigner contentSigner = new BufferingSigner(
          new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm), signer);
      X509CertificateHolder holder;
      if (v1) {
        holder = new X509v1CertificateBuilder(issuerName, serial, Date.from(notBefore), Date.from(notAfter),
            subjectName, spki).build(contentSigner);
      } else {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, serial, Date.from(notBefore),
            Date.from(notAfter), subjectName, spki);
        if (ca != null) {
          b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        }
        if (keyUsage != 0) {
          b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        if (eku) {
          b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
              KeyPurposeId.getInstance(new ASN1ObjectIdentifier(PKINIT_CLIENT_AUTH)),
              KeyPurposeId.getInstance(new ASN1ObjectIdentifier(SMARTCARD_LOGON))}));
        }
        holder = b.build(contentSigner);
      }
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    }
  }

  /** A ContentSigner that collects the TBS bytes and hands them to a {@link Signer}. */
  private static final class BufferingSigner implements ContentSigner {
    private final AlgorithmIdentifier algorithm;
    private final Signer signer;
    private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

    BufferingSigner(AlgorithmIdentifier algorithm, Signer signer) {
      this.algorithm = algorithm;
      this.signer = signer;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return tbs;
    }

    @Override
    public byte[] getSignature() {
      try {
        return signer.sign(tbs.toByteArray());
      } catch (Exception e) {
        throw new IllegalStateException("signing the certificate failed", e);
      }
    }
  }
}
