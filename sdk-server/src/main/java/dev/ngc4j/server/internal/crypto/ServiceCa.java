package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.server.internal.util.Guids;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The service's certificate authority: an ECDSA P-256 key and a self-signed certificate, created once and kept
 * (encrypted) in the directory. It issues the device certificates of joins and the HTTPS server certificate.
 *
 * <p>Device certificates follow what Entra ID issues: subject {@code CN=<device id>}, the extensions
 * 1.2.840.113556.1.5.284.2 (device id), .3 (object id of the joining user), .5 (tenant id) — each the 16 bytes of
 * the Windows {@code GUID} structure in an OCTET STRING — .7 (join type, "1" joined, "0" registered) and .8
 * (region), both ASCII in an OCTET STRING; key usage digitalSignature and keyEncipherment; extended key usage
 * clientAuth. All BouncyCastle work uses the provider instance from {@link Bc}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class ServiceCa {
  /** Device id extension. */
  public static final String OID_DEVICE_ID = "1.2.840.113556.1.5.284.2";
  /** Object id of the user who joined the device. */
  public static final String OID_USER_ID = "1.2.840.113556.1.5.284.3";
  /** Tenant id extension. */
  public static final String OID_TENANT_ID = "1.2.840.113556.1.5.284.5";
  /** Join type extension ("1" joined, "0" registered). */
  public static final String OID_JOIN_TYPE = "1.2.840.113556.1.5.284.7";
  /** Tenant region extension. */
  public static final String OID_REGION = "1.2.840.113556.1.5.284.8";

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Duration CA_VALIDITY = Duration.ofDays(365L * 30);
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final String REGION = "EU";

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final X500Name name;

  private ServiceCa(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
    this.name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  /**
   * Creates a new CA key and self-signed certificate and returns their encoding (for
   * {@link #decode}); the caller seals it before storing.
   *
   * @param now the current time
   * @return {@code len || PKCS#8 key || len || DER certificate}
   * @throws GeneralSecurityException if the key or certificate cannot be made
   */
  public static byte[] newEncoded(Instant now) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.provider());
    generator.initialize(new ECGenParameterSpec("secp256r1"), Jca.RANDOM);
    KeyPair pair = generator.generateKeyPair();
    return selfSignedCa(pair, "ngc4j Service CA", now, CA_VALIDITY, signer(pair.getPrivate()));
  }

  /**
   * Makes a self-signed CA certificate (basic constraints CA with path length 0, key usage keyCertSign and
   * cRLSign, a subject key identifier, subject {@code CN=<name> <8 random hex digits>, O=ngc4j}, back-dated an
   * hour) and encodes it with its key. Shared by the service CA and the AIK CA.
   *
   * @param pair the CA's key pair
   * @param name the common name's prefix
   * @param now the current time
   * @param validity how long the certificate is valid
   * @param signer the signer for the pair's private key
   * @return {@code len || PKCS#8 key || len || DER certificate}; the caller clears it
   * @throws GeneralSecurityException if the certificate cannot be built
   */
  public static byte[] selfSignedCa(KeyPair pair, String name, Instant now, Duration validity, ContentSigner signer)
      throws GeneralSecurityException {
    byte[] suffix = new byte[4];
    Jca.RANDOM.nextBytes(suffix);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, name + " " + HexFormat.of().formatHex(suffix))
        .addRDN(BCStyle.O, "ngc4j")
        .build();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        subject, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, spki);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
      byte[] cert = builder.build(signer).getEncoded();
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      try {
        return ByteBuffer.allocate(8 + pkcs8.length + cert.length)
            .putInt(pkcs8.length).put(pkcs8).putInt(cert.length).put(cert).array();
      } finally {
        Arrays.fill(pkcs8, (byte) 0);
      }
    } catch (IOException e) {
      throw new GeneralSecurityException("the " + name + " certificate could not be built", e);
    }
  }

  /**
   * Reads what {@link #newEncoded} produced.
   *
   * @param encoded the encoding
   * @return the CA
   * @throws GeneralSecurityException if the encoding is damaged
   */
  public static ServiceCa decode(byte[] encoded) throws GeneralSecurityException {
    try {
      ByteBuffer in = ByteBuffer.wrap(encoded);
      byte[] pkcs8 = new byte[in.getInt()];
      in.get(pkcs8);
      byte[] cert = new byte[in.getInt()];
      in.get(cert);
      if (in.hasRemaining()) {
        throw new GeneralSecurityException("trailing bytes after the CA encoding");
      }
      PrivateKey key = KeyFactory.getInstance("EC", Bc.provider()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      Arrays.fill(pkcs8, (byte) 0);
      return new ServiceCa(key, certificate(cert));
    } catch (RuntimeException e) {
      throw new GeneralSecurityException("the CA encoding is damaged", e);
    }
  }

  /**
   * Returns the CA certificate.
   *
   * @return the self-signed certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a device certificate.
   *
   * @param spki the device key (from the verified CSR)
   * @param deviceId the device id
   * @param userId the object id of the joining user
   * @param tenantId the tenant id
   * @param joined true for an Entra join (JoinType 0), false for a registration (4)
   * @param now the current time
   * @param validity how long the certificate is valid
   * @return the DER certificate
   * @throws GeneralSecurityException if signing fails
   */
  public byte[] issueDevice(
      SubjectPublicKeyInfo spki, UUID deviceId, UUID userId, UUID tenantId, boolean joined, Instant now,
      Duration validity) throws GeneralSecurityException {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId.toString()).build();
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        name, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, spki);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(spki));
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      octets(builder, OID_DEVICE_ID, Guids.windowsBytes(deviceId));
      octets(builder, OID_USER_ID, Guids.windowsBytes(userId));
      octets(builder, OID_TENANT_ID, Guids.windowsBytes(tenantId));
      octets(builder, OID_JOIN_TYPE, (joined ? "1" : "0").getBytes(StandardCharsets.US_ASCII));
      octets(builder, OID_REGION, REGION.getBytes(StandardCharsets.US_ASCII));
      return builder.build(signer(key)).getEncoded();
    } catch (IOException e) {
      throw new GeneralSecurityException("the device certificate could not be built", e);
    }
  }

  /**
   * Issues a TLS server certificate.
   *
   * @param publicKey the server key
   * @param dnsNames the DNS names for the SAN
   * @param ipAddresses the IP addresses (text form) for the SAN
   * @param now the current time
   * @param validity how long the certificate is valid
   * @return the certificate
   * @throws GeneralSecurityException if signing fails
   */
  public X509Certificate issueServer(
      PublicKey publicKey, List<String> dnsNames, List<String> ipAddresses, Instant now, Duration validity)
      throws GeneralSecurityException {
    String cn = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        name, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, spki);
    List<GeneralName> names = new ArrayList<>();
    for (String dns : dnsNames) {
      names.add(new GeneralName(GeneralName.dNSName, dns));
    }
    for (String ip : ipAddresses) {
      names.add(new GeneralName(GeneralName.iPAddress, ip));
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(
          Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
      return certificate(builder.build(signer(key)).getEncoded());
    } catch (IOException e) {
      throw new GeneralSecurityException("the server certificate could not be built", e);
    }
  }

  private static void octets(X509v3CertificateBuilder builder, String oid, byte[] value) throws CertIOException {
    builder.addExtension(new ASN1ObjectIdentifier(oid), false, new DEROctetString(value));
  }

  private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setProvider(Bc.provider()).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no " + SIGNATURE_ALGORITHM + " signer", e);
    }
  }

  /**
   * A random positive 127-bit certificate serial number.
   *
   * @return the serial
   */
  public static BigInteger serial() {
    byte[] bytes = new byte[16];
    Jca.RANDOM.nextBytes(bytes);
    bytes[0] = (byte) ((bytes[0] & 0x7f) | 0x40); // positive, 127 bits, never zero
    return new BigInteger(1, bytes);
  }

  /**
   * Parses a DER certificate with the JDK's factory.
   *
   * @param der the certificate
   * @return the certificate
   * @throws GeneralSecurityException if it does not parse
   */
  public static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }
}
