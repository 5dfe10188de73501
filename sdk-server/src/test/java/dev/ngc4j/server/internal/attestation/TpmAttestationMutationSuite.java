package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.server.TpmAttestationException;
import dev.ngc4j.server.TpmAttestationException.Reason;
import dev.ngc4j.server.TpmAttestationVerifier;
import dev.ngc4j.spi.AttestationVerification;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The mutation suite of the TPM attestation verifier: a valid baseline statement, then each field changed in
 * turn, each refused with its own reason. The baseline comes from {@link #baseline()}: a subclass supplies one made
 * in software, or one captured from a real TPM (swtpm) — no mutation needs the AK's private key, because the
 * verifier checks content before signatures, and the AIK certificate is re-issued for the same AK key by the
 * baseline's test CA.
 */
abstract class TpmAttestationMutationSuite {
  /**
   * A statement that verifies, and what it was verified with.
   *
   * @param statement the statement (AIK certificate first)
   * @param credentialKey the key being registered (the certified key)
   * @param qualifyingData certInfo's extraData
   * @param aikCa the CA that issued the AIK certificate (the trust anchor; its key re-issues mutated certificates)
   * @param now the time at which the statement is valid
   */
  record Baseline(
      AttestationStatement statement, PublicKey credentialKey, Bytes qualifyingData, TestPki.Ca aikCa, Instant now) {}

  /** Supplies the baseline; called once per test. */
  protected abstract Baseline baseline();

  /**
   * Makes a baseline from a statement captured from a TPM: the TPMS_ATTEST, TPMT_PUBLIC and signature exactly as
   * TPM2_Certify returned them, the AK's public key (from its TPMT_PUBLIC or AIK certificate), the certified key,
   * and the qualifying data given to TPM2_Certify. A test AIK CA certifies the AK with the service's profile.
   *
   * @param certInfo the TPMS_ATTEST
   * @param pubArea the certified key's TPMT_PUBLIC
   * @param signature the AK's RSASSA signature over certInfo
   * @param akKey the AK's public key
   * @param credentialKey the certified key
   * @param qualifyingData the qualifying data
   * @return the baseline
   */
  static Baseline captured(byte[] certInfo, byte[] pubArea, byte[] signature, PublicKey akKey,
      PublicKey credentialKey, byte[] qualifyingData) {
    Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    TestPki.Ca ca = TestPki.root("ngc4j test AIK CA", now);
    X509Certificate aik = TestPki.aikCertificate(ca, akKey, new TestPki.AikProfile(now));
    AttestationStatement statement = new AttestationStatement(AttestationFormat.TPM, List.of(aik, ca.certificate),
        Bytes.of(certInfo), Bytes.of(pubArea), Bytes.of(signature));
    return new Baseline(statement, credentialKey, Bytes.of(qualifyingData), ca, now);
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  private static final Duration SKEW = Duration.ofMinutes(5);

  private AttestationVerification verify(Baseline b, AttestationStatement s) throws AttestationException {
    return verifier(b.now()).verify(s, b.credentialKey(), b.qualifyingData(), List.of(b.aikCa().certificate));
  }

  private static TpmAttestationVerifier verifier(Instant now) {
    return TpmAttestationVerifier.create(Clock.fixed(now, java.time.ZoneOffset.UTC), SKEW);
  }

  private static TpmAttestationException refused(Reason expected, ThrowingCall call) {
    TpmAttestationException e = assertThrows(TpmAttestationException.class, call::run);
    assertEquals(expected, e.reason(), e.getMessage());
    assertEquals(ErrorCode.ATTESTATION_INVALID, e.code());
    assertTrue(e.detail().startsWith(expected.code() + ": "), e.detail());
    assertTrue(e.detail().length() > expected.code().length() + 10, "the reason says what was found: " + e.detail());
    return e;
  }

  private interface ThrowingCall {
    void run() throws Exception;
  }

  private void refusedStatement(Reason expected, Baseline b, AttestationStatement s) {
    refused(expected, () -> verify(b, s));
  }

  private static AttestationStatement with(
      AttestationStatement s, List<X509Certificate> chain, byte[] certInfo, byte[] pubArea, byte[] sig) {
    return new AttestationStatement(s.format(), chain, Bytes.of(certInfo), Bytes.of(pubArea), Bytes.of(sig));
  }

  private static AttestationStatement withCertInfo(AttestationStatement s, byte[] certInfo) {
    return with(s, s.certificateChain(), certInfo, s.keyPublicArea().toByteArray(), s.signature().toByteArray());
  }

  private static AttestationStatement withPubArea(AttestationStatement s, byte[] pubArea) {
    return with(s, s.certificateChain(), s.certifiedKey().toByteArray(), pubArea, s.signature().toByteArray());
  }

  private static AttestationStatement withSignature(AttestationStatement s, byte[] sig) {
    return with(s, s.certificateChain(), s.certifiedKey().toByteArray(), s.keyPublicArea().toByteArray(), sig);
  }

  private static AttestationStatement withChain(AttestationStatement s, List<X509Certificate> chain) {
    return with(s, chain, s.certifiedKey().toByteArray(), s.keyPublicArea().toByteArray(), s.signature().toByteArray());
  }

  private static byte[] editAttest(AttestationStatement s, Consumer<SoftTpm.Attest> edit) throws Exception {
    SoftTpm.Attest a = SoftTpm.Attest.parse(s.certifiedKey().toByteArray());
    edit.accept(a);
    return a.marshal();
  }

  private static byte[] editPublic(AttestationStatement s, Consumer<SoftTpm.PublicTemplate> edit) throws Exception {
    SoftTpm.PublicTemplate t = SoftTpm.PublicTemplate.from(TpmPublicArea.parse(s.keyPublicArea().toByteArray()));
    edit.accept(t);
    return t.marshal();
  }

  /** The baseline with its AIK certificate re-issued (same AK key, same CA) under a changed profile. */
  private static AttestationStatement reissued(Baseline b, Consumer<TestPki.AikProfile> edit) {
    TestPki.AikProfile p = new TestPki.AikProfile(b.now());
    edit.accept(p);
    PublicKey ak = b.statement().certificateChain().get(0).getPublicKey();
    X509Certificate aik = TestPki.aikCertificate(b.aikCa(), ak, p);
    List<X509Certificate> chain = new ArrayList<>(b.statement().certificateChain());
    chain.set(0, aik);
    return withChain(b.statement(), chain);
  }

  // ---- the baseline ---------------------------------------------------------------------------------------

  @Test
  void theBaselineVerifies() throws Exception {
    Baseline b = baseline();
    AttestationVerification v = verify(b, b.statement());
    assertEquals(AttestationFormat.TPM, v.format());
    assertEquals(b.aikCa().certificate, v.trustAnchor());
    assertEquals(3, v.device().split("/").length, v.device());
  }

  @Test
  void aReissuedBaselineCertificateVerifies() throws Exception {
    Baseline b = baseline();
    verify(b, reissued(b, p -> {}));
  }

  // ---- format and structure -------------------------------------------------------------------------------

  @Test
  void anotherFormatIsRefused() {
    Baseline b = baseline();
    AttestationStatement s = b.statement();
    refusedStatement(Reason.FORMAT, b, new AttestationStatement(AttestationFormat.of("packed"), s.certificateChain(),
        s.certifiedKey(), s.keyPublicArea(), s.signature()));
  }

  @Test
  void aByteAfterCertInfoIsRefused() {
    Baseline b = baseline();
    byte[] info = b.statement().certifiedKey().toByteArray();
    refusedStatement(Reason.STRUCTURE, b, withCertInfo(b.statement(), Arrays.copyOf(info, info.length + 1)));
  }

  @Test
  void aByteAfterPubAreaIsRefused() {
    Baseline b = baseline();
    byte[] pub = b.statement().keyPublicArea().toByteArray();
    refusedStatement(Reason.STRUCTURE, b, withPubArea(b.statement(), Arrays.copyOf(pub, pub.length + 1)));
  }

  @Test
  void certInfoTruncatedAtEveryLengthIsRefused() {
    Baseline b = baseline();
    byte[] info = b.statement().certifiedKey().toByteArray();
    for (int n = 0; n < info.length; n++) {
      refusedStatement(Reason.STRUCTURE, b, withCertInfo(b.statement(), Arrays.copyOf(info, n)));
    }
  }

  @Test
  void pubAreaTruncatedAtEveryLengthIsRefused() {
    Baseline b = baseline();
    byte[] pub = b.statement().keyPublicArea().toByteArray();
    for (int n = 0; n < pub.length; n++) {
      refusedStatement(Reason.STRUCTURE, b, withPubArea(b.statement(), Arrays.copyOf(pub, n)));
    }
  }

  @Test
  void anOversizedNameFieldIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] info = editAttest(b.statement(), a -> a.name = new byte[67]);
    refusedStatement(Reason.STRUCTURE, b, withCertInfo(b.statement(), info));
  }

  @Test
  void aClockSafeValueOutsideYesNoIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] info = editAttest(b.statement(), a -> a.safe = 2);
    refusedStatement(Reason.STRUCTURE, b, withCertInfo(b.statement(), info));
  }

  // ---- certInfo -------------------------------------------------------------------------------------------

  @Test
  void aWrongMagicIsRefused() {
    Baseline b = baseline();
    byte[] info = b.statement().certifiedKey().toByteArray();
    info[3] ^= 0x01;
    refusedStatement(Reason.MAGIC, b, withCertInfo(b.statement(), info));
  }

  @Test
  void aQuoteInsteadOfACertifyIsRefused() {
    Baseline b = baseline();
    byte[] info = b.statement().certifiedKey().toByteArray();
    info[5] = 0x18; // TPM_ST_ATTEST_QUOTE
    refusedStatement(Reason.TYPE, b, withCertInfo(b.statement(), info));
  }

  @Test
  void aStaleOrOtherNonceIsRefused() {
    Baseline b = baseline();
    Bytes other = Bytes.of(SoftTpm.sha256("another nonce".getBytes(StandardCharsets.UTF_8)));
    refused(Reason.NONCE, () -> verifier(b.now()).verify(b.statement(), b.credentialKey(), other,
        List.of(b.aikCa().certificate)));
  }

  @Test
  void extraDataThatIsNotTheQualifyingDataIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] truncated = editAttest(b.statement(), a -> a.extraData = Arrays.copyOf(a.extraData, 31));
    refusedStatement(Reason.NONCE, b, withCertInfo(b.statement(), truncated));
    byte[] empty = editAttest(b.statement(), a -> a.extraData = new byte[0]);
    refusedStatement(Reason.NONCE, b, withCertInfo(b.statement(), empty));
  }

  @Test
  void anotherKeysNameIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] otherPub = SoftTpm.userTemplate((RSAPublicKey) SoftTpm.rsa().getPublic()).marshal();
    byte[] info = editAttest(b.statement(), a -> a.name = SoftTpm.name(otherPub));
    refusedStatement(Reason.NAME, b, withCertInfo(b.statement(), info));
  }

  @Test
  void aNameOfTheSameKeyWithOtherAttributesIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] withNoDa = editPublic(b.statement(), t -> t.attributes |= Tpm.NO_DA);
    byte[] info = editAttest(b.statement(), a -> a.name = SoftTpm.name(withNoDa));
    refusedStatement(Reason.NAME, b, withCertInfo(b.statement(), info));
  }

  @Test
  void aNameWithAnotherHashAlgorithmIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] info = editAttest(b.statement(), a -> a.name[1] = 0x0C); // SHA384 id over a SHA-256 digest
    refusedStatement(Reason.NAME_ALGORITHM, b, withCertInfo(b.statement(), info));
  }

  @Test
  void anEmptyNameIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] info = editAttest(b.statement(), a -> a.name = new byte[0]);
    refusedStatement(Reason.NAME, b, withCertInfo(b.statement(), info));
  }

  // ---- pubArea --------------------------------------------------------------------------------------------

  @Test
  void eachAttributeBitFlippedIsRefused() throws Exception {
    Baseline b = baseline();
    for (int bit = 0; bit < 32; bit++) {
      int mask = 1 << bit;
      byte[] pub = editPublic(b.statement(), t -> t.attributes ^= mask);
      TpmAttestationException e = refused(Reason.ATTRIBUTES, () -> verify(b, withPubArea(b.statement(), pub)));
      String name = Tpm.attributeNames(mask);
      assertTrue(e.detail().contains(((Tpm.USER_KEY_ATTRIBUTES & mask) != 0 ? "missing: " : "not allowed: ") + name),
          e.detail());
    }
  }

  @Test
  void anAuthPolicyIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] pub = editPublic(b.statement(), t -> t.authPolicy = SoftTpm.EK_POLICY.clone());
    refusedStatement(Reason.ATTRIBUTES, b, withPubArea(b.statement(), pub));
  }

  @Test
  void theKeyParametersAreExactlyRsa2048WithRsassaSha256() throws Exception {
    Baseline b = baseline();
    List<Consumer<SoftTpm.PublicTemplate>> edits = List.of(
        t -> t.keyBits = 3072,
        t -> t.keyBits = 1024,
        t -> t.exponent = 3,
        t -> t.symAlg = Tpm.ALG_AES,
        t -> t.scheme = Tpm.ALG_RSAPSS,
        // The hash is only marshalled with a scheme: a key made with scheme NULL (the TPM provider's) gets one.
        t -> {
          t.scheme = Tpm.ALG_RSASSA;
          t.schemeHash = Tpm.ALG_SHA1;
        },
        t -> {
          t.scheme = Tpm.ALG_RSASSA;
          t.schemeHash = Tpm.ALG_SHA384;
        },
        t -> t.scheme = Tpm.ALG_RSAES,
        t -> t.modulus = Arrays.copyOf(t.modulus, 255));
    for (Consumer<SoftTpm.PublicTemplate> edit : edits) {
      refusedStatement(Reason.KEY_PARAMETERS, b, withPubArea(b.statement(), editPublic(b.statement(), edit)));
    }
  }

  @Test
  void anEccPublicAreaIsRefused() {
    Baseline b = baseline();
    byte[] pub = b.statement().keyPublicArea().toByteArray();
    pub[1] = 0x23;
    refusedStatement(Reason.KEY_PARAMETERS, b, withPubArea(b.statement(), pub));
  }

  @Test
  void aSha1NameAlgorithmIsRefused() throws Exception {
    Baseline b = baseline();
    byte[] pub = editPublic(b.statement(), t -> t.nameAlg = Tpm.ALG_SHA1);
    refusedStatement(Reason.NAME_ALGORITHM, b, withPubArea(b.statement(), pub));
  }

  @Test
  void thePubAreaOfAnotherKeyIsRefused() {
    Baseline b = baseline();
    byte[] other = SoftTpm.userTemplate((RSAPublicKey) SoftTpm.rsa().getPublic()).marshal();
    refusedStatement(Reason.KEY_MISMATCH, b, withPubArea(b.statement(), other));
  }

  @Test
  void registeringAnotherKeyWithThisStatementIsRefused() {
    Baseline b = baseline();
    PublicKey other = SoftTpm.rsa().getPublic();
    refused(Reason.KEY_MISMATCH, () -> verifier(b.now()).verify(b.statement(), other, b.qualifyingData(),
        List.of(b.aikCa().certificate)));
  }

  // ---- AIK certificate ------------------------------------------------------------------------------------

  @Test
  void anAikCertificateWithASubjectIsRefused() {
    Baseline b = baseline();
    refusedStatement(Reason.AIK_SUBJECT, b, reissued(b, p -> p.subject = "CN=aik"));
  }

  @Test
  void aCaAikCertificateIsRefused() {
    Baseline b = baseline();
    refusedStatement(Reason.AIK_BASIC_CONSTRAINTS, b, reissued(b, p -> p.ca = true));
  }

  @Test
  void aWrongOrMissingEkuIsRefused() {
    Baseline b = baseline();
    refusedStatement(Reason.AIK_EKU, b, reissued(b, p -> p.ekus = List.of("1.3.6.1.5.5.7.3.2")));
    refusedStatement(Reason.AIK_EKU, b, reissued(b, p -> p.ekus = List.of(TestPki.EK_EKU)));
    refusedStatement(Reason.AIK_EKU, b, reissued(b, p -> p.noEku = true));
  }

  @Test
  void windowsHellosExtraEkuIsAccepted() throws Exception {
    Baseline b = baseline();
    verify(b, reissued(b, p -> p.ekus = List.of("1.3.6.1.4.1.311.21.36", TestPki.AIK_EKU)));
  }

  @Test
  void aVersion1CertificateIsRefused() {
    Baseline b = baseline();
    // (the JDK refuses to parse a v1 certificate with an empty subject at all)
    refusedStatement(Reason.AIK_VERSION, b, reissued(b, p -> {
      p.v1 = true;
      p.subject = "CN=aik";
    }));
  }

  @Test
  void aSanWithoutTheTpmAttributesIsRefused() {
    Baseline b = baseline();
    // (without any SAN, a certificate with an empty subject does not even parse in the JDK)
    assertThrows(IllegalStateException.class, () -> reissued(b, p -> p.san = null));
    refusedStatement(Reason.AIK_SAN, b, reissued(b, p -> p.sanDnsOnly = "aik.example"));
    refusedStatement(Reason.AIK_SAN, b, reissued(b, p -> p.san = new org.bouncycastle.asn1.x500.X500Name("CN=x")));
    refusedStatement(Reason.AIK_SAN, b, reissued(b, p -> p.san = new org.bouncycastle.asn1.x500.X500Name(
        new org.bouncycastle.asn1.x500.RDN[] {TestPki.tpmName("id:00001014", "m", "v", false).getRDNs()[0]})));
    // (nor does one whose SAN is not critical: the verifier checks it too, for other certificate factories)
    assertThrows(IllegalStateException.class, () -> reissued(b, p -> p.sanCritical = false));
  }

  @Test
  void bothSanLayoutsAreAccepted() throws Exception {
    Baseline b = baseline();
    verify(b, reissued(b, p -> p.san = TestPki.tpmName("id:49424D00", "NPCT75x", "id:00070002", true)));
    verify(b, reissued(b, p -> p.san = TestPki.tpmName("id:49424D00", "NPCT75x", "id:00070002", false)));
  }

  @Test
  void anExpiredOrNotYetValidCertificateIsRefusedOutsideTheSkew() throws Exception {
    Baseline b = baseline();
    Instant now = b.now();
    refusedStatement(Reason.AIK_VALIDITY, b, reissued(b, p -> {
      p.notBefore = now.minus(Duration.ofDays(30));
      p.notAfter = now.minus(SKEW).minusSeconds(1);
    }));
    refusedStatement(Reason.AIK_VALIDITY, b, reissued(b, p -> p.notBefore = now.plus(SKEW).plusSeconds(1)));
    verify(b, reissued(b, p -> p.notBefore = now.plus(SKEW).minusSeconds(1)));
    verify(b, reissued(b, p -> {
      p.notBefore = now.minus(Duration.ofDays(30));
      p.notAfter = now.minus(SKEW).plusSeconds(1);
    }));
  }

  @Test
  void anAikCertificateFromAnotherCaIsRefused() {
    Baseline b = baseline();
    TestPki.Ca other = TestPki.root("another AIK CA", b.now());
    X509Certificate aik = TestPki.aikCertificate(other, b.statement().certificateChain().get(0).getPublicKey(),
        new TestPki.AikProfile(b.now()));
    refusedStatement(Reason.AIK_CHAIN, b, withChain(b.statement(), List.of(aik, other.certificate)));
    refusedStatement(Reason.AIK_CHAIN, b, withChain(b.statement(), List.of(aik)));
  }

  @Test
  void noTrustAnchorsRefusesEverything() {
    Baseline b = baseline();
    refused(Reason.AIK_CHAIN, () -> verifier(b.now()).verify(b.statement(), b.credentialKey(), b.qualifyingData(),
        List.of()));
  }

  @Test
  void anAikCertificateSignedWithSha1IsRefused() {
    Baseline b = baseline();
    refusedStatement(Reason.SIGNATURE_ALGORITHM, b, reissued(b, p -> p.signatureAlgorithm = "SHA1withRSA"));
  }

  @Test
  void aChainLongerThanFiveIsRefused() {
    Baseline b = baseline();
    List<X509Certificate> chain = new ArrayList<>(b.statement().certificateChain());
    while (chain.size() <= 5) {
      chain.add(b.aikCa().certificate);
    }
    refusedStatement(Reason.STRUCTURE, b, withChain(b.statement(), chain));
  }

  // ---- signature ------------------------------------------------------------------------------------------

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    Baseline b = baseline();
    byte[] sig = SoftTpm.sign(SoftTpm.rsa().getPrivate(), "SHA256withRSA", b.statement().certifiedKey().toByteArray());
    refusedStatement(Reason.SIGNATURE, b, withSignature(b.statement(), sig));
  }

  @Test
  void aDamagedOrShortSignatureIsRefused() {
    Baseline b = baseline();
    byte[] sig = b.statement().signature().toByteArray();
    byte[] flipped = sig.clone();
    flipped[flipped.length / 2] ^= 0x40;
    refusedStatement(Reason.SIGNATURE, b, withSignature(b.statement(), flipped));
    refusedStatement(Reason.SIGNATURE, b, withSignature(b.statement(), Arrays.copyOf(sig, sig.length - 1)));
    refusedStatement(Reason.SIGNATURE, b, withSignature(b.statement(), new byte[0]));
  }

  @Test
  void aSha1SignatureOverCertInfoIsRefusedAsSuch() {
    Baseline b = baseline();
    // A software AIK certified by the same CA signs the baseline's certInfo with SHA-1.
    KeyPair softAik = SoftTpm.rsa();
    X509Certificate cert = TestPki.aikCertificate(b.aikCa(), softAik.getPublic(), new TestPki.AikProfile(b.now()));
    byte[] info = b.statement().certifiedKey().toByteArray();
    AttestationStatement sha256 = with(b.statement(), List.of(cert, b.aikCa().certificate), info,
        b.statement().keyPublicArea().toByteArray(), SoftTpm.sign(softAik.getPrivate(), "SHA256withRSA", info));
    try {
      verify(b, sha256);
    } catch (AttestationException e) {
      throw new AssertionError("the control statement must verify", e);
    }
    AttestationStatement sha1 = withSignature(sha256, SoftTpm.sign(softAik.getPrivate(), "SHA1withRSA", info));
    TpmAttestationException e = refused(Reason.SIGNATURE_ALGORITHM, () -> verify(b, sha1));
    assertTrue(e.detail().contains("SHA-1"), e.detail());
  }

  // ---- a software key presented as a TPM key --------------------------------------------------------------

  @Test
  void aSoftwareKeyWithAPerfectSelfMadeStatementIsRefused() {
    Baseline b = baseline();
    // The attacker controls a software "TPM" and its own CA: every structure is right, only trust is missing.
    SoftTpm fake = new SoftTpm();
    TestPki.Ca ownCa = TestPki.root("attacker's AIK CA", b.now());
    X509Certificate aik = TestPki.aikCertificate(ownCa, fake.ak.getPublic(), new TestPki.AikProfile(b.now()));
    byte[] pub = fake.userPublic();
    byte[] info = fake.certify(pub, b.qualifyingData().toByteArray()).marshal();
    AttestationStatement s = new AttestationStatement(AttestationFormat.TPM, List.of(aik, ownCa.certificate),
        Bytes.of(info), Bytes.of(pub), Bytes.of(fake.sign(info)));
    refused(Reason.AIK_CHAIN, () -> verifier(b.now()).verify(s, fake.user.getPublic(), b.qualifyingData(),
        List.of(b.aikCa().certificate)));
  }
}
