package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.support.testing.ByteSearch;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.TestBiometricModality;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers against a real swtpm, for what only a TPM does: the TPM's dictionary-attack counter and lockout,
 * blobs that must be destroyed because the TPM cannot revoke them, and the biometric protector's sealed object.
 */
class TpmContainerTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final byte[] MESSAGE = "hello".getBytes(StandardCharsets.UTF_8);
  private static @Nullable Swtpm swtpm;
  private final MutableClock clock = MutableClock.create();
  private final TestBiometricModality fingerprint = TestBiometricModality.withId("fingerprint");
  private @Nullable TpmSession session;
  private @Nullable Path data;

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
  void open(@TempDir Path dir) throws Exception {
    tpm().relaxDictionaryAttack();
    data = dir;
    session = TpmTestSupport.open(tpm(), dir, clock, Map.of());
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

  private static char[] pin() {
    return "314159".toCharArray();
  }

  private static char[] wrong() {
    return "908172".toCharArray();
  }

  private KeyContainer create(String id) throws Exception {
    return session().containers().create(
        new ContainerSpec(ContainerId.of(id), ALICE, ProtectorSpec.pin(), PinPolicy.defaults()),
        session().keySource().generate(), ScriptedGestures.create().pin(pin()));
  }

  @Test
  void wrongPinsCountDownInTheProviderAndInTheTpm() throws Exception {
    KeyContainer c = create("alice-1");
    int tpmBefore = TpmTestSupport.dictionaryAttackFailures(session());
    for (int i = 1; i < TpmTestSupport.MAX_ATTEMPTS; i++) {
      UserVerificationException e = assertThrows(UserVerificationException.class,
          () -> c.unlock(ScriptedGestures.create().pin(wrong())));
      assertEquals(ErrorCode.WRONG_GESTURE, e.code());
      assertEquals(TpmTestSupport.MAX_ATTEMPTS - i, e.attemptsRemaining());
      assertEquals(tpmBefore + i, TpmTestSupport.dictionaryAttackFailures(session()),
          "the TPM counted the wrong authValue itself");
    }
    UserVerificationException locked = assertThrows(UserVerificationException.class,
        () -> c.unlock(ScriptedGestures.create().pin(wrong())));
    assertTrue(locked.lockedOut());
    assertEquals(Duration.ofSeconds(60), Duration.between(clock.instant(), locked.lockedUntil().orElseThrow()));
    // A correct PIN does not lower the TPM's counter (it only decays with time), but resets the provider's.
    clock.advance(Duration.ofSeconds(61));
    c.unlock(ScriptedGestures.create().pin(pin())).close();
    assertEquals(TpmTestSupport.MAX_ATTEMPTS, c.lockoutState().attemptsRemaining());
  }

  @Test
  void theTpmsOwnLockoutMapsToLockedOutWithTheTpmsTimeAndCostsNoProviderAttempt() throws Exception {
    TpmTestSupport.setDictionaryAttack(session(), 2, 600, 600);
    KeyContainer victim = create("victim");
    KeyContainer attacked = create("attacked");
    try (UnlockedKey open = victim.unlock(ScriptedGestures.create().pin(pin()))) {
      // Two wrong PINs on another container reach the TPM's limit of 2: every DA-protected key is locked.
      for (int i = 0; i < 2; i++) {
        assertThrows(UserVerificationException.class, () -> attacked.unlock(ScriptedGestures.create().pin(wrong())));
      }
      TpmKeys.DaState da = session().keys().dictionaryAttackState();
      assertTrue(da.inLockout(), da::toString);

      // A key unlocked before the lockout: TPM2_Sign answers TPM_RC_LOCKOUT, which maps to lockedOut.
      UserVerificationException signing = assertThrows(UserVerificationException.class,
          () -> open.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE));
      assertEquals(ErrorCode.LOCKED_OUT, signing.code());
      Instant until = signing.lockedUntil().orElseThrow();
      assertEquals(Duration.ofMinutes(10), Duration.between(clock.instant(), until), "one interval above the limit");
    }

    // The victim container: refused without asking, its own counter untouched.
    ScriptedGestures none = ScriptedGestures.create();
    UserVerificationException e = assertThrows(UserVerificationException.class, () -> victim.unlock(none));
    assertEquals(ErrorCode.LOCKED_OUT, e.code());
    assertTrue(e.getMessage().contains("dictionary-attack"), e::getMessage);
    assertEquals(List.of(), none.requests(), "nothing is asked while the TPM is locked");
    LockoutState state = victim.lockoutState();
    assertTrue(state.lockedOut());
    assertTrue(state.lockedUntil().isPresent());

    // Once the TPM's lockout is cleared, the victim's PIN works and it still has all its attempts.
    TpmTestSupport.resetDictionaryAttack(session());
    assertEquals(TpmTestSupport.MAX_ATTEMPTS, victim.lockoutState().attemptsRemaining());
    victim.sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE, ScriptedGestures.create().pin(pin()));
  }

  @Test
  void theTimeToWaitFollowsTheTpmsRecoveryIntervalAndAZeroIntervalDisablesTheTpmsLockout() throws Exception {
    TpmTestSupport.setDictionaryAttack(session(), 1, 0, 600);
    KeyContainer c = create("alice-1");
    // recoveryTime 0 disables the TPM's DA protection: a wrong PIN is then only the provider's business.
    assertThrows(UserVerificationException.class, () -> c.unlock(ScriptedGestures.create().pin(wrong())));
    assertFalse(session().keys().dictionaryAttackState().inLockout());
    assertEquals(java.util.Optional.of(Duration.ZERO),
        new TpmKeys.DaState(false, 0, 1, 0, 600).timeToWait());
    assertEquals(java.util.Optional.empty(), new TpmKeys.DaState(true, 1, 1, 0, 600).timeToWait());
    assertEquals(java.util.Optional.of(Duration.ofSeconds(30)), new TpmKeys.DaState(true, 5, 3, 10, 0).timeToWait());
  }

  @Test
  void changingThePinDestroysTheOldBlobWhichTheTpmWouldStillAccept() throws Exception {
    KeyContainer c = create("alice-1");
    Path dir = session().store().containers().directory(c.id());
    Path file = session().store().containers().containerFile(c.id());
    ContainerRecord before = session().store().readContainer(c.id());
    ContainerRecord.Protector oldPin = before.protectors.pin().orElseThrow();
    KeyBlob oldBlob = oldPin.key(before.keyPublic());
    byte[] oldPrivate = oldBlob.privateArea();
    Path observer = dir.resolve("observer-link");
    Files.createLink(observer, file); // sees the old file's content in place

    c.changePin(ScriptedGestures.create().pin(pin()).pin("271828".toCharArray()));

    // The old PIN no longer opens the container; the new one does.
    assertThrows(UserVerificationException.class, () -> c.unlock(ScriptedGestures.create().pin(pin())));
    c.unlock(ScriptedGestures.create().pin("271828".toCharArray())).close();

    // The old blob is gone: overwritten in place, and in no file of the container any more.
    byte[] observed = Files.readAllBytes(observer);
    assertTrue(observed.length > 0);
    for (byte b : observed) {
      assertEquals(0, b, "the replaced container file was overwritten with zeros");
    }
    Files.delete(observer);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        assertFalse(ByteSearch.contains(Files.readAllBytes(f), oldPrivate), f + " still holds the old blob");
      }
    }
    ContainerRecord after = session().store().readContainer(c.id());
    assertFalse(after.protectors.pin().orElseThrow().holds(oldPrivate));
    assertFalse(java.util.Arrays.equals(oldPin.salt(), after.protectors.pin().orElseThrow().salt()), "new salt");

    // Why it matters: the TPM still accepts the old blob with the old PIN's authValue.
    byte[] oldAuth;
    try (Pin old = Pin.of(pin())) {
      oldAuth = AuthValues.fromPin(old, oldPin.salt(), ALICE, c.id(), KeyBlob.nameOf(before.keyPublic()));
    }
    session().keys().verifyAuth(oldBlob, oldAuth);
  }

  @Test
  void aWrongBiometricIsADictionaryAttackFailureOfTheSealedObject() throws Exception {
    KeyContainer c = create("alice-1");
    c.addProtector(ProtectorSpec.biometric("fingerprint"), ScriptedGestures.create().pin(pin()).biometric(fingerprint));
    ContainerRecord record = session().store().readContainer(c.id());
    ContainerRecord.Protector bio = record.protectors.biometrics().get(0);
    assertFalse(java.util.Arrays.equals(bio.key(record.keyPublic()).privateArea(),
        record.protectors.pin().orElseThrow().key(record.keyPublic()).privateArea()),
        "each protector has its own blob");

    int tpmBefore = TpmTestSupport.dictionaryAttackFailures(session());
    fingerprint.failNextMatch(); // the script then hands the provider a match with a wrong secret
    UserVerificationException e = assertThrows(UserVerificationException.class,
        () -> c.unlock(ScriptedGestures.create().biometric(fingerprint)));
    assertEquals(ErrorCode.WRONG_GESTURE, e.code());
    assertEquals(tpmBefore + 1, TpmTestSupport.dictionaryAttackFailures(session()), "the TPM judged the secret");

    byte[] signature = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE,
        ScriptedGestures.create().biometric(fingerprint));
    java.security.Signature v = java.security.Signature.getInstance("SHA256withRSA");
    v.initVerify(c.publicKey());
    v.update(MESSAGE);
    assertTrue(v.verify(signature));
  }

  @Test
  void bindingAPooledKeyDestroysItsThrowawayAuthAndBlobWhichTheTpmWouldStillAccept() throws Exception {
    TpmPooledKey pooled = (TpmPooledKey) session().keySource().generate();
    TpmPooledKey.Claim peek = pooled.claim();
    KeyBlob copy = peek.blob.withPrivate(peek.blob.privateArea());
    byte[] throwaway = peek.auth.clone();
    pooled.release();
    assertFalse(pooled.secretsDestroyed());

    KeyContainer c = session().containers().create(
        new ContainerSpec(ContainerId.of("alice-1"), ALICE, ProtectorSpec.pin(), PinPolicy.defaults()), pooled,
        ScriptedGestures.create().pin(pin()));
    assertEquals(pooled.publicKey(), c.publicKey());
    assertTrue(pooled.secretsDestroyed(), "throwaway authValue and old blob are zeroed");

    // What is left in the pooled key is useless: zeros do not load.
    assertThrows(IllegalStateException.class, pooled::claim);
    KeyBlob zeroed = copy.withPrivate(new byte[copy.privateArea().length]);
    assertThrows(ContainerCorruptedException.class, () -> session().keys().verifyAuth(zeroed, throwaway));

    // The container's blob does not accept the throwaway value ...
    ContainerRecord record = session().store().readContainer(c.id());
    KeyBlob bound = record.protectors.pin().orElseThrow().key(record.keyPublic());
    assertThrows(AuthFailure.class, () -> session().keys().verifyAuth(bound, throwaway));
    // ... but the old blob would, had a copy survived: which is why the pool destroys both.
    session().keys().verifyAuth(copy, throwaway);
  }

  @Test
  void closingAnUnboundPooledKeyDestroysIt() throws Exception {
    TpmPooledKey pooled = (TpmPooledKey) session().keySource().generate();
    pooled.close();
    assertTrue(pooled.secretsDestroyed());
  }

  @Test
  void aContainerFromAnotherTpmIsRefusedAsCorrupted(@TempDir Path otherDir) throws Exception {
    KeyContainer c = create("alice-1");
    session().close();
    session = null;
    try (Swtpm other = Swtpm.startWithNewEndorsementKey(otherDir)) {
      // Same template state, but a TPM2_Clear gives the owner hierarchy a new seed, hence another SRK.
      clearOwnerHierarchy(other);
      try (TpmSession foreign = TpmTestSupport.open(other, otherDir.resolve("data"), clock, Map.of())) {
        copyTree(requireData().resolve("containers"), foreign.dataDirectory().resolve("containers"));
        ContainerCorruptedException e = assertThrows(ContainerCorruptedException.class,
            () -> foreign.containers().open(c.id()));
        assertTrue(e.getMessage().contains("another storage root key"), e::getMessage);
      }
    }
  }

  private Path requireData() {
    Path d = data;
    if (d == null) {
      throw new IllegalStateException("no data directory");
    }
    return d;
  }

  /** TPM2_Clear with swtpm's empty lockout authorisation. */
  private static void clearOwnerHierarchy(Swtpm t) throws Exception {
    byte[] clear = {
      (byte) 0x80, 0x02, 0, 0, 0, 0x1b, 0, 0, 0x01, 0x26, 0x40, 0, 0, 0x0a, 0, 0, 0, 0x09, 0x40, 0, 0, 0x09, 0, 0,
      0x01, 0, 0
    };
    byte[] response = t.sendCommand(clear);
    assertEquals(0, TpmConnection.readU32(response, 6), "TPM2_Clear");
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
