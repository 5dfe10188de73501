package dev.ngc4j.core.internal.krb.pkinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData.ReplyException;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData.Verified;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** The CMS SignedData of PKINIT: the client's signed AuthPack and strict verification of the KDC's signed reply. */
final class PkinitSignedDataTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  // The PKI is built once per class to keep RSA key and certificate generation out of each test; NOW is the
  // instant every test passes to the code under test, so capturing it at class loading is intended.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant NOW = Instant.now();
  private static final KeyPair CA_KEY = PkiFixture.rsa();
  private static final KeyPair KDC_KEY = PkiFixture.rsa();
  private static final KeyPair CLIENT_KEY = PkiFixture.rsa();
  private static final PkiFixture.Ca CA =
      PkiFixture.root("CN=Test Root", CA_KEY, NOW.minusSeconds(86_400), NOW.plusSeconds(86_400 * 30));
  private static final X509Certificate KDC = kdcCertificate(KDC_KEY);
  private static final X509Certificate OTHER_KDC = kdcCertificate(CLIENT_KEY);

  /** A KDCDHKeyInfo-like content with a recognisable 40-byte run in it. */
  private static final byte[] CONTENT = der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
    new DEROctetString(run()), new ASN1Integer(123_456_789)
  }));

  private static byte[] run() {
    byte[] run = new byte[40];
    for (int i = 0; i < run.length; i++) {
      run[i] = (byte) (0xA0 + i);
    }
    return run;
  }

  private static byte[] der(org.bouncycastle.asn1.ASN1Object object) {
    try {
      return object.getEncoded(ASN1Encoding.DER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate kdcCertificate(KeyPair keys) {
    return CA.issue("CN=kdc.contoso.example", keys.getPublic())
        .keyUsage(KeyUsage.digitalSignature)
        .eku(PkiFixture.KDC)
        .san(PkiFixture.pkinitSan("CONTOSO.EXAMPLE", "krbtgt", "CONTOSO.EXAMPLE"))
        .build();
  }

  /** One signer of a SignedData: its JCA signature algorithm, key and certificate. */
  private record Signer(String algorithm, PrivateKey key, X509Certificate certificate) {}

  private static Signer kdcSigner() {
    return new Signer("SHA256withRSA", KDC_KEY.getPrivate(), KDC);
  }

  /** Builds a SignedData ContentInfo the way a KDC does, with the given signers and certificates. */
  private static byte[] signedData(
      ASN1ObjectIdentifier type, byte[] content, List<Signer> signers, List<X509Certificate> certificates,
      boolean encapsulate) throws Exception {
    CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
    for (Signer signer : signers) {
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(PkiFixture.signer(signer.algorithm(), signer.key()), signer.certificate()));
    }
    if (!certificates.isEmpty()) {
      generator.addCertificates(new JcaCertStore(certificates));
    }
    return generator.generate(new CMSProcessableByteArray(type, content), encapsulate)
        .toASN1Structure().getEncoded(ASN1Encoding.DER);
  }

  private static byte[] kdcReply() throws Exception {
    return signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(kdcSigner()), List.of(KDC), true);
  }

  private static ReplyException refused(byte[] contentInfo) {
    return assertThrows(ReplyException.class,
        () -> PkinitSignedData.verify(contentInfo, PkinitSignedData.ID_PKINIT_DH_KEY_DATA));
  }

  @Test
  void signAuthPackIsSignedDataOverTheAuthPack() throws Exception {
    X509Certificate client = ClientCertificates.keyTrust("alice@contoso.example", CLIENT_KEY.getPublic(),
        new ContainerSigner(KeyPairUnlockedKey.of(CLIENT_KEY)), NOW, Duration.ofHours(1), RANDOM);
    KeyPairUnlockedKey key = KeyPairUnlockedKey.of(CLIENT_KEY);

    byte[] signed = PkinitSignedData.signAuthPack(CONTENT, new ContainerSigner(key), List.of(client));

    ContentInfo info = ContentInfo.getInstance(signed);
    assertEquals(CMSObjectIdentifiers.signedData, info.getContentType());
    CMSSignedData cms = new CMSSignedData(signed);
    assertEquals("1.3.6.1.5.2.3.1", cms.getSignedContentTypeOID());
    assertArrayEquals(CONTENT, (byte[]) cms.getSignedContent().getContent());
    Collection<X509CertificateHolder> certificates = cms.getCertificates().getMatches(null);
    assertEquals(1, certificates.size());
    assertArrayEquals(client.getEncoded(), certificates.iterator().next().getEncoded());
    Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
    assertEquals(1, signers.size());
    SignerInformation signer = signers.iterator().next();
    assertEquals(NISTObjectIdentifiers.id_sha256, signer.getDigestAlgorithmID().getAlgorithm());
    assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(client)));
    assertEquals(1, key.signatures(), "one gesture-unlocked signature");
    // and our own verifier reads it back with the AuthPack content type
    Verified verified = PkinitSignedData.verify(signed, PkinitSignedData.ID_PKINIT_AUTH_DATA);
    assertArrayEquals(CONTENT, verified.content());
    assertEquals(client, verified.signer());
  }

  @Test
  void signAuthPackSendsTheWholeChain() throws Exception {
    X509Certificate client = CA.issue("CN=alice@contoso.example", CLIENT_KEY.getPublic()).build();
    byte[] signed = PkinitSignedData.signAuthPack(
        CONTENT, new ContainerSigner(KeyPairUnlockedKey.of(CLIENT_KEY)), List.of(client, CA.certificate()));
    Verified verified = PkinitSignedData.verify(signed, PkinitSignedData.ID_PKINIT_AUTH_DATA);
    assertEquals(client, verified.signer());
    assertEquals(2, verified.certificates().size());
    assertTrue(verified.certificates().contains(CA.certificate()));
  }

  @Test
  void acceptsAKdcReplySignedWithSha256() throws Exception {
    Verified verified = PkinitSignedData.verify(kdcReply(), PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
    assertArrayEquals(CONTENT, verified.content());
    assertEquals(KDC, verified.signer());
    assertEquals(List.of(KDC), verified.certificates());
  }

  @Test
  void findsTheSignerAmongSeveralCertificates() throws Exception {
    byte[] reply = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(kdcSigner()),
        List.of(CA.certificate(), OTHER_KDC, KDC), true);
    Verified verified = PkinitSignedData.verify(reply, PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
    assertEquals(KDC, verified.signer());
    assertEquals(3, verified.certificates().size());
  }

  @Test
  void acceptsEcdsaAndSha384() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair ecKey = ec.generateKeyPair();
    X509Certificate ecKdc = kdcCertificate(ecKey);
    byte[] ecdsa = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(new Signer("SHA256withECDSA", ecKey.getPrivate(), ecKdc)), List.of(ecKdc), true);
    assertEquals(ecKdc, PkinitSignedData.verify(ecdsa, PkinitSignedData.ID_PKINIT_DH_KEY_DATA).signer());

    byte[] sha384 = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(new Signer("SHA384withRSA", KDC_KEY.getPrivate(), KDC)), List.of(KDC), true);
    assertEquals(KDC, PkinitSignedData.verify(sha384, PkinitSignedData.ID_PKINIT_DH_KEY_DATA).signer());
  }

  @Test
  void refusesTheWrongContentType() throws Exception {
    byte[] authData =
        signedData(PkinitSignedData.ID_PKINIT_AUTH_DATA, CONTENT, List.of(kdcSigner()), List.of(KDC), true);
    ReplyException e = refused(authData);
    PkiFixture.assertMentions(e, "1.3.6.1.5.2.3.1");

    refused(signedData(CMSObjectIdentifiers.data, CONTENT, List.of(kdcSigner()), List.of(KDC), true));
  }

  @Test
  void refusesTwoSigners() throws Exception {
    byte[] two = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(kdcSigner(), new Signer("SHA256withRSA", CLIENT_KEY.getPrivate(), OTHER_KDC)),
        List.of(KDC, OTHER_KDC), true);
    ReplyException e = refused(two);
    PkiFixture.assertMentions(e, "2 signers");
  }

  @Test
  void refusesNoSigner() throws Exception {
    refused(signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(), List.of(KDC), true));
  }

  @Test
  void refusesAMissingSignerCertificate() throws Exception {
    refused(signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(kdcSigner()), List.of(), true));
    // a certificate is there, but not the signer's
    ReplyException e = refused(signedData(
        PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(kdcSigner()), List.of(OTHER_KDC), true));
    PkiFixture.assertMentions(e, "certificate");
  }

  @Test
  void refusesASha1Digest() throws Exception {
    byte[] sha1 = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(new Signer("SHA1withRSA", KDC_KEY.getPrivate(), KDC)), List.of(KDC), true);
    // the structure itself is sound: BouncyCastle verifies it
    SignerInformation signer = new CMSSignedData(sha1).getSignerInfos().getSigners().iterator().next();
    assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(KDC)));

    ReplyException e = refused(sha1);
    PkiFixture.assertMentions(e, "1.3.14.3.2.26");
  }

  @Test
  void refusesASignatureAlgorithmOutsideTheList() throws Exception {
    KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
    dsa.initialize(2048);
    KeyPair dsaKey = dsa.generateKeyPair();
    X509Certificate dsaKdc = kdcCertificate(dsaKey);
    byte[] reply = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(new Signer("SHA256withDSA", dsaKey.getPrivate(), dsaKdc)), List.of(dsaKdc), true);
    ReplyException e = refused(reply);
    PkiFixture.assertMentions(e, "not accepted");
  }

  @Test
  void refusesAFlippedByteInTheContent() throws Exception {
    byte[] reply = kdcReply();
    int at = indexOf(reply, run());
    assertTrue(at > 0, "the content is encapsulated in the encoding");
    reply[at + 20] ^= 0x01;
    ReplyException e = refused(reply);
    PkiFixture.assertMentions(e, "signature");
  }

  @Test
  void refusesASignatureByAnotherKey() throws Exception {
    // signed with CLIENT_KEY, but names KDC (whose key differs) as the signer
    byte[] reply = signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT,
        List.of(new Signer("SHA256withRSA", CLIENT_KEY.getPrivate(), KDC)), List.of(KDC), true);
    refused(reply);
  }

  @Test
  void refusesDetachedContent() throws Exception {
    refused(signedData(PkinitSignedData.ID_PKINIT_DH_KEY_DATA, CONTENT, List.of(kdcSigner()), List.of(KDC), false));
  }

  @Test
  void refusesGarbage() throws Exception {
    byte[] random = new byte[300];
    RANDOM.nextBytes(random);
    List<byte[]> garbage = new ArrayList<>(List.of(
        new byte[0],
        new byte[] {0x30},
        new byte[] {0x30, 0x00},
        new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        random,
        KDC.getEncoded(),
        CONTENT,
        der(new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(CONTENT))),
        der(new ContentInfo(CMSObjectIdentifiers.signedData, new DEROctetString(CONTENT))),
        der(new ContentInfo(CMSObjectIdentifiers.envelopedData, new DERSequence()))));
    for (byte[] bytes : garbage) {
      try {
        PkinitSignedData.verify(bytes, PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
        fail("accepted " + java.util.HexFormat.of().formatHex(bytes));
      } catch (ReplyException expected) {
        // the only outcome allowed
      }
    }
  }

  @Test
  void everyTruncationIsRefusedWithReplyException() throws Exception {
    byte[] reply = kdcReply();
    for (int length = 0; length < reply.length; length++) {
      byte[] prefix = Arrays.copyOf(reply, length);
      try {
        PkinitSignedData.verify(prefix, PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
        fail("accepted a truncation to " + length + " bytes");
      } catch (ReplyException expected) {
        // the only outcome allowed
      }
    }
  }

  @Test
  void everyByteFlipIsRefusedOrLeavesContentAndSignerKeyIntact() throws Exception {
    byte[] reply = kdcReply();
    int refused = 0;
    for (int i = 0; i < reply.length; i++) {
      byte[] changed = reply.clone();
      changed[i] ^= (byte) 0x41;
      Verified verified;
      try {
        verified = PkinitSignedData.verify(changed, PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
      } catch (ReplyException expected) {
        refused++;
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("byte " + i + " flipped: " + e, e);
      }
      // a flip in an unsigned part of the certificate can pass here (the certificate is validated elsewhere),
      // but the verified content and the key that signed it can never change
      assertArrayEquals(CONTENT, verified.content(), "byte " + i);
      RSAPublicKey expected = (RSAPublicKey) KDC_KEY.getPublic();
      RSAPublicKey signer = (RSAPublicKey) verified.signer().getPublicKey();
      assertEquals(expected.getModulus(), signer.getModulus(), "byte " + i);
      assertEquals(expected.getPublicExponent(), signer.getPublicExponent(), "byte " + i);
    }
    assertTrue(refused > reply.length / 2, refused + " of " + reply.length + " flips refused");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
