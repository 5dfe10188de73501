package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.TestBiometricModality;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tss.Tpm;
import tss.tpm.ReadPublicResponse;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;

/** Key operations against a real swtpm: keys made in the TPM, both signature schemes, slots, stale handles. */
class TpmKeysTest {
  private static final byte[] MESSAGE = "signed inside the TPM".getBytes(StandardCharsets.UTF_8);
  private static @Nullable Swtpm swtpm;
  private @Nullable TpmSession session;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    swtpm = Swtpm.start(dir);
  }

  @AfterAll
  static void stop() {
    if (swtpm != null) {
      swtpm.close();
    }
  }

  @BeforeEach
  void open(@TempDir Path data) throws Exception {
    tpm().relaxDictionaryAttack();
    session = TpmTestSupport.open(tpm(), data, MutableClock.create(), Map.of());
  }

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
  }

  private static Swtpm tpm() {
    Swtpm t = swtpm;
    if (t == null) {
      throw new IllegalStateException("no swtpm");
    }
    return t;
  }

  private TpmSession session() {
    TpmSession s = session;
    if (s == null) {
      throw new IllegalStateException("no session");
    }
    return s;
  }

  @Test
  void aKeyCreatedInTheTpmHasTheUserKeyTemplateAndSignsBothSchemesVerifiableByTheJdk() throws Exception {
    TpmKeys keys = session().keys();
    byte[] auth = AuthValues.random();
    KeyBlob blob = keys.createSigningKey(auth);
    RSAPublicKey publicKey = TpmKeys.rsaPublicKey(blob.publicArea());
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(blob.publicArea());
    assertEquals(0x00040072, pub.objectAttributes.toInt(), "sign|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth");
    assertEquals(0, pub.authPolicy.length);
    assertEquals(2048, publicKey.getModulus().bitLength());

    byte[] digest = TpmUnlockedKey.sha256(MESSAGE);
    byte[] rs256 = keys.sign(blob, auth, digest, SignatureAlgorithm.RSA_PKCS1_SHA256);
    Signature pkcs1 = Signature.getInstance("SHA256withRSA");
    pkcs1.initVerify(publicKey);
    pkcs1.update(MESSAGE);
    assertTrue(pkcs1.verify(rs256));

    byte[] ps256 = keys.sign(blob, auth, digest, SignatureAlgorithm.RSA_PSS_SHA256);
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initVerify(publicKey);
    pss.update(MESSAGE);
    assertTrue(pss.verify(ps256), "the TPM's PSS salt is 32 bytes, as PS256 requires");
    assertFalse(Arrays.equals(ps256, keys.sign(blob, auth, digest, SignatureAlgorithm.RSA_PSS_SHA256)),
        "PSS is randomised");
  }

  @Test
  void theNameWeComputeIsTheNameTheTpmReports() throws Exception {
    KeyBlob blob = session().keys().createSigningKey(AuthValues.random());
    byte[] tpmName = session().connection().call("reading a name", t -> {
      TPM_HANDLE h = t._allowErrors().Load(srk(t), new tss.tpm.TPM2B_PRIVATE(blob.privateArea()),
          TPMT_PUBLIC.fromBytes(blob.publicArea()));
      try {
        ReadPublicResponse r = t._allowErrors().ReadPublic(h);
        return r.name;
      } finally {
        t._allowErrors().FlushContext(h);
      }
    });
    assertArrayEquals(tpmName, blob.name());
  }

  @Test
  void aWrongAuthValueIsRefusedAsAuthFailAndCountedByTheTpm() throws Exception {
    TpmKeys keys = session().keys();
    KeyBlob blob = keys.createSigningKey(AuthValues.random());
    int before = keys.dictionaryAttackState().failures();
    AuthFailure e = assertThrows(AuthFailure.class, () -> keys.verifyAuth(blob, AuthValues.random()));
    assertFalse(e.lockout());
    assertEquals(TpmRc.AUTH_FAIL, TpmRc.error(e.responseCode()), TpmRc.hex(e.responseCode()));
    assertEquals(before + 1, keys.dictionaryAttackState().failures(), "the user key is DA-protected");
  }

  @Test
  void changeAuthGivesANewBlobAndTheOldBlobStillOpensWithTheOldValue() throws Exception {
    TpmKeys keys = session().keys();
    byte[] oldAuth = AuthValues.random();
    byte[] newAuth = AuthValues.random();
    KeyBlob blob = keys.createSigningKey(oldAuth);
    KeyBlob changed = blob.withPrivate(keys.changeAuth(blob, oldAuth, newAuth));
    assertFalse(changed.hasPrivate(blob.privateArea()));
    keys.verifyAuth(changed, newAuth);
    assertThrows(AuthFailure.class, () -> keys.verifyAuth(changed, oldAuth));
    // Why every old blob must be destroyed: the TPM cannot revoke it.
    keys.verifyAuth(blob, oldAuth);
  }

  @Test
  void aSealedObjectReturnsItsDataOnlyForItsAuthValue() throws Exception {
    TpmKeys keys = session().keys();
    byte[] auth = AuthValues.random();
    byte[] secret = AuthValues.random();
    KeyBlob sealed = keys.seal(auth, secret);
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(sealed.publicArea());
    assertEquals(TpmKeys.SEALED_ATTRIBUTES, pub.objectAttributes.toInt(), "no sensitiveDataOrigin, not noDA");
    assertArrayEquals(secret, keys.unseal(sealed, auth));
    assertThrows(AuthFailure.class, () -> keys.unseal(sealed, AuthValues.random()));
  }

  @Test
  void aDamagedBlobIsReportedAsACorruptedContainerNotAWrongPin() throws Exception {
    TpmKeys keys = session().keys();
    byte[] auth = AuthValues.random();
    KeyBlob blob = keys.createSigningKey(auth);
    byte[] damaged = blob.privateArea();
    damaged[damaged.length - 1] ^= 1;
    int before = keys.dictionaryAttackState().failures();
    assertThrows(ContainerCorruptedException.class, () -> keys.verifyAuth(blob.withPrivate(damaged), auth));
    assertEquals(before, keys.dictionaryAttackState().failures());
  }

  @Test
  void manyOperationsNeverLeaveMoreThanTheSrkLoaded() throws Exception {
    TpmStore store = session().store();
    TestBiometricModality fingerprint = TestBiometricModality.withId("fingerprint");
    UserPrincipal alice = UserPrincipal.of("alice@contoso.com");
    KeyContainer a = store.create(new ContainerSpec(ContainerId.of("a"), alice, ProtectorSpec.pin(),
        PinPolicy.defaults()), session().keySource().generate(), ScriptedGestures.create().pin("314159".toCharArray()));
    a.addProtector(ProtectorSpec.biometric("fingerprint"),
        ScriptedGestures.create().pin("314159".toCharArray()).biometric(fingerprint));
    KeyContainer b = store.create(new ContainerSpec(ContainerId.of("b"), alice, ProtectorSpec.pin(),
        PinPolicy.defaults()), session().keySource().generate(), ScriptedGestures.create().pin("271828".toCharArray()));
    int srk = session().keys().srkHandle();
    for (int i = 0; i < 30; i++) {
      KeyContainer c = i % 2 == 0 ? a : b;
      ScriptedGestures g = i % 2 == 0
          ? (i % 4 == 0 ? ScriptedGestures.create().biometric(fingerprint)
              : ScriptedGestures.create().cancel().pin("314159".toCharArray()))
          : ScriptedGestures.create().pin("271828".toCharArray());
      try (UnlockedKey k = c.unlock(g)) {
        k.sign(i % 3 == 0 ? SignatureAlgorithm.RSA_PSS_SHA256 : SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
      }
      assertArrayEquals(new int[] {srk}, session().keys().loadedTransientHandles(), "after operation " + i);
    }
  }

  @Test
  void staleHandlesOfADeadClientAreFlushedOnConnect(@TempDir Path data) throws Exception {
    // Fill all three slots with objects and leave without flushing, as a crashed client would.
    TpmSession first = session();
    KeyBlob blob = first.keys().createSigningKey(AuthValues.random());
    first.connection().call("leaking objects", t -> {
      TPM_HANDLE srk = srk(t);
      for (int i = 0; i < 2; i++) {
        t._allowErrors().Load(srk, new tss.tpm.TPM2B_PRIVATE(blob.privateArea()),
            TPMT_PUBLIC.fromBytes(blob.publicArea()));
        assertEquals(0, first.connection().lastResponseCode());
      }
      return true;
    });
    assertEquals(3, first.keys().loadedTransientHandles().length);
    first.connection().close(); // gone without flushing anything: swtpm keeps the objects (no resource manager)
    session = null;

    try (TpmSession second = TpmTestSupport.open(tpm(), data, MutableClock.create(), Map.of())) {
      int[] loaded = second.keys().loadedTransientHandles();
      assertEquals(1, loaded.length, "only the new SRK: the three stale objects were flushed");
      assertEquals(second.keys().srkHandle(), loaded[0]);
      byte[] auth = AuthValues.random();
      KeyBlob fresh = second.keys().createSigningKey(auth);
      second.keys().sign(fresh, auth, new byte[32], SignatureAlgorithm.RSA_PKCS1_SHA256);
    }
  }

  @Test
  void theDerivedSrkIsTheSameOnEveryConnectionAndAPersistentOneWorksToo(@TempDir Path data) throws Exception {
    byte[] derived = session().keys().srkName();
    session().close();
    session = null;
    try (TpmSession again = TpmTestSupport.open(tpm(), data, MutableClock.create(), Map.of())) {
      assertArrayEquals(derived, again.keys().srkName());
    }
    try (TpmSession persistent = TpmTestSupport.open(tpm(), data, MutableClock.create(),
        Map.of(TpmSettings.KEY_SRK, "persist"))) {
      assertEquals(TpmSettings.DEFAULT_SRK_HANDLE, persistent.keys().srkHandle());
      assertArrayEquals(derived, persistent.keys().srkName(), "same template, same owner seed: same key");
      assertEquals(0, persistent.keys().loadedTransientHandles().length, "a persistent SRK takes no slot");
      byte[] auth = AuthValues.random();
      KeyBlob blob = persistent.keys().createSigningKey(auth);
      persistent.keys().sign(blob, auth, new byte[32], SignatureAlgorithm.RSA_PKCS1_SHA256);
    }
    try (TpmSession persistentAgain = TpmTestSupport.open(tpm(), data, MutableClock.create(),
        Map.of(TpmSettings.KEY_SRK, "persist"))) {
      assertArrayEquals(derived, persistentAgain.keys().srkName(), "found at 0x81000001, not created again");
      // remove it again so that other tests see a clean TPM
      persistentAgain.connection().call("evicting the SRK", t -> {
        t._allowErrors().EvictControl(TPM_HANDLE.from(tss.tpm.TPM_RH.OWNER),
            TPM_HANDLE.from(TpmSettings.DEFAULT_SRK_HANDLE), TPM_HANDLE.from(TpmSettings.DEFAULT_SRK_HANDLE));
        assertEquals(0, persistentAgain.connection().lastResponseCode());
        return true;
      });
    }
  }

  @Test
  void rawTransactSharesTheConnectionAndItsLock() throws Exception {
    byte[] getRandom = {(byte) 0x80, 0x01, 0, 0, 0, 0x0c, 0, 0, 0x01, 0x7b, 0, 0x10};
    byte[] response = session().connection().transact(getRandom);
    assertEquals(28, response.length);
    assertEquals(0, TpmConnection.readU32(response, 6));
    assertEquals(0, session().connection().lastResponseCode());
    assertNotEquals(-1, session().connection().commandsWritten());
  }

  @Test
  void timingsOfTheKeyOperationsAreReported() throws Exception {
    TpmKeys keys = session().keys();
    UserPrincipal alice = UserPrincipal.of("alice@contoso.com");
    long[] create = new long[3];
    for (int i = 0; i < create.length; i++) {
      long t0 = System.nanoTime();
      session().keySource().generate().close();
      create[i] = System.nanoTime() - t0;
    }
    KeyContainer container = session().store().create(new ContainerSpec(ContainerId.of("timed"), alice,
        ProtectorSpec.pin(), PinPolicy.defaults()), session().keySource().generate(),
        ScriptedGestures.create().pin("314159".toCharArray()));
    long[] unlock = new long[20];
    long[] sign = new long[40];
    try (UnlockedKey k = container.unlock(ScriptedGestures.create().pin("314159".toCharArray()))) {
      for (int i = 0; i < sign.length; i++) {
        long t0 = System.nanoTime();
        k.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
        sign[i] = System.nanoTime() - t0;
      }
    }
    for (int i = 0; i < unlock.length; i++) {
      long t0 = System.nanoTime();
      container.unlock(ScriptedGestures.create().pin("314159".toCharArray())).close();
      unlock[i] = System.nanoTime() - t0;
    }
    long[] change = new long[5];
    for (int i = 0; i < change.length; i++) {
      long t0 = System.nanoTime();
      container.changePin(ScriptedGestures.create().pin("314159".toCharArray()).pin("314159".toCharArray()));
      change[i] = System.nanoTime() - t0;
    }
    org.slf4j.LoggerFactory.getLogger(TpmKeysTest.class).info(
        "swtpm timings, median ms: TPM2_Create RSA-2048 {} (n={}); container unlock (DA check + PIN check + 2 atomic "
            + "counter writes) {}; sign with an unlocked key (Load + Sign + Flush) {} (p90 {}); PIN change {}",
        ms(median(create)), create.length, ms(median(unlock)), ms(median(sign)), ms(percentile(sign, 90)),
        ms(median(change)));
    assertTrue(median(sign) < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200), "a TPM signature is quick");
    assertTrue(keys.dictionaryAttackState().failures() == 0, "no failed authorisation on the way");
  }

  private static long median(long[] v) {
    return percentile(v, 50);
  }

  private static long percentile(long[] v, int p) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)];
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
  }

  private static TPM_HANDLE srk(Tpm t) {
    // The SRK of the session under test is the only transient object between operations.
    tss.tpm.GetCapabilityResponse r = t._allowErrors().GetCapability(tss.tpm.TPM_CAP.HANDLES, 0x80000000, 8);
    TPM_HANDLE h = ((tss.tpm.TPML_HANDLE) r.capabilityData).handle[0];
    h.AuthValue = new byte[0];
    return h;
  }
}
