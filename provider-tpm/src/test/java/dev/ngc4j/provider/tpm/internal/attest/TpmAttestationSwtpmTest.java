package dev.ngc4j.provider.tpm.internal.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.provider.tpm.internal.TpmSession;
import dev.ngc4j.provider.tpm.internal.TpmTestSupport;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.TpmBuffer;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_CAP;

/**
 * Device-side TPM attestation end to end against a real swtpm started by this class on loopback (fresh state with
 * an EK, its certificate in NV and a local "TPM maker" CA): the EK certificate and public area, the AK, credential
 * activation with credentials made by TSS.Java's software MakeCredential (in a child JVM), TPM2_Certify at
 * container creation through the provider's public API, the statement from {@link Attestor#attest}, and that no
 * operation leaves a transient object or policy session behind (libtpms has three object slots, and Certify needs
 * all three).
 */
class TpmAttestationSwtpmTest {
  private static final Logger log = LoggerFactory.getLogger(TpmAttestationSwtpmTest.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] PIN = "739182".toCharArray();
  private static final UserPrincipal USER = UserPrincipal.of("alice@example.com");

  private static @Nullable Swtpm swtpm;

  @TempDir Path dataDirectory;
  private @Nullable ProviderSession session;

  @BeforeAll
  static void startSwtpm(@TempDir Path dir) throws Exception {
    // Fails (does not skip) with "apt-get install swtpm swtpm-tools" when the tools are missing.
    Swtpm started = Swtpm.start(dir);
    swtpm = started;
    started.relaxDictionaryAttack();
  }

  @AfterAll
  static void stopSwtpm() {
    Swtpm s = swtpm;
    if (s != null) {
      s.close();
    }
  }

  @BeforeEach
  void open() throws Exception {
    session = openSession(dataDirectory);
  }

  @AfterEach
  void close() {
    ProviderSession s = session;
    if (s != null) {
      s.close();
    }
    assertNull(Security.getProvider("BC"), "nothing registered BouncyCastle in this JVM");
  }

  // -------------------------------------------------------------------------------------------------------------
  // EK certificate and EK public area
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void theEkCertificateReadFromNvIsTheMakersAndChainsToItsRoot() throws Exception {
    long start = System.nanoTime();
    Bytes der = enrollment().endorsementCertificate();
    log.info("EK certificate read from NV in {} ms ({} bytes)", ms(start), der.length());
    X509Certificate expected = tpm().ekCertificate();
    assertArrayEquals(expected.getEncoded(), der.toByteArray(), "the NV index holds the certificate swtpm_setup made");

    CertificateFactory f = CertificateFactory.getInstance("X.509");
    X509Certificate ek = (X509Certificate) f.generateCertificate(new java.io.ByteArrayInputStream(der.toByteArray()));
    assertTrue(ek.getExtendedKeyUsage().contains("2.23.133.8.1"), "EKU tcg-kp-EKCertificate");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(tpm().ekRootCertificate(), null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        f.generateCertPath(List.of(ek, tpm().ekIssuerCertificate())), params); // throws if it does not chain
    assertOnlySrkLoaded();
  }

  @Test
  void theEkPublicAreaHoldsTheKeyOfTheEkCertificate() throws Exception {
    byte[] area = enrollment().endorsementKeyPublicArea().toByteArray();
    TpmBuffer buf = new TpmBuffer(area);
    TPMT_PUBLIC ek = TPMT_PUBLIC.fromTpm(buf);
    assertEquals(area.length, buf.curPos(), "exactly one TPMT_PUBLIC");
    assertEquals(0x000300b2, ek.objectAttributes.toInt(), "the standard EK attributes");
    assertEquals(32, ek.authPolicy.length, "the EK's PolicySecret(endorsement) policy");
    RSAPublicKey certified = (RSAPublicKey) tpm().ekCertificate().getPublicKey();
    byte[] modulus = ((TPM2B_PUBLIC_KEY_RSA) ek.unique).buffer;
    assertEquals(certified.getModulus(), new BigInteger(1, modulus), "the EK certificate certifies this key");
    assertOnlySrkLoaded();
  }

  // -------------------------------------------------------------------------------------------------------------
  // AK and credential activation
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void theAkIsARestrictedSigningKeyMadeOnceAndKeptAcrossSessions() throws Exception {
    long start = System.nanoTime();
    byte[] ak = enrollment().attestationKeyPublicArea().toByteArray();
    log.info("AK made in {} ms", ms(start));
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(ak);
    assertEquals(0x00050472, pub.objectAttributes.toInt(),
        "sign|restricted|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA");
    assertEquals(0x000B, pub.nameAlg.toInt());
    TPMS_RSA_PARMS rsa = (TPMS_RSA_PARMS) pub.parameters;
    assertEquals(2048, rsa.keyBits);
    assertEquals(0x000B, ((TPMS_SIG_SCHEME_RSASSA) rsa.scheme).hashAlg.toInt(), "RSASSA-SHA256");
    assertOnlySrkLoaded();

    assertArrayEquals(ak, enrollment().attestationKeyPublicArea().toByteArray(), "the same AK the second time");
    Path file = dataDirectory.resolve("attestation").resolve("ak.ngc");
    assertTrue(Files.isRegularFile(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    reopen();
    assertArrayEquals(ak, enrollment().attestationKeyPublicArea().toByteArray(), "the AK survives the session");
    assertTrue(enrollment().certificateChain().isEmpty(), "no chain before enrolment");
  }

  @Test
  void activateCredentialRecoversTheSecretOnlyForThisTpmsEkAndAk() throws Exception {
    AttestationKeyEnrollment e = enrollment();
    byte[] ekPub = e.endorsementKeyPublicArea().toByteArray();
    byte[] akName = AttestationFiles.sha256Name(e.attestationKeyPublicArea().toByteArray());
    byte[] secret = random(32);
    byte[] otherAkName = AttestationFiles.sha256Name(random(64));
    byte[] otherEkPub = withModulus(ekPub, randomRsaModulus());

    List<MakeCredential.Credential> made = MakeCredential.make(ekPub, List.of(
        new MakeCredential.Request(akName, secret),
        new MakeCredential.Request(otherAkName, random(32))));
    MakeCredential.Credential otherEk = MakeCredential.make(otherEkPub, List.of(
        new MakeCredential.Request(akName, random(32)))).get(0);
    assertNull(Security.getProvider("BC"), "MakeCredential ran in the child JVM only");

    long start = System.nanoTime();
    Bytes recovered = e.activateCredential(Bytes.of(made.get(0).blob()), Bytes.of(made.get(0).encryptedSecret()));
    log.info("TPM2_ActivateCredential (AK load, policy session, activate, flushes) in {} ms", ms(start));
    assertArrayEquals(secret, recovered.toByteArray(), "the TPM recovered the directory's secret");
    assertOnlySrkLoaded();

    NgcException wrongAk = assertThrows(NgcException.class,
        () -> e.activateCredential(Bytes.of(made.get(1).blob()), Bytes.of(made.get(1).encryptedSecret())));
    assertEquals(ErrorCode.ATTESTATION_INVALID, wrongAk.code(), wrongAk.getMessage());
    assertTrue(wrongAk.detail().contains("TPM_RC_INTEGRITY"), wrongAk.detail());
    assertFalse(wrongAk.remedy().isBlank());
    assertOnlySrkLoaded();

    NgcException wrongEk = assertThrows(NgcException.class,
        () -> e.activateCredential(Bytes.of(otherEk.blob()), Bytes.of(otherEk.encryptedSecret())));
    assertEquals(ErrorCode.ATTESTATION_INVALID, wrongEk.code(), wrongEk.getMessage());
    assertOnlySrkLoaded();

    NgcException malformed = assertThrows(NgcException.class,
        () -> e.activateCredential(Bytes.of(new byte[] {0, 32, 1}), Bytes.of(made.get(0).encryptedSecret())));
    assertEquals(ErrorCode.ATTESTATION_INVALID, malformed.code());

    // The TPM still works after the refusals, and the same credential activates again.
    assertArrayEquals(secret, e.activateCredential(Bytes.of(made.get(0).blob()),
        Bytes.of(made.get(0).encryptedSecret())).toByteArray());
    assertOnlySrkLoaded();
  }

  // -------------------------------------------------------------------------------------------------------------
  // AK certificate chain
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void aChainIsInstalledOnlyIfItsFirstCertificateCertifiesTheAk() throws Exception {
    AttestationKeyEnrollment e = enrollment();
    NgcException noAk = assertThrows(NgcException.class,
        () -> e.installCertificateChain(List.of(ca().certificate)));
    assertEquals(ErrorCode.ATTESTATION_INVALID, noAk.code(), "no AK yet: no chain can be for it");

    RSAPublicKey ak = TpmStructures.rsaKey(e.attestationKeyPublicArea().toByteArray());
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    X509Certificate forAnotherKey = ca().issueAik(g.generateKeyPair().getPublic());
    NgcException other = assertThrows(NgcException.class,
        () -> e.installCertificateChain(List.of(forAnotherKey, ca().certificate)));
    assertEquals(ErrorCode.ATTESTATION_INVALID, other.code());
    assertTrue(other.detail().contains("does not certify this device's attestation key"), other.detail());
    assertEquals(ErrorCode.ATTESTATION_INVALID,
        assertThrows(NgcException.class, () -> e.installCertificateChain(List.of())).code());
    assertTrue(e.certificateChain().isEmpty(), "a refused chain is not installed");

    List<X509Certificate> chain = List.of(ca().issueAik(ak), ca().certificate);
    e.installCertificateChain(chain);
    assertEquals(chain, e.certificateChain().orElseThrow());
    reopen();
    assertEquals(chain, enrollment().certificateChain().orElseThrow(), "the chain survives the session");
  }

  @Test
  void anAkFileMadeUnderAnotherSrkIsReplacedAndItsChainDropped() throws Exception {
    AttestationKeyEnrollment e = enrollment();
    byte[] ak = e.attestationKeyPublicArea().toByteArray();
    e.installCertificateChain(List.of(ca().issueAik(TpmStructures.rsaKey(ak)), ca().certificate));
    // Rewrite the AK file as if the key had been made under another storage root key (a cleared TPM).
    Path file = dataDirectory.resolve("attestation").resolve("ak.ngc");
    byte[] body = FramedFile.open(file, Files.readAllBytes(file), "NGC4JAKB", 1).body();
    AttestationFiles.Reader r = new AttestationFiles.Reader(file, body, "");
    byte[] srkName = r.bytes("srk", 64);
    byte[] pub = r.bytes("pub", 4096);
    byte[] priv = r.bytes("priv", 4096);
    srkName[srkName.length - 1] ^= 1;
    AttestationFiles.replace(file, FramedFile.seal("NGC4JAKB", 1,
        new ByteWriter().bytes(srkName).bytes(pub).bytes(priv).toByteArray()));

    assertTrue(e.certificateChain().isEmpty(), "the chain certified a key of another SRK");
    byte[] replaced = e.attestationKeyPublicArea().toByteArray();
    assertFalse(Arrays.equals(ak, replaced), "a new AK was made");
    assertTrue(e.certificateChain().isEmpty());
  }

  @Test
  void aDamagedAkFileIsReportedWithTheFileToDelete() throws Exception {
    enrollment().attestationKeyPublicArea();
    Path file = dataDirectory.resolve("attestation").resolve("ak.ngc");
    byte[] data = Files.readAllBytes(file);
    data[40] ^= 0x55;
    Files.write(file, data);
    NgcException e = assertThrows(NgcException.class, () -> enrollment().attestationKeyPublicArea());
    assertEquals(ErrorCode.CONTAINER_CORRUPTED, e.code());
    assertTrue(e.remedy().contains(file.toString()), e.remedy());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Certify at creation, attest
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void aContainerCreatedWithAChallengeIsCertifiedAndAttestedWithTheInstalledChain() throws Exception {
    byte[] challenge = MessageDigest.getInstance("SHA-256").digest(random(24));
    ScriptedGestures gestures = ScriptedGestures.create().pin(PIN);
    long start = System.nanoTime();
    KeyContainer container = create("attested", Optional.of(Bytes.of(challenge)), gestures);
    log.info("container created with TPM2_Certify (AK made on the way) in {} ms", ms(start));
    gestures.assertExhausted();
    gestures.assertGesturesDestroyed();
    assertOnlySrkLoaded();
    assertTrue(Files.isRegularFile(
        dataDirectory.resolve("containers").resolve("attested").resolve(TpmAttestor.CERTIFIED_KEY_FILE)));

    // Not enrolled yet: no statement, and the remedy says to enrol the AK first.
    NgcException notEnrolled = assertThrows(NgcException.class,
        () -> attestor().attest(container, Bytes.of(challenge)));
    assertEquals(ErrorCode.ATTESTATION_UNSUPPORTED, notEnrolled.code());
    assertTrue(notEnrolled.remedy().contains("enrol the attestation key"), notEnrolled.remedy());

    RSAPublicKey ak = TpmStructures.rsaKey(enrollment().attestationKeyPublicArea().toByteArray());
    List<X509Certificate> chain = List.of(ca().issueAik(ak), ca().certificate);
    enrollment().installCertificateChain(chain);

    start = System.nanoTime();
    AttestationStatement s = attestor().attest(container, Bytes.of(challenge));
    log.info("attest() in {} ms", ms(start));
    assertEquals(AttestationFormat.TPM, s.format());
    assertEquals(chain, s.certificateChain());
    StatementAssertions.assertVerifies(s, challenge, container.publicKey());
    assertOnlySrkLoaded();

    NgcException other = assertThrows(NgcException.class,
        () -> attestor().attest(container, Bytes.of(random(32))));
    assertEquals(ErrorCode.ATTESTATION_UNSUPPORTED, other.code());
    assertEquals("a TPM key is certified at enrolment, with the directory's nonce; provision again to attest",
        other.remedy());

    // The key still works with the PIN after certification, and the statement is kept with the container.
    byte[] message = random(100);
    byte[] sig = container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, message, ScriptedGestures.create().pin(PIN));
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(container.publicKey());
    v.update(message);
    assertTrue(v.verify(sig));
    reopen();
    KeyContainer reopened = session().containers().open(ContainerId.of("attested"));
    AttestationStatement again = attestor().attest(reopened, Bytes.of(challenge));
    assertEquals(s.certifiedKey(), again.certifiedKey());
    assertEquals(s.signature(), again.signature());
    assertOnlySrkLoaded();
  }

  @Test
  void everyContainerGetsItsOwnStatementAndTheSlotsNeverFillUp() throws Exception {
    enrollment().installCertificateChain(List.of(
        ca().issueAik(TpmStructures.rsaKey(enrollment().attestationKeyPublicArea().toByteArray())),
        ca().certificate));
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] challenge = random(32);
      PooledKey key = session().keySource().generate();
      long start = System.nanoTime();
      KeyContainer c = session().containers().create(
          new ContainerSpec(ContainerId.of("c" + i), USER, ProtectorSpec.pin(), PinPolicy.defaults(),
              Optional.of(Bytes.of(challenge))),
          key, ScriptedGestures.create().pin(PIN));
      times.add((System.nanoTime() - start) / 1_000_000);
      key.close();
      assertOnlySrkLoaded();
      StatementAssertions.assertVerifies(attestor().attest(c, Bytes.of(challenge)), challenge, c.publicKey());
    }
    List<Long> plain = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      PooledKey key = session().keySource().generate();
      long start = System.nanoTime();
      session().containers().create(new ContainerSpec(ContainerId.of("p" + i), USER, ProtectorSpec.pin(),
          PinPolicy.defaults()), key, ScriptedGestures.create().pin(PIN));
      plain.add((System.nanoTime() - start) / 1_000_000);
      key.close();
    }
    log.info("create with TPM2_Certify (AK exists): {} ms; without a challenge: {} ms", times, plain);
  }

  @Test
  void certifyAndActivateAlsoFitTheSlotsWithAPersistentSrk() throws Exception {
    session().close();
    session = TpmCredentialProvider.builder()
        .device(tpm().deviceSpec())
        .maxAttempts(TpmTestSupport.MAX_ATTEMPTS)
        .commandTimeout(TpmTestSupport.COMMAND_TIMEOUT)
        .persistentStorageRootKey(true)
        .build()
        .open(new ProviderContext(dataDirectory, Clock.systemUTC(), Map.of()));
    byte[] challenge = random(32);
    KeyContainer c = create("persistent", Optional.of(Bytes.of(challenge)), ScriptedGestures.create().pin(PIN));
    assertEquals(0, loaded(0x80).length, "no transient object with a persistent SRK");
    AttestationKeyEnrollment e = enrollment();
    byte[] ak = e.attestationKeyPublicArea().toByteArray();
    e.installCertificateChain(List.of(ca().issueAik(TpmStructures.rsaKey(ak)), ca().certificate));
    StatementAssertions.assertVerifies(attestor().attest(c, Bytes.of(challenge)), challenge, c.publicKey());

    byte[] secret = random(32);
    MakeCredential.Credential made = MakeCredential.make(e.endorsementKeyPublicArea().toByteArray(),
        List.of(new MakeCredential.Request(AttestationFiles.sha256Name(ak), secret))).get(0);
    assertArrayEquals(secret,
        e.activateCredential(Bytes.of(made.blob()), Bytes.of(made.encryptedSecret())).toByteArray());
    assertEquals(0, loaded(0x80).length, "no transient object with a persistent SRK");
    assertEquals(0, loaded(0x03).length, "no policy session");
  }

  @Test
  void aContainerCreatedWithoutAChallengeCannotBeAttested() throws Exception {
    KeyContainer c = create("plain", Optional.empty(), ScriptedGestures.create().pin(PIN));
    assertFalse(Files.exists(
        dataDirectory.resolve("containers").resolve("plain").resolve(TpmAttestor.CERTIFIED_KEY_FILE)));
    enrollment().installCertificateChain(List.of(
        ca().issueAik(TpmStructures.rsaKey(enrollment().attestationKeyPublicArea().toByteArray())),
        ca().certificate));
    NgcException e = assertThrows(NgcException.class, () -> attestor().attest(c, Bytes.of(random(32))));
    assertEquals(ErrorCode.ATTESTATION_UNSUPPORTED, e.code());
    assertTrue(e.detail().contains("without an attestation challenge"), e.detail());
  }

  @Test
  void anUnusableChallengeIsRefusedBeforeTheUserIsAsked() throws Exception {
    ScriptedGestures gestures = ScriptedGestures.create().pin(PIN);
    PooledKey key = session().keySource().generate();
    try {
      NgcException e = assertThrows(NgcException.class, () -> session().containers().create(
          new ContainerSpec(ContainerId.of("long"), USER, ProtectorSpec.pin(), PinPolicy.defaults(),
              Optional.of(Bytes.of(new byte[65]))),
          key, gestures));
      assertEquals(ErrorCode.ATTESTATION_UNSUPPORTED, e.code());
    } finally {
      key.close();
    }
    assertTrue(gestures.requests().isEmpty(), "no gesture was asked for");
    assertTrue(session().containers().list().isEmpty());
  }

  @Test
  void theSessionAdvertisesTpmAttestation() {
    assertEquals(Set.of(AttestationFormat.TPM), session().capabilities().attestationFormats());
    assertTrue(attestor().keyEnrollment().isPresent());
  }

  // -------------------------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------------------------

  private static @Nullable TestAikCa aikCa;

  static TestAikCa ca() throws Exception {
    TestAikCa c = aikCa;
    if (c == null) {
      c = TestAikCa.create("ngc4j test AIK CA", Duration.ofDays(3650));
      aikCa = c;
    }
    return c;
  }

  static Swtpm tpm() {
    Swtpm s = swtpm;
    if (s == null) {
      throw new IllegalStateException("swtpm not started");
    }
    return s;
  }

  static ProviderSession openSession(Path data) throws NgcException {
    return TpmCredentialProvider.builder()
        .device(tpm().deviceSpec())
        .maxAttempts(TpmTestSupport.MAX_ATTEMPTS)
        .commandTimeout(TpmTestSupport.COMMAND_TIMEOUT)
        .build()
        .open(new ProviderContext(data, Clock.systemUTC(), Map.of()));
  }

  private void reopen() throws NgcException {
    session().close();
    session = openSession(dataDirectory);
  }

  private ProviderSession session() {
    ProviderSession s = session;
    if (s == null) {
      throw new IllegalStateException("no session");
    }
    return s;
  }

  private Attestor attestor() {
    return session().attestor().orElseThrow();
  }

  private AttestationKeyEnrollment enrollment() {
    return attestor().keyEnrollment().orElseThrow();
  }

  private KeyContainer create(String id, Optional<Bytes> challenge, ScriptedGestures gestures) throws NgcException {
    try (PooledKey key = session().keySource().generate()) {
      return session().containers().create(
          new ContainerSpec(ContainerId.of(id), USER, ProtectorSpec.pin(), PinPolicy.defaults(), challenge), key,
          gestures);
    }
  }

  /** Handles of one type (0x80 transient objects, 0x02 HMAC sessions, 0x03 policy sessions) loaded now. */
  private int[] loaded(int type) throws NgcException {
    return ((TpmSession) session()).connection().call("listing handles", t -> {
      GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.HANDLES, type << 24, 64);
      TPML_HANDLE list = (TPML_HANDLE) r.capabilityData;
      return Arrays.stream(list.handle).mapToInt(h -> h.handle).filter(h -> (h >>> 24) == type).toArray();
    });
  }

  /** Only the derived SRK is loaded (a TPM has as few as three object slots), and no policy session. */
  private void assertOnlySrkLoaded() throws NgcException {
    int[] objects = loaded(0x80);
    assertTrue(objects.length <= 1, "only the SRK stays loaded: " + Arrays.toString(objects));
    assertEquals(0, loaded(0x03).length, "no policy session is left");
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] randomRsaModulus() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    byte[] m = ((RSAPublicKey) g.generateKeyPair().getPublic()).getModulus().toByteArray();
    return m.length == 257 ? Arrays.copyOfRange(m, 1, 257) : m;
  }

  /** The EK's public area with another modulus: an EK of another TPM, as far as MakeCredential is concerned. */
  private static byte[] withModulus(byte[] ekPublicArea, byte[] modulus) {
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(ekPublicArea);
    pub.unique = new TPM2B_PUBLIC_KEY_RSA(modulus);
    return pub.toBytes();
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void theStatementsKeyIsNotAnotherContainers() throws Exception {
    enrollment().installCertificateChain(List.of(
        ca().issueAik(TpmStructures.rsaKey(enrollment().attestationKeyPublicArea().toByteArray())),
        ca().certificate));
    byte[] challenge = random(32);
    KeyContainer a = create("a", Optional.of(Bytes.of(challenge)), ScriptedGestures.create().pin(PIN));
    KeyContainer b = create("b", Optional.of(Bytes.of(challenge)), ScriptedGestures.create().pin(PIN));
    AttestationStatement sa = attestor().attest(a, Bytes.of(challenge));
    AttestationStatement sb = attestor().attest(b, Bytes.of(challenge));
    assertNotEquals(sa.keyPublicArea(), sb.keyPublicArea());
    StatementAssertions.assertVerifies(sb, challenge, b.publicKey());
    // A statement file copied into another container is refused: it certifies another key.
    Path dir = dataDirectory.resolve("containers");
    Files.copy(dir.resolve("a").resolve(TpmAttestor.CERTIFIED_KEY_FILE),
        dir.resolve("b").resolve(TpmAttestor.CERTIFIED_KEY_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    NgcException e = assertThrows(NgcException.class, () -> attestor().attest(b, Bytes.of(challenge)));
    assertEquals(ErrorCode.CONTAINER_CORRUPTED, e.code());
  }
}
