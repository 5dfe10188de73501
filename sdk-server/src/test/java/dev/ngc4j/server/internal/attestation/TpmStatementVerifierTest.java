package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.server.TpmAttestationException;
import dev.ngc4j.server.TpmAttestationException.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The verifier's cases that need a statement re-signed by the AK (so only with a software AK), and the AIK CA's
 * certificates through the verifier.
 */
final class TpmStatementVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
  private static final SoftTpm TPM = new SoftTpm();
  private static final TestPki.Ca CA = TestPki.root("ngc4j test AIK CA", NOW);
  private static final byte[] QD = SoftTpm.sha256(new byte[] {42});

  private static TpmStatementVerifier verifier() {
    return new TpmStatementVerifier(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
  }

  /** A statement for the user key whose TPMT_PUBLIC is edited first, certified and signed consistently. */
  private static AttestationStatement statement(Consumer<SoftTpm.PublicTemplate> edit, List<X509Certificate> chain,
      KeyPair signer) {
    SoftTpm.PublicTemplate t = SoftTpm.userTemplate((RSAPublicKey) TPM.user.getPublic());
    edit.accept(t);
    byte[] pub = t.marshal();
    byte[] info = TPM.certify(pub, QD).marshal();
    return new AttestationStatement(AttestationFormat.TPM, chain, Bytes.of(info), Bytes.of(pub),
        Bytes.of(SoftTpm.sign(signer.getPrivate(), "SHA256withRSA", info)));
  }

  private static List<X509Certificate> chain() {
    return List.of(TestPki.aikCertificate(CA, TPM.ak.getPublic(), new TestPki.AikProfile(NOW)), CA.certificate);
  }

  @Test
  void aNullSchemeAndAnExplicitExponentAreAccepted() throws Exception {
    verifier().verify(statement(t -> t.scheme = Tpm.ALG_NULL, chain(), TPM.ak), TPM.user.getPublic(), Bytes.of(QD),
        List.of(CA.certificate));
    verifier().verify(statement(t -> t.exponent = 65537, chain(), TPM.ak), TPM.user.getPublic(), Bytes.of(QD),
        List.of(CA.certificate));
  }

  @Test
  void aChainThroughAnIntermediateIsAccepted() throws Exception {
    TestPki.Ca intermediate = TestPki.intermediate(CA, "AIK issuing CA", NOW);
    X509Certificate aik = TestPki.aikCertificate(intermediate, TPM.ak.getPublic(), new TestPki.AikProfile(NOW));
    TpmStatementVerifier.Verified v = verifier().verify(
        statement(t -> {}, List.of(aik, intermediate.certificate, CA.certificate), TPM.ak), TPM.user.getPublic(),
        Bytes.of(QD), List.of(CA.certificate));
    assertEquals(CA.certificate, v.trustAnchor());
    // without the intermediate the path cannot be built
    TpmAttestationException e = assertThrows(TpmAttestationException.class, () -> verifier().verify(
        statement(t -> {}, List.of(aik), TPM.ak), TPM.user.getPublic(), Bytes.of(QD), List.of(CA.certificate)));
    assertEquals(Reason.AIK_CHAIN, e.reason());
  }

  @Test
  void anAikKeyBelow2048BitsIsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    KeyPair small = g.generateKeyPair();
    X509Certificate aik = TestPki.aikCertificate(CA, small.getPublic(), new TestPki.AikProfile(NOW));
    TpmAttestationException e = assertThrows(TpmAttestationException.class, () -> verifier().verify(
        statement(t -> {}, List.of(aik, CA.certificate), small), TPM.user.getPublic(), Bytes.of(QD),
        List.of(CA.certificate)));
    assertEquals(Reason.SIGNATURE_ALGORITHM, e.reason());
  }

  @Test
  void aCertificateOfTheServicesAikCaVerifies() throws Exception {
    AikCa ca = AikCa.decode(AikCa.newEncoded(NOW));
    TpmIdentity tpm = new TpmIdentity("id:00001014", "swtpm", "id:20191023",
        TestPki.tpmName("id:00001014", "swtpm", "id:20191023", false));
    X509Certificate aik = TestPki.jdk(ca.issue((RSAPublicKey) TPM.ak.getPublic(), tpm, NOW, Duration.ofDays(30)));
    TpmStatementVerifier.Verified v = verifier().verify(statement(t -> {}, List.of(aik, ca.certificate()), TPM.ak),
        TPM.user.getPublic(), Bytes.of(QD), List.of(ca.certificate()));
    assertEquals(ca.certificate(), v.trustAnchor());
    assertEquals("id:00001014/swtpm/id:20191023", v.tpm().describe());
    assertEquals("SHA256withRSA", aik.getSigAlgName());
    assertEquals(2048, ((RSAPublicKey) ca.certificate().getPublicKey()).getModulus().bitLength());
  }

  @Test
  void theDigestOfAPkcs1SignatureIsNamed() {
    byte[] data = {1, 2, 3};
    RSAPublicKey key = (RSAPublicKey) TPM.ak.getPublic();
    assertEquals("1.3.14.3.2.26", TpmStatementVerifier.pkcs1DigestAlgorithm(key,
        SoftTpm.sign(TPM.ak.getPrivate(), "SHA1withRSA", data)));
    assertEquals("2.16.840.1.101.3.4.2.1", TpmStatementVerifier.pkcs1DigestAlgorithm(key,
        SoftTpm.sign(TPM.ak.getPrivate(), "SHA256withRSA", data)));
    assertNull(TpmStatementVerifier.pkcs1DigestAlgorithm(key, new byte[256]));
    assertNull(TpmStatementVerifier.pkcs1DigestAlgorithm(key,
        SoftTpm.sign(TPM.user.getPrivate(), "SHA256withRSA", data)));
  }

  @Test
  void theRefusalMessageCarriesTheCodeTheDetailAndARemedy() {
    TpmAttestationException e = assertThrows(TpmAttestationException.class, () -> verifier().verify(
        statement(t -> t.attributes |= Tpm.NO_DA, chain(), TPM.ak), TPM.user.getPublic(), Bytes.of(QD),
        List.of(CA.certificate)));
    assertEquals(Reason.ATTRIBUTES, e.reason());
    assertTrue(e.getMessage().startsWith("tpm_attributes: pubArea's attributes are 0x00040472"), e.getMessage());
    assertTrue(e.getMessage().contains("not allowed: noDA"), e.getMessage());
    assertTrue(e.getMessage().contains("[ATTESTATION_INVALID]. Remedy: create the key with"), e.getMessage());
  }
}
