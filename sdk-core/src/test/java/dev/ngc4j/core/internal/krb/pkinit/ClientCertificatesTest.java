package dev.ngc4j.core.internal.krb.pkinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserVerificationException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The key-trust certificate profile and the certificate-trust PKCS#10 request, signed through a container. */
final class ClientCertificatesTest {
  private static final String UPN = "alice@contoso.example";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The credential key the container holds. */
  private static final KeyPair CREDENTIAL = PkiFixture.rsa();
  /** Another key, for a container that signs with the wrong key. */
  private static final KeyPair OTHER = PkiFixture.rsa();

  private static X509Certificate keyTrust(Instant now, Duration validity) throws GeneralSecurityException {
    return ClientCertificates.keyTrust(
        UPN, CREDENTIAL.getPublic(), new ContainerSigner(KeyPairUnlockedKey.of(CREDENTIAL)), now, validity, RANDOM);
  }

  private static String commonName(X500Name name) {
    RDN[] rdns = name.getRDNs();
    assertEquals(1, rdns.length, "exactly one RDN: " + name);
    assertEquals(BCStyle.CN, rdns[0].getFirst().getType());
    return ((ASN1String) rdns[0].getFirst().getValue()).getString();
  }

  @Test
  void keyTrustCertificateHasTheProfile() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X509Certificate certificate = keyTrust(now, Duration.ofHours(8));

    // self-signed by the credential key, CN = UPN
    assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
    assertEquals(UPN, commonName(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())));
    certificate.verify(CREDENTIAL.getPublic());
    assertEquals(CREDENTIAL.getPublic(), certificate.getPublicKey());
    assertEquals("1.2.840.113549.1.1.11", certificate.getSigAlgOID(), "sha256WithRSAEncryption");
    assertEquals(3, certificate.getVersion());
    assertTrue(certificate.getSerialNumber().signum() > 0);
    assertTrue(certificate.getSerialNumber().bitLength() >= 64, "an unpredictable serial");

    // basicConstraints: present, critical, CA:FALSE
    byte[] bc = certificate.getExtensionValue(Extension.basicConstraints.getId());
    assertNotNull(bc, "basicConstraints present");
    assertFalse(BasicConstraints.getInstance(ASN1OctetString.getInstance(bc).getOctets()).isCA());
    assertTrue(certificate.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
    assertEquals(-1, certificate.getBasicConstraints());
    assertFalse(ClientCertificates.isCa(certificate));

    // keyUsage: critical, digitalSignature only
    assertTrue(certificate.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
    boolean[] keyUsage = certificate.getKeyUsage();
    assertNotNull(keyUsage);
    assertTrue(keyUsage[0], "digitalSignature");
    for (int i = 1; i < keyUsage.length; i++) {
      assertFalse(keyUsage[i], "key usage bit " + i);
    }

    // EKU: PKINIT client and smart-card logon, nothing else
    assertEquals(List.of("1.3.6.1.5.2.3.4", "1.3.6.1.4.1.311.20.2.2"), certificate.getExtendedKeyUsage());
    assertEquals(
        java.util.Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId()),
        certificate.getCriticalExtensionOIDs());

    // validity: backdated 5 minutes, valid for the asked period
    assertEquals(now.minus(Duration.ofMinutes(5)), certificate.getNotBefore().toInstant());
    assertEquals(now.plus(Duration.ofHours(8)), certificate.getNotAfter().toInstant());

    // SKI present and the SHA-1 of the public key bits (RFC 5280 4.2.1.2 method 1)
    byte[] ski = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    assertNotNull(ski, "subjectKeyIdentifier present");
    byte[] keyBits = SubjectPublicKeyInfo.getInstance(CREDENTIAL.getPublic().getEncoded()).getPublicKeyData().getBytes();
    assertArrayEquals(
        MessageDigest.getInstance("SHA-1").digest(keyBits),
        SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier());
  }

  @Test
  void keyTrustSerialsDiffer() throws Exception {
    Instant now = Instant.now();
    BigInteger first = keyTrust(now, Duration.ofHours(1)).getSerialNumber();
    BigInteger second = keyTrust(now, Duration.ofHours(1)).getSerialNumber();
    assertFalse(first.equals(second));
  }

  @Test
  void keyTrustRefusesASignatureByAnotherKey() {
    ContainerSigner wrongKey = new ContainerSigner(KeyPairUnlockedKey.of(OTHER));
    assertThrows(GeneralSecurityException.class, () -> ClientCertificates.keyTrust(
        UPN, CREDENTIAL.getPublic(), wrongKey, Instant.now(), Duration.ofHours(1), RANDOM));
  }

  @Test
  void keyTrustCarriesTheContainerFailureForUnwrap() {
    UserVerificationException wrong = UserVerificationException.wrongGesture("the PIN is wrong", 3);
    KeyPairUnlockedKey key = KeyPairUnlockedKey.failing(CREDENTIAL, wrong);
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> ClientCertificates.keyTrust(
        UPN, CREDENTIAL.getPublic(), new ContainerSigner(key), Instant.now(), Duration.ofHours(1), RANDOM));
    assertSame(wrong, ContainerSigner.unwrap(thrown));
    assertEquals(1, key.signatures());
  }

  @Test
  void certificationRequestIsSignedAndAsksForTheLogonProfile() throws Exception {
    byte[] der = ClientCertificates.certificationRequest(
        UPN, CREDENTIAL.getPublic(), new ContainerSigner(KeyPairUnlockedKey.of(CREDENTIAL)));
    PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);

    assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(CREDENTIAL.getPublic())));
    assertFalse(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(OTHER.getPublic())));
    assertEquals(PKCSObjectIdentifiers.sha256WithRSAEncryption, request.getSignatureAlgorithm().getAlgorithm());
    assertEquals(UPN, commonName(request.getSubject()));
    assertArrayEquals(CREDENTIAL.getPublic().getEncoded(), request.getSubjectPublicKeyInfo().getEncoded());

    Attribute[] attributes = request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    assertEquals(1, attributes.length);
    Extensions extensions = Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));

    GeneralNames san = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    assertNotNull(san);
    GeneralName[] names = san.getNames();
    assertEquals(1, names.length);
    assertEquals(GeneralName.otherName, names[0].getTagNo());
    ASN1Sequence otherName = ASN1Sequence.getInstance(names[0].getName());
    assertEquals(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"), otherName.getObjectAt(0));
    ASN1TaggedObject value = ASN1TaggedObject.getInstance(otherName.getObjectAt(1));
    assertEquals(0, value.getTagNo());
    assertTrue(value.isExplicit());
    ASN1Encodable upn = value.getExplicitBaseObject();
    assertEquals(UPN, DERUTF8String.getInstance(upn).getString());

    assertFalse(BasicConstraints.fromExtensions(extensions).isCA());
    assertEquals(new KeyUsage(KeyUsage.digitalSignature), KeyUsage.fromExtensions(extensions));
    ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(extensions);
    assertTrue(eku.hasKeyPurposeId(KeyPurposeId.getInstance(ClientCertificates.ID_PKINIT_KP_CLIENT_AUTH)));
    assertTrue(eku.hasKeyPurposeId(KeyPurposeId.getInstance(ClientCertificates.MS_SMARTCARD_LOGON)));
  }

  @Test
  void certificationRequestRefusesASignatureByAnotherKey() {
    ContainerSigner wrongKey = new ContainerSigner(KeyPairUnlockedKey.of(OTHER));
    assertThrows(GeneralSecurityException.class,
        () -> ClientCertificates.certificationRequest(UPN, CREDENTIAL.getPublic(), wrongKey));
  }

  @Test
  void containerFailurePropagatesUnwrappedThroughSignAuthPack() throws Exception {
    X509Certificate certificate = keyTrust(Instant.now(), Duration.ofHours(1));
    UserVerificationException wrong = UserVerificationException.wrongGesture("the PIN is wrong", 2);
    KeyPairUnlockedKey key = KeyPairUnlockedKey.failing(CREDENTIAL, wrong);

    NgcException thrown = assertThrows(NgcException.class, () -> PkinitSignedData.signAuthPack(
        new byte[] {0x30, 0x00}, new ContainerSigner(key), List.of(certificate)));

    assertSame(wrong, thrown, "the container's own exception, not a wrapper");
    assertEquals(ErrorCode.WRONG_GESTURE, thrown.code());
    assertEquals(2, ((UserVerificationException) thrown).attemptsRemaining());
  }

  @Test
  void containerSignerSignsWhatWasWrittenAndResets() throws Exception {
    KeyPairUnlockedKey key = KeyPairUnlockedKey.of(CREDENTIAL);
    ContainerSigner signer = new ContainerSigner(key);
    assertEquals(PKCSObjectIdentifiers.sha256WithRSAEncryption, signer.getAlgorithmIdentifier().getAlgorithm());
    byte[] message = "to be signed".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    signer.getOutputStream().write(message);
    byte[] first = signer.getSignature();
    signer.getOutputStream().write(message);
    byte[] second = signer.getSignature();

    java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
    verifier.initVerify(CREDENTIAL.getPublic());
    verifier.update(message);
    assertTrue(verifier.verify(first));
    assertArrayEquals(first, second, "PKCS#1 v1.5 is deterministic: the buffer was reset after the first");
    assertEquals(2, key.signatures());
  }

  @Test
  void unwrapFindsNothingInOtherFailures() {
    assertEquals(null, ContainerSigner.unwrap(new IllegalStateException("x", new RuntimeException("y"))));
  }
}
