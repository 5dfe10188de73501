package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.TestBiometricModality;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;

/**
 * What crosses the TPM interface when the provider is used through its public API: the provider talks to swtpm
 * through a recording proxy ({@link RecordingTpmProxy}), and the test derives every authValue the way the provider
 * does (from the PIN, the stored salt, the user, the container id and the key name) and looks for it in every byte
 * that was sent. No command may carry an authValue, the pooled key's throwaway authValue, a sealed object's data, or
 * the PIN; no response may carry the unsealed key authValue. A control assertion shows that TSS.Java's password
 * session, which the provider used before, does put the authValue into the command.
 */
class SecretsOnTheWireTest {
  private static final Logger log = LoggerFactory.getLogger(SecretsOnTheWireTest.class);
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final ContainerId ID = ContainerId.of("wire-1");
  private static final String PIN_1 = "271828";
  private static final String PIN_2 = "161803";
  private static final byte[] MESSAGE = "signed through a salted session".getBytes(StandardCharsets.UTF_8);
  private static final int CC_CREATE = 0x153;
  private static final int CC_OBJECT_CHANGE_AUTH = 0x150;
  private static final int CC_SIGN = 0x15D;
  private static final int CC_UNSEAL = 0x15E;
  private static final int CC_START_AUTH_SESSION = 0x176;
  private static final int CC_LOAD = 0x157;
  private static final int RS_PW = 0x40000009;

  private static @Nullable Swtpm swtpm;
  private static @Nullable RecordingTpmProxy proxy;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Swtpm t = Swtpm.start(dir); // fails with "apt-get install swtpm swtpm-tools" when missing
    swtpm = t;
    proxy = RecordingTpmProxy.start(t.host(), t.port());
  }

  @AfterAll
  static void stop() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      if (swtpm != null) {
        swtpm.close();
      }
    }
  }

  @BeforeEach
  void relaxDictionaryAttack() throws Exception {
    tpm().relaxDictionaryAttack();
  }

  private static Swtpm tpm() {
    return java.util.Objects.requireNonNull(swtpm, "swtpm");
  }

  private static RecordingTpmProxy proxy() {
    return java.util.Objects.requireNonNull(proxy, "proxy");
  }

  /** Opens the provider through its public API, pointed at the recording proxy. */
  private static ProviderSession open(Path data) throws Exception {
    return TpmCredentialProvider.builder()
        .device(proxy().deviceSpec())
        .maxAttempts(TpmTestSupport.MAX_ATTEMPTS)
        .commandTimeout(TpmTestSupport.COMMAND_TIMEOUT)
        .build()
        .open(new ProviderContext(data, MutableClock.create(), Map.of()));
  }

  @Test
  void poolBindingUnlockSignPinChangeAndBiometricUnlockNeverSendASecretInClear(@TempDir Path data) throws Exception {
    TestBiometricModality fingerprint = TestBiometricModality.withId("fingerprint");
    fingerprint.enroll(ALICE);
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    List<byte[]> commands;
    List<byte[]> responses;
    try (ProviderSession provider = open(data)) {
      TpmSession session = (TpmSession) provider;
      proxy().record();

      // Pool key: TPM2_Create with a random throwaway authValue, then bound to the container with
      // TPM2_ObjectChangeAuth to the PIN's value.
      PooledKey pooled = provider.keySource().generate();
      secrets.put("the pooled key's throwaway authValue", throwawayAuth(pooled));
      KeyContainer container = provider.containers().create(
          new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), pooled,
          ScriptedGestures.create().pin(PIN_1.toCharArray()));
      ContainerRecord record = session.store().readContainer(ID);
      byte[] keyName = KeyBlob.nameOf(record.keyPublic());
      byte[] pinAuth1 = pinAuth(PIN_1, record, keyName);
      secrets.put("the first PIN's authValue", pinAuth1);

      // Unlock (PIN check: ObjectChangeAuth to the same value) and sign.
      try (UnlockedKey key = container.unlock(ScriptedGestures.create().pin(PIN_1.toCharArray()))) {
        assertTrue(verifies(container, key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE)));
        assertTrue(verifies(container, key.sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE)));
      }

      // PIN change: check the old PIN, ObjectChangeAuth to the new one.
      container.changePin(ScriptedGestures.create().pin(PIN_1.toCharArray()).pin(PIN_2.toCharArray()));
      ContainerRecord changed = session.store().readContainer(ID);
      byte[] pinAuth2 = pinAuth(PIN_2, changed, keyName);
      assertFalse(Arrays.equals(pinAuth1, pinAuth2));
      secrets.put("the second PIN's authValue", pinAuth2);

      // Biometric: added (a random key authValue sealed under the biometric's authValue), then used to unlock
      // (TPM2_Unseal returns the key authValue) and sign.
      container.addProtector(ProtectorSpec.biometric("fingerprint"),
          ScriptedGestures.create().pin(PIN_2.toCharArray()).biometric(fingerprint));
      try (UnlockedKey key = container.unlock(ScriptedGestures.create().biometric(fingerprint))) {
        assertTrue(verifies(container, key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE)));
      }
      commands = proxy().stop();
      responses = proxy().responses();

      ContainerRecord.Protector biometric = session.store().readContainer(ID).protectors.biometrics().get(0);
      byte[] sealAuth;
      try (BiometricMatch match = fingerprint.match(ALICE)) {
        sealAuth = AuthValues.fromBiometric(match, biometric.salt(), ALICE, ID, keyName);
      }
      secrets.put("the biometric's sealed-object authValue", sealAuth);
      KeyBlob sealed = biometric.sealed();
      // Unsealed here, after the recording: the value the biometric path carried out of the TPM.
      byte[] biometricKeyAuth = session.keys().unseal(sealed, sealAuth);
      secrets.put("the key authValue sealed for the biometric", biometricKeyAuth);
      secrets.put("the PIN itself", PIN_1.getBytes(StandardCharsets.UTF_8));
      secrets.put("the new PIN itself", PIN_2.getBytes(StandardCharsets.UTF_8));

      // Control: the password session the provider used before (TSS.Java's, built from TPM_HANDLE.AuthValue) puts
      // the authValue into the command, and the recording sees it.
      KeyBlob pinBlob = changed.protectors.pin().orElseThrow().key(changed.keyPublic());
      proxy().record();
      session.connection().call("a password-session sign, for comparison", t -> {
        TPM_HANDLE h = session.keys().load(t, pinBlob);
        try {
          h.AuthValue = pinAuth2;
          t._allowErrors().Sign(h, TpmUnlockedKey.sha256(MESSAGE), new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256),
              TPMT_TK_HASHCHECK.nullTicket());
          assertEquals(0, session.connection().lastResponseCode());
        } finally {
          session.keys().flush(t, h);
        }
        return true;
      });
      List<byte[]> control = proxy().stop();
      assertTrue(control.stream().anyMatch(c -> RecordingTpmProxy.contains(c, pinAuth2)),
          "control: TSS.Java's password session carries the authValue in clear");
    }

    // What the secure path sent: every command that authorises with a user's value ran in an HMAC session.
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    for (byte[] command : commands) {
      int cc = RecordingTpmProxy.code(command);
      counts.merge(cc, 1, Integer::sum);
      if (cc == CC_CREATE || cc == CC_SIGN || cc == CC_UNSEAL || cc == CC_OBJECT_CHANGE_AUTH) {
        int handles = cc == CC_OBJECT_CHANGE_AUTH ? 2 : 1;
        int session = readInt(command, 10 + 4 * handles + 4);
        assertEquals(0x8002, ((command[0] & 0xFF) << 8) | (command[1] & 0xFF));
        assertEquals(0x02, session >>> 24, String.format(Locale.ROOT,
            "command 0x%X authorised by 0x%08X, not by a salted HMAC session", cc, session));
        assertNotEquals(RS_PW, session);
      }
    }
    log.info("commands sent for pool key, binding, unlock + 2 signs, PIN change, biometric add + unlock + sign: {}",
        describe(counts));
    assertEquals(2, counts.getOrDefault(CC_CREATE, 0), "the pool key and the sealed object");
    assertEquals(3, counts.getOrDefault(CC_SIGN, 0));
    assertEquals(1, counts.getOrDefault(CC_UNSEAL, 0));
    // binding, PIN check at unlock, PIN check and change at PIN change, PIN check and change at biometric add
    assertEquals(6, counts.getOrDefault(CC_OBJECT_CHANGE_AUTH, 0));
    assertEquals(1, counts.getOrDefault(CC_START_AUTH_SESSION, 0), "one salted session kept for everything");
    assertTrue(counts.getOrDefault(CC_LOAD, 0) >= 10);

    for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
      for (byte[] command : commands) {
        assertFalse(RecordingTpmProxy.contains(command, secret.getValue()), () -> secret.getKey()
            + " was sent in clear in command 0x" + Integer.toHexString(RecordingTpmProxy.code(command)));
      }
      for (byte[] response : responses) {
        assertFalse(RecordingTpmProxy.contains(response, secret.getValue()), () -> secret.getKey()
            + " came back in clear in a response");
      }
    }
  }

  @Test
  void theKeptSessionIsStartedAgainWhenTheTpmNoLongerHoldsIt(@TempDir Path data) throws Exception {
    try (ProviderSession provider = open(data)) {
      TpmSession session = (TpmSession) provider;
      KeyContainer container = provider.containers().create(
          new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), provider.keySource().generate(),
          ScriptedGestures.create().pin(PIN_1.toCharArray()));
      int sessionsBefore = loadedSessions(session).size();
      assertEquals(1, sessionsBefore, "the kept session");
      // Flush it behind the provider's back, as a TPM reset or another client with rights to do so would.
      for (int handle : loadedSessions(session)) {
        session.connection().call("flushing the session behind the provider's back", t -> {
          t._allowErrors().FlushContext(TPM_HANDLE.from(handle));
          return true;
        });
      }
      proxy().record();
      byte[] signature = container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE,
          ScriptedGestures.create().pin(PIN_1.toCharArray()));
      List<byte[]> commands = proxy().stop();
      List<byte[]> responses = proxy().responses();
      assertTrue(verifies(container, signature));
      List<Integer> codes = new ArrayList<>();
      for (byte[] c : commands) {
        codes.add(RecordingTpmProxy.code(c));
      }
      int refused = -1;
      for (int i = 0; i < responses.size(); i++) {
        if (RecordingTpmProxy.code(responses.get(i)) == 0x918) {
          refused = i;
        }
      }
      assertTrue(refused >= 0, "the TPM answered TPM_RC_REFERENCE_S0 once");
      assertEquals(CC_START_AUTH_SESSION, codes.get(refused + 1), "then a new session was started");
      assertEquals(codes.get(refused), codes.get(refused + 2), "and the refused command sent again");
      assertEquals(1, loadedSessions(session).size());
      assertEquals(0, TpmTestSupport.dictionaryAttackFailures(provider), "no failed authorisation on the way");
    }
  }

  @Test
  void closingTheProviderFlushesItsSession(@TempDir Path data) throws Exception {
    try (ProviderSession provider = open(data)) {
      provider.containers().create(
          new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), provider.keySource().generate(),
          ScriptedGestures.create().pin(PIN_1.toCharArray()));
      assertEquals(1, loadedSessions((TpmSession) provider).size());
    }
    // Asked over the harness's own connection, with no provider connected (swtpm has no resource manager: a session
    // that was not flushed would still be there).
    byte[] getCapability = {(byte) 0x80, 0x01, 0, 0, 0, 22, 0, 0, 0x01, 0x7A, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 0, 0, 16};
    byte[] response = tpm().sendCommand(getCapability);
    assertEquals(0, RecordingTpmProxy.code(response));
    assertEquals(0, readInt(response, 15), "no session handle is left on the TPM");
  }

  /**
   * Container sign (unlocked key: Load, Sign in the kept salted session, Flush) against a bare TSS.Java Load +
   * Sign + Flush with a password session, the same key, interleaved. Prints the medians; the target is
   * "within 10%". Not asserted (swtpm on a shared machine is noisy); the lead's JMH benchmark is the measurement
   * of record.
   */
  @Test
  void containerSignCostsAboutWhatABareTssJavaSignCosts(@TempDir Path data) throws Exception {
    try (ProviderSession provider = open(data)) {
      TpmSession session = (TpmSession) provider;
      KeyContainer container = provider.containers().create(
          new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), provider.keySource().generate(),
          ScriptedGestures.create().pin(PIN_1.toCharArray()));
      ContainerRecord record = session.store().readContainer(ID);
      byte[] keyName = KeyBlob.nameOf(record.keyPublic());
      byte[] auth = pinAuth(PIN_1, record, keyName);
      KeyBlob blob = record.protectors.pin().orElseThrow().key(record.keyPublic());
      byte[] digest = TpmUnlockedKey.sha256(MESSAGE);
      int warmup = 150;
      int n = 250;
      long[] bare = new long[n];
      long[] secure = new long[n];
      try (UnlockedKey key = container.unlock(ScriptedGestures.create().pin(PIN_1.toCharArray()))) {
        for (int i = -warmup; i < n; i++) {
          long t0 = System.nanoTime();
          session.connection().call("a bare TSS.Java sign", t -> {
            TPM_HANDLE h = session.keys().load(t, blob);
            try {
              h.AuthValue = auth;
              t._allowErrors().Sign(h, digest, new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256),
                  TPMT_TK_HASHCHECK.nullTicket());
              assertEquals(0, session.connection().lastResponseCode());
            } finally {
              t._allowErrors().FlushContext(h);
            }
            return true;
          });
          long t1 = System.nanoTime();
          key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
          long t2 = System.nanoTime();
          if (i >= 0) {
            bare[i] = t1 - t0;
            secure[i] = t2 - t1;
          }
        }
      }
      double ratio = (double) median(secure) / median(bare);
      log.info(String.format(Locale.ROOT,
          "RSA-2048 sign on swtpm, %d interleaved runs, median (p90) ms: bare TSS.Java Load+Sign+Flush with a password"
              + " session %.3f (%.3f); container sign (unlocked key: Load + Sign in the kept salted session + Flush)"
              + " %.3f (%.3f); ratio of medians %.3f",
          n, median(bare) / 1e6, percentile(bare, 90) / 1e6, median(secure) / 1e6, percentile(secure, 90) / 1e6,
          ratio));
      assertTrue(ratio < 3, "a kept salted session must not cost what a fresh one per call does");
    }
  }

  // -------------------------------------------------------------------------------------------------------------

  private static byte[] pinAuth(String pin, ContainerRecord record, byte[] keyName) {
    try (Pin p = Pin.of(pin.toCharArray())) {
      return AuthValues.fromPin(p, record.protectors.pin().orElseThrow().salt(), ALICE, ID, keyName);
    }
  }

  /** The pooled key's throwaway authValue, read before binding zeroes it. */
  private static byte[] throwawayAuth(PooledKey pooled) throws Exception {
    Field f = TpmPooledKey.class.getDeclaredField("throwawayAuth");
    f.setAccessible(true);
    byte[] value = ((byte[]) f.get(pooled)).clone();
    assertFalse(Arrays.equals(new byte[value.length], value));
    return value;
  }

  private static List<Integer> loadedSessions(TpmSession session) throws Exception {
    return session.connection().call("listing sessions", t -> {
      tss.tpm.GetCapabilityResponse r = t._allowErrors().GetCapability(tss.tpm.TPM_CAP.HANDLES, 0x02000000, 16);
      List<Integer> out = new ArrayList<>();
      for (TPM_HANDLE h : ((tss.tpm.TPML_HANDLE) r.capabilityData).handle) {
        if (h.handle >>> 24 == 0x02) {
          out.add(h.handle);
        }
      }
      return out;
    });
  }

  private static boolean verifies(KeyContainer container, byte[] signature) throws Exception {
    Signature pkcs1 = Signature.getInstance("SHA256withRSA");
    pkcs1.initVerify(container.publicKey());
    pkcs1.update(MESSAGE);
    if (pkcs1.verify(signature)) {
      return true;
    }
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new java.security.spec.PSSParameterSpec(
        "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
    pss.initVerify(container.publicKey());
    pss.update(MESSAGE);
    return pss.verify(signature);
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }

  private static String describe(Map<Integer, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ", ").append("0x").append(Integer.toHexString(e.getKey()))
          .append(" x").append(e.getValue());
    }
    return sb.toString();
  }

  private static long median(long[] v) {
    return percentile(v, 50);
  }

  private static long percentile(long[] v, int p) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)];
  }
}
