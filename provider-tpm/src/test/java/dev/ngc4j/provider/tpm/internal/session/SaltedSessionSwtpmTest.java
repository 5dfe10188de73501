package dev.ngc4j.provider.tpm.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.provider.support.testing.ByteSearch;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.Tpm;
import tss.tpm.CreatePrimaryResponse;
import tss.tpm.CreateResponse;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPM2B_DIGEST_KEYEDHASH;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPMS_ATTEST;
import tss.tpm.TPMS_CERTIFY_INFO;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_NULL_SCHEME_KEYEDHASH;
import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SCHEME_HMAC;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMS_SIGNATURE_RSASSA;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SIGNATURE;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_PT;
import tss.tpm.TPM_RH;

/**
 * The salted HMAC sessions end to end against a real software TPM (swtpm, started by this test on loopback): the
 * commands work (signatures verify with java.security, the attestation names the key, a changed authValue takes
 * effect), wrong authValues and lockout are recognised, responses that were tampered with are refused, no session
 * handle is ever left on the TPM, and — the point of it all — the command bytes carry neither authValue nor the
 * encrypted parameters, while the same commands through TSS.Java's password session visibly do.
 *
 * <p>One connection serves both the code under test and TSS.Java (used here to create and load keys): swtpm serves
 * one client at a time.
 */
class SaltedSessionSwtpmTest {
  private static final Logger log = LoggerFactory.getLogger(SaltedSessionSwtpmTest.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CC_SIGN = 0x15D;

  @TempDir static Path dir;

  private static @Nullable Swtpm swtpm;
  private static @Nullable SwtpmConnection conn;
  private static @Nullable Tpm tss;
  private static @Nullable TPM_HANDLE srkHandle;
  private static @Nullable LoadedObject srk;
  private static byte[] keyAuth = new byte[0];
  private static @Nullable CreateResponse userKey;
  private static @Nullable CreateResponse ak;

  private final List<TPM_HANDLE> loaded = new ArrayList<>();

  @BeforeAll
  static void startTpmAndCreateKeys() throws Exception {
    // Fails (does not skip) with "apt-get install swtpm swtpm-tools" when the tools are missing.
    Swtpm started = Swtpm.start(dir);
    swtpm = started;
    SwtpmConnection c = new SwtpmConnection(started.host(), started.port());
    conn = c;
    Tpm t = new Tpm();
    t._setDevice(c);
    tss = t;
    CreatePrimaryResponse primary = t.CreatePrimary(
        TPM_HANDLE.from(TPM_RH.OWNER),
        new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]),
        srkTemplate(),
        new byte[0],
        new TPMS_PCR_SELECTION[0]);
    srkHandle = primary.handle;
    srk = LoadedObject.of(primary.handle.handle, primary.outPublic);
    keyAuth = random(32);
    userKey = t.Create(
        primary.handle,
        new TPMS_SENSITIVE_CREATE(keyAuth, new byte[0]),
        rsaSigningTemplate(false),
        new byte[0],
        new TPMS_PCR_SELECTION[0]);
    ak = t.Create(
        primary.handle,
        new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]),
        rsaSigningTemplate(true),
        new byte[0],
        new TPMS_PCR_SELECTION[0]);
  }

  @AfterAll
  static void stopTpm() {
    try {
      if (conn != null) {
        conn.close();
      }
    } finally {
      if (swtpm != null) {
        swtpm.close();
      }
    }
  }

  @AfterEach
  void flushKeysResetLockoutAndCheckThatNoSessionIsLeft() {
    for (TPM_HANDLE h : loaded) {
      tss().FlushContext(h);
    }
    loaded.clear();
    tss().DictionaryAttackLockReset(TPM_HANDLE.from(TPM_RH.LOCKOUT));
    assertEquals(List.of(), loadedSessions(), "session handles left on the TPM");
  }

  // ------------------------------------------------------------------------------------------------------------

  @Test
  void aSignatureMadeInASaltedSessionVerifiesWithJavaSecurity() throws Exception {
    LoadedObject key = load(userKey());
    byte[] message = "sign me".getBytes(StandardCharsets.UTF_8);
    TPMT_SIGNATURE signature =
        SecureCommands.sign(conn(), srk(), RANDOM, key, keyAuth, sha256(message));
    assertTrue(verifies(userKey().outPublic, message, signature));
    assertFalse(verifies(userKey().outPublic, "another message".getBytes(StandardCharsets.UTF_8), signature));
  }

  @Test
  void aWrongAuthValueIsRecognisedAsAuthFailAndCountsAgainstTheDictionaryAttackLimit() throws Exception {
    LoadedObject key = load(userKey());
    byte[] wrong = keyAuth.clone();
    wrong[0] ^= 1;
    TpmCommandException e = assertThrows(
        TpmCommandException.class, () -> SecureCommands.sign(conn(), srk(), RANDOM, key, wrong, random(32)));
    assertEquals(0x98E, e.responseCode(), e.getMessage()); // TPM_RC_AUTH_FAIL for session 1
    assertTrue(e.isAuthFail());
    assertTrue(e.isWrongAuth());
    assertFalse(e.isLockout());
    assertEquals(ErrorCode.WRONG_GESTURE, e.code());
    assertEquals("TPM2_Sign", e.command());
    assertFalse(e.getMessage().contains(HexFormat.of().formatHex(wrong)), "no secret in the message");
    assertEquals(1, lockoutCounter());
  }

  @Test
  void lockoutIsRecognised() throws Exception {
    LoadedObject key = load(userKey());
    tss().DictionaryAttackParameters(TPM_HANDLE.from(TPM_RH.LOCKOUT), 1, 1000, 1000);
    try {
      byte[] wrong = random(32);
      assertTrue(assertThrows(
              TpmCommandException.class, () -> SecureCommands.sign(conn(), srk(), RANDOM, key, wrong, random(32)))
          .isAuthFail());
      TpmCommandException e = assertThrows(
          TpmCommandException.class, () -> SecureCommands.sign(conn(), srk(), RANDOM, key, keyAuth, random(32)));
      assertEquals(0x921, e.responseCode(), e.getMessage());
      assertTrue(e.isLockout());
      assertEquals(ErrorCode.LOCKED_OUT, e.code());
    } finally {
      tss().DictionaryAttackLockReset(TPM_HANDLE.from(TPM_RH.LOCKOUT));
      tss().DictionaryAttackParameters(TPM_HANDLE.from(TPM_RH.LOCKOUT), 3, 1000, 1000);
    }
  }

  @Test
  void certifyOutputParsesNamesTheKeyAndVerifiesWithTheAk() throws Exception {
    LoadedObject key = load(userKey());
    LoadedObject signer = load(ak());
    byte[] qualifying = random(32);
    CertifyResult result = SecureCommands.certify(conn(), srk(), RANDOM, key, keyAuth, signer, qualifying);

    byte[] info = result.certifyInfo();
    assertEquals("ff5443478017", HexFormat.of().formatHex(info, 0, 6), "magic TPM_GENERATED_VALUE, ATTEST_CERTIFY");
    TPMS_ATTEST attest = result.attest();
    assertArrayEquals(qualifying, attest.extraData);
    TPMS_CERTIFY_INFO certified = assertInstanceOf(TPMS_CERTIFY_INFO.class, attest.attested);
    assertArrayEquals(key.name(), certified.name);
    assertArrayEquals(nameOf(userKey().outPublic), certified.name, "name recomputed from the public area");
    assertEquals(34, attest.qualifiedSigner.length, "the AK's qualified name: SHA-256 id and digest");
    assertTrue(verifies(ak().outPublic, info, result.signature()), "the AK signature covers certifyInfo");
  }

  @Test
  void aWrongAuthValueForCertifyIsRefused() throws Exception {
    LoadedObject key = load(userKey());
    LoadedObject signer = load(ak());
    byte[] wrong = random(32);
    TpmCommandException e = assertThrows(
        TpmCommandException.class,
        () -> SecureCommands.certify(conn(), srk(), RANDOM, key, wrong, signer, random(16)));
    assertTrue(e.isAuthFail(), e.getMessage());
  }

  @Test
  void objectChangeAuthYieldsAPrivateBlobThatLoadsAndSignsWithTheNewAuthValueOnly() throws Exception {
    LoadedObject key = load(userKey());
    byte[] newAuth = random(32);
    TPM2B_PRIVATE changed = SecureCommands.objectChangeAuth(conn(), srk(), RANDOM, key, keyAuth, srk(), newAuth);
    assertFalse(Arrays.equals(userKey().outPrivate.buffer, changed.buffer));

    TPM_HANDLE h = tss().Load(srkHandle(), changed, userKey().outPublic);
    loaded.add(h);
    LoadedObject reloaded = LoadedObject.of(h.handle, userKey().outPublic);
    byte[] message = random(100);
    assertTrue(verifies(
        userKey().outPublic, message, SecureCommands.sign(conn(), srk(), RANDOM, reloaded, newAuth, sha256(message))));
    TpmCommandException e = assertThrows(
        TpmCommandException.class,
        () -> SecureCommands.sign(conn(), srk(), RANDOM, reloaded, keyAuth, sha256(message)));
    assertTrue(e.isAuthFail(), e.getMessage());
  }

  /** The key test: what crosses the TPM interface. */
  @Test
  void theCommandBytesCarryNeitherAuthValueNorDigestNorQualifyingDataWhereTssJavaSendsThemInClear()
      throws Exception {
    LoadedObject key = load(userKey());
    LoadedObject signer = load(ak());
    byte[] message = random(64);
    byte[] digest = sha256(message);
    byte[] qualifying = random(32);
    byte[] newAuth = random(32);

    conn().record();
    TPMT_SIGNATURE signature = SecureCommands.sign(conn(), srk(), RANDOM, key, keyAuth, digest);
    CertifyResult certified = SecureCommands.certify(conn(), srk(), RANDOM, key, keyAuth, signer, qualifying);
    TPM2B_PRIVATE changed = SecureCommands.objectChangeAuth(conn(), srk(), RANDOM, key, keyAuth, srk(), newAuth);
    List<byte[]> commands = conn().stopRecording();
    List<byte[]> responses = conn().recordedResponses();

    // 3 x (StartAuthSession + the command); single-use sessions end with their command, so no FlushContext
    assertEquals(6, commands.size());
    assertTrue(verifies(userKey().outPublic, message, signature));
    assertArrayEquals(qualifying, certified.attest().extraData);
    assertTrue(changed.buffer.length > 0);
    for (byte[] command : commands) {
      assertFalse(ByteSearch.contains(command, keyAuth), "the key's authValue was sent in clear");
      assertFalse(ByteSearch.contains(command, newAuth), "the new authValue was sent in clear");
      assertFalse(ByteSearch.contains(command, digest), "the digest was sent in clear");
      assertFalse(ByteSearch.contains(command, qualifying), "the qualifying data was sent in clear");
    }
    for (byte[] response : responses) {
      assertFalse(ByteSearch.contains(response, qualifying), "the attestation came back in clear");
      assertFalse(ByteSearch.contains(response, keyAuth));
      assertFalse(ByteSearch.contains(response, newAuth));
    }

    // Control: the same commands through TSS.Java's password session, recorded the same way, do show them.
    TPM_HANDLE keyHandle = TPM_HANDLE.from(key.handle());
    keyHandle.AuthValue = keyAuth;
    TPM_HANDLE akHandle = TPM_HANDLE.from(signer.handle());
    conn().record();
    tss().Sign(keyHandle, digest, new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), new TPMT_TK_HASHCHECK());
    tss().Certify(keyHandle, akHandle, qualifying, new TPMS_NULL_SIG_SCHEME());
    tss().ObjectChangeAuth(keyHandle, srkHandle(), newAuth);
    List<byte[]> clear = conn().stopRecording();
    assertEquals(3, clear.size());
    assertTrue(ByteSearch.contains(clear.get(0), keyAuth), "TSS.Java's Sign carries the authValue");
    assertTrue(ByteSearch.contains(clear.get(0), digest), "TSS.Java's Sign carries the digest");
    assertTrue(ByteSearch.contains(clear.get(1), keyAuth), "TSS.Java's Certify carries the authValue");
    assertTrue(ByteSearch.contains(clear.get(1), qualifying), "TSS.Java's Certify carries the qualifying data");
    assertTrue(ByteSearch.contains(clear.get(2), keyAuth), "TSS.Java's ObjectChangeAuth carries the old authValue");
    assertTrue(ByteSearch.contains(clear.get(2), newAuth), "TSS.Java's ObjectChangeAuth carries the new authValue");
  }

  @Test
  void aResponseWhoseHmacWasAlteredIsRefusedAndTheSessionIsStillFlushed() throws Exception {
    LoadedObject key = load(userKey());
    RawTpm tampering = command -> {
      byte[] response = conn().transact(command);
      if (commandCode(command) == CC_SIGN && responseCode(response) == 0) {
        response[response.length - 1] ^= 0x01; // last byte of the session HMAC
      }
      return response;
    };
    SaltedSession session = SaltedSession.start(tampering, srk(), RANDOM);
    try (session) {
      TpmIntegrityException e =
          assertThrows(TpmIntegrityException.class, () -> session.sign(key, keyAuth, random(32)));
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertFalse(session.isUsable());
      assertThrows(IllegalStateException.class, () -> session.sign(key, keyAuth, random(32)));
      assertEquals(List.of(session.handle()), loadedSessions(), "still on the TPM until closed");
    }
    assertFalse(session.isUsable());
  }

  @Test
  void aResponseWhoseSignatureWasAlteredIsRefused() throws Exception {
    LoadedObject key = load(userKey());
    RawTpm tampering = command -> {
      byte[] response = conn().transact(command);
      if (commandCode(command) == CC_SIGN && responseCode(response) == 0) {
        response[10 + 4 + 6 + 100] ^= 0x40; // inside the RSA signature
      }
      return response;
    };
    assertThrows(
        TpmIntegrityException.class, () -> SecureCommands.sign(tampering, srk(), RANDOM, key, keyAuth, random(32)));
  }

  @Test
  void aCommandWhoseEncryptedDigestWasAlteredIsRefusedByTheTpm() throws Exception {
    LoadedObject key = load(userKey());
    RawTpm tampering = command -> {
      byte[] copy = command.clone();
      if (commandCode(copy) == CC_SIGN) {
        copy[copy.length - 30] ^= 0x01; // a byte of the encrypted digest (followed by 12 bytes of scheme/ticket)
      }
      return conn().transact(copy);
    };
    TpmCommandException e = assertThrows(
        TpmCommandException.class, () -> SecureCommands.sign(tampering, srk(), RANDOM, key, keyAuth, random(32)));
    assertTrue(e.isAuthFail(), "the cpHash no longer matches: " + e.getMessage());
  }

  @Test
  void oneKeptSessionAuthorizesSeveralCommandsAndSurvivesAWrongAuthValue() throws Exception {
    LoadedObject key = load(userKey());
    LoadedObject signer = load(ak());
    try (SaltedSession session = SaltedSession.start(conn(), srk(), RANDOM)) {
      for (int i = 0; i < 3; i++) {
        byte[] message = random(20);
        assertTrue(verifies(userKey().outPublic, message, session.sign(key, keyAuth, sha256(message))));
      }
      TpmCommandException e =
          assertThrows(TpmCommandException.class, () -> session.sign(key, random(32), random(32)));
      assertTrue(e.isAuthFail());
      assertTrue(session.isUsable());
      byte[] message = random(20);
      assertTrue(verifies(userKey().outPublic, message, session.sign(key, keyAuth, sha256(message))));
      byte[] qualifying = random(20);
      assertArrayEquals(qualifying, session.certify(key, keyAuth, signer, qualifying).attest().extraData);
      assertEquals(List.of(session.handle()), loadedSessions());
    }
  }

  @Test
  void aSingleUseSessionEndsWithItsFirstSuccessfulCommand() throws Exception {
    LoadedObject key = load(userKey());
    try (SaltedSession session = SaltedSession.startSingleUse(conn(), srk(), RANDOM)) {
      assertThrows(TpmCommandException.class, () -> session.sign(key, random(32), random(32)));
      assertTrue(session.isUsable(), "a failed command does not end it");
      session.sign(key, keyAuth, random(32));
      assertFalse(session.isUsable());
      assertEquals(List.of(), loadedSessions(), "the TPM flushed it (continueSession clear)");
      assertThrows(IllegalStateException.class, () -> session.sign(key, keyAuth, random(32)));
    }
  }

  @Test
  void aSessionSaltedForAnotherKeyIsRefusedByTheTpm() throws Exception {
    TPMT_PUBLIC impostor = srk().publicArea();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPublicKey other = (RSAPublicKey) generator.generateKeyPair().getPublic();
    byte[] modulus = other.getModulus().toByteArray();
    ((TPM2B_PUBLIC_KEY_RSA) impostor.unique).buffer = Arrays.copyOfRange(modulus, modulus.length - 256, modulus.length);
    LoadedObject wrongSaltKey = LoadedObject.of(srk().handle(), impostor);
    TpmCommandException e =
        assertThrows(TpmCommandException.class, () -> SaltedSession.start(conn(), wrongSaltKey, RANDOM));
    assertNotEquals(0, e.responseCode());
    log.info("StartAuthSession with a salt for another key: {}", e.getMessage());
  }

  @Test
  void argumentsThatNoTpmWouldAcceptAreRefusedBeforeAnythingIsSent() throws Exception {
    LoadedObject key = load(userKey());
    conn().record();
    try (SaltedSession session = SaltedSession.start(conn(), srk(), RANDOM)) {
      assertThrows(IllegalArgumentException.class, () -> session.sign(key, keyAuth, new byte[20]));
      byte[] longAuth = random(33);
      longAuth[32] = 1;
      assertThrows(IllegalArgumentException.class, () -> session.sign(key, longAuth, random(32)));
      assertThrows(IllegalArgumentException.class, () -> session.objectChangeAuth(key, keyAuth, srk(), longAuth));
    }
    assertEquals(2, conn().stopRecording().size(), "only StartAuthSession and FlushContext were sent");
    assertThrows(IllegalArgumentException.class, () -> LoadedObject.of(0x40000001, userKey().outPublic));
    assertThrows(IllegalArgumentException.class, () -> SaltedSession.start(conn(), load(ak()), RANDOM));
  }

  /**
   * TPM2_Create, TPM2_Unseal, TPM2_RSA_Decrypt and TPM2_HMAC in one kept session: results checked with the JDK, and
   * the recorded bytes carry neither the new objects' authValues nor their sensitive data nor the secret results.
   */
  @Test
  void createUnsealRsaDecryptAndHmacWorkAndKeepTheirSecretsOffTheWire() throws Exception {
    byte[] sealAuth = random(32);
    byte[] sealed = random(32);
    byte[] hmacAuth = random(32);
    byte[] hmacKey = random(32);
    byte[] decryptAuth = random(32);
    byte[] message = random(32);
    byte[] hmacData = random(60);
    conn().record();
    byte[] unsealed;
    byte[] sha1Message;
    byte[] sha256Message;
    byte[] mac;
    CreatedObject rsa;
    try (SaltedSession session = SaltedSession.start(conn(), srk(), RANDOM)) {
      CreatedObject sealedObject = session.create(srk(), new byte[0], sealAuth, sealed, keyedHashTemplate(false));
      CreatedObject hmacObject = session.create(srk(), new byte[0], hmacAuth, hmacKey, keyedHashTemplate(true));
      rsa = session.create(srk(), new byte[0], decryptAuth, new byte[0], rsaDecryptTemplate());

      LoadedObject s = load(sealedObject);
      unsealed = session.unseal(s, sealAuth);
      TpmCommandException wrong = assertThrows(TpmCommandException.class, () -> session.unseal(s, random(32)));
      assertTrue(wrong.isAuthFail(), "the sealed object is DA-protected: " + wrong.getMessage());
      unload(s); // three object slots: the SRK and two more

      LoadedObject h = load(hmacObject);
      mac = session.hmac(h, hmacAuth, hmacData);
      unload(h);

      LoadedObject d = load(rsa);
      TPMT_PUBLIC rsaPublic = TPMT_PUBLIC.fromBytes(rsa.publicArea());
      sha1Message = session.rsaDecrypt(d, decryptAuth, oaep(rsaPublic, "SHA-1", message), SaltedSession.ALG_SHA1);
      sha256Message =
          session.rsaDecrypt(d, decryptAuth, oaep(rsaPublic, "SHA-256", message), SaltedSession.ALG_SHA256);
      TpmCommandException refused = assertThrows(TpmCommandException.class,
          () -> session.rsaDecrypt(d, decryptAuth, oaep(rsaPublic, "SHA-256", message), SaltedSession.ALG_SHA1));
      assertFalse(refused.isWrongAuth(), "a ciphertext that does not decode is not an authorisation failure");
      assertTrue(session.isUsable(), "a refused command leaves the session usable");
    }
    List<byte[]> commands = conn().stopRecording();
    List<byte[]> responses = conn().recordedResponses();

    assertArrayEquals(sealed, unsealed);
    javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
    jdk.init(new javax.crypto.spec.SecretKeySpec(hmacKey, "HmacSHA256"));
    assertArrayEquals(jdk.doFinal(hmacData), mac);
    assertArrayEquals(message, sha1Message);
    assertArrayEquals(message, sha256Message);
    for (byte[] secret : List.of(sealAuth, sealed, hmacAuth, hmacKey, decryptAuth, message, mac)) {
      for (byte[] command : commands) {
        assertFalse(ByteSearch.contains(command, secret), "a secret was sent in clear");
      }
      for (byte[] response : responses) {
        assertFalse(ByteSearch.contains(response, secret), "a secret came back in clear");
      }
    }
    assertFalse(ByteSearch.contains(rsa.privateArea(), decryptAuth), "the private area is encrypted under the SRK");
    rsa.destroy();
    assertArrayEquals(new byte[rsa.privateArea().length], rsa.privateArea());
  }

  @Test
  void aForgottenSessionSendsNothingAndTheTpmAnswersReferenceS0ForItsHandle() throws Exception {
    LoadedObject key = load(userKey());
    SaltedSession session = SaltedSession.start(conn(), srk(), RANDOM);
    session.sign(key, keyAuth, random(32));
    tss().FlushContext(TPM_HANDLE.from(session.handle()));
    SaltedSession other = SaltedSession.start(conn(), srk(), RANDOM);
    try (other) {
      other.close();
      // Flushed behind the first session's back: the TPM no longer knows it.
      TpmCommandException gone =
          assertThrows(TpmCommandException.class, () -> session.sign(key, keyAuth, random(32)));
      assertTrue(TpmResponseCodes.isSessionNotLoaded(gone.responseCode()), gone.getMessage());
      assertEquals(TpmResponseCodes.REFERENCE_S0, gone.responseCode());
      conn().record();
      session.forget();
      session.close();
      assertEquals(List.of(), conn().stopRecording(), "forget() and a later close() send nothing");
      assertFalse(session.isUsable());
    }
  }

  /** Prints the cost of a fresh salted session per Sign against TSS.Java's password-session Sign. */
  @Test
  void timingsOfSaltedAndPasswordSessions() throws Exception {
    LoadedObject key = load(userKey());
    TPM_HANDLE keyHandle = TPM_HANDLE.from(key.handle());
    keyHandle.AuthValue = keyAuth;
    int n = 60;
    byte[] message = random(32);
    byte[] digest = sha256(message);
    long[] password = new long[n];
    long[] fresh = new long[n];
    long[] kept = new long[n];
    long[] startAndFlush = new long[n];
    TPMT_SIGNATURE last = null;
    // Interleaved, so that the three share whatever else the machine is doing.
    try (SaltedSession session = SaltedSession.start(conn(), srk(), RANDOM)) {
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        tss().Sign(keyHandle, digest, new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), new TPMT_TK_HASHCHECK());
        long t1 = System.nanoTime();
        last = SecureCommands.sign(conn(), srk(), RANDOM, key, keyAuth, digest);
        long t2 = System.nanoTime();
        last = session.sign(key, keyAuth, digest);
        long t3 = System.nanoTime();
        SaltedSession.start(conn(), srk(), RANDOM).close();
        long t4 = System.nanoTime();
        password[i] = t1 - t0;
        fresh[i] = t2 - t1;
        kept[i] = t3 - t2;
        startAndFlush[i] = t4 - t3;
      }
    }
    assertTrue(last != null && verifies(userKey().outPublic, message, last));
    log.info(
        "TPM2_Sign RSA-2048 on swtpm, {} runs, median/p90 ms: TSS.Java password session {}; new salted session per"
            + " call {}; one kept salted session {}; StartAuthSession + FlushContext alone {}",
        n, stats(password), stats(fresh), stats(kept), stats(startAndFlush));
  }

  // ------------------------------------------------------------------------------------------------------------

  private LoadedObject load(CreateResponse key) {
    TPM_HANDLE h = tss().Load(srkHandle(), key.outPrivate, key.outPublic);
    loaded.add(h);
    return LoadedObject.of(h.handle, key.outPublic);
  }

  private LoadedObject load(CreatedObject created) {
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(created.publicArea());
    TPM_HANDLE h = tss().Load(srkHandle(), new TPM2B_PRIVATE(created.privateArea()), pub);
    loaded.add(h);
    return LoadedObject.of(h.handle, created.publicArea());
  }

  private void unload(LoadedObject object) {
    TPM_HANDLE h = loaded.stream().filter(l -> l.handle == object.handle()).findFirst().orElseThrow();
    tss().FlushContext(h);
    loaded.remove(h);
  }

  /** A sealed data object, or with {@code hmac} an HMAC-SHA256 key; both with the given data, DA-protected. */
  private static TPMT_PUBLIC keyedHashTemplate(boolean hmac) {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        hmac
            ? new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.userWithAuth)
            : new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.userWithAuth),
        new byte[0],
        new TPMS_KEYEDHASH_PARMS(hmac ? new TPMS_SCHEME_HMAC(TPM_ALG_ID.SHA256) : new TPMS_NULL_SCHEME_KEYEDHASH()),
        new TPM2B_DIGEST_KEYEDHASH());
  }

  /** An unrestricted RSA-2048 decryption key with a NULL scheme (OAEP chosen per command). */
  private static TPMT_PUBLIC rsaDecryptTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.decrypt, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA),
        new byte[0],
        new TPMS_RSA_PARMS(
            new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), new TPMS_NULL_ASYM_SCHEME(), 2048, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  private static byte[] oaep(TPMT_PUBLIC pub, String hash, byte[] message) throws Exception {
    javax.crypto.Cipher rsa = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
    rsa.init(javax.crypto.Cipher.ENCRYPT_MODE, rsaKey(pub), new javax.crypto.spec.OAEPParameterSpec(hash, "MGF1",
        new java.security.spec.MGF1ParameterSpec(hash), javax.crypto.spec.PSource.PSpecified.DEFAULT));
    return rsa.doFinal(message);
  }

  private static List<Integer> loadedSessions() {
    GetCapabilityResponse caps = tss().GetCapability(TPM_CAP.HANDLES, 0x02000000, 64);
    List<Integer> sessions = new ArrayList<>();
    for (TPM_HANDLE h : ((TPML_HANDLE) caps.capabilityData).handle) {
      if (h.handle >>> 24 == 0x02) {
        sessions.add(h.handle);
      }
    }
    return sessions;
  }

  private static int lockoutCounter() {
    GetCapabilityResponse caps = tss().GetCapability(TPM_CAP.TPM_PROPERTIES, TPM_PT.LOCKOUT_COUNTER.toInt(), 1);
    return ((TPML_TAGGED_TPM_PROPERTY) caps.capabilityData).tpmProperty[0].value;
  }

  private static TPMT_PUBLIC srkTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(
            TPMA_OBJECT.fixedTPM,
            TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth,
            TPMA_OBJECT.noDA,
            TPMA_OBJECT.restricted,
            TPMA_OBJECT.decrypt),
        new byte[0],
        new TPMS_RSA_PARMS(
            new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, 128, TPM_ALG_ID.CFB), new TPMS_NULL_ASYM_SCHEME(), 2048, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  /** The user key (DA-protected, auth from the PIN) or, with {@code restricted}, the AK (noDA, empty auth). */
  private static TPMT_PUBLIC rsaSigningTemplate(boolean restricted) {
    TPMA_OBJECT attributes = restricted
        ? new TPMA_OBJECT(
            TPMA_OBJECT.sign,
            TPMA_OBJECT.restricted,
            TPMA_OBJECT.fixedTPM,
            TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth,
            TPMA_OBJECT.noDA)
        : new TPMA_OBJECT(
            TPMA_OBJECT.sign,
            TPMA_OBJECT.fixedTPM,
            TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth);
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        attributes,
        new byte[0],
        new TPMS_RSA_PARMS(
            new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL),
            new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256),
            2048,
            0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  private static boolean verifies(TPMT_PUBLIC pub, byte[] message, TPMT_SIGNATURE signature) throws Exception {
    TPMS_SIGNATURE_RSASSA rsassa = assertInstanceOf(TPMS_SIGNATURE_RSASSA.class, signature.signature);
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(rsaKey(pub));
    verifier.update(message);
    return verifier.verify(rsassa.sig);
  }

  private static PublicKey rsaKey(TPMT_PUBLIC pub) throws Exception {
    int exponent = ((TPMS_RSA_PARMS) pub.parameters).exponent;
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, ((TPM2B_PUBLIC_KEY_RSA) pub.unique).buffer),
        BigInteger.valueOf(exponent == 0 ? 65537 : exponent)));
  }

  /** nameAlg (SHA-256) || SHA-256(TPMT_PUBLIC), computed independently of {@link LoadedObject}. */
  private static byte[] nameOf(TPMT_PUBLIC pub) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(pub.toBytes());
    byte[] name = new byte[34];
    name[1] = 0x0B;
    System.arraycopy(digest, 0, name, 2, 32);
    return name;
  }

  private static int commandCode(byte[] command) {
    return ((command[6] & 0xFF) << 24) | ((command[7] & 0xFF) << 16) | ((command[8] & 0xFF) << 8)
        | (command[9] & 0xFF);
  }

  private static int responseCode(byte[] response) {
    return commandCode(response);
  }

  private static String stats(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        java.util.Locale.ROOT, "%.2f/%.2f", sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6);
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static Tpm tss() {
    return java.util.Objects.requireNonNull(tss, "tss");
  }

  private static SwtpmConnection conn() {
    return java.util.Objects.requireNonNull(conn, "conn");
  }

  private static LoadedObject srk() {
    return java.util.Objects.requireNonNull(srk, "srk");
  }

  private static TPM_HANDLE srkHandle() {
    return java.util.Objects.requireNonNull(srkHandle, "srkHandle");
  }

  private static CreateResponse userKey() {
    return java.util.Objects.requireNonNull(userKey, "userKey");
  }

  private static CreateResponse ak() {
    return java.util.Objects.requireNonNull(ak, "ak");
  }
}
