package dev.ngc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.UnlockedKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link dev.ngc4j.spi.KeyContainerStore} and {@link KeyContainer} must meet. A provider's
 * test class extends it and implements {@link #openSession(Path, Clock)} and {@link #maxAttempts()}; it may add
 * its own tests and use the protected helpers.
 *
 * <p>What the contract expects beyond the SPI's javadoc:
 *
 * <ul>
 *   <li>Creation asks for the first protector's gesture: for a PIN with {@link #creationPinPurpose()}
 *       ({@link GesturePurpose#CREATE} unless the provider says otherwise) and the spec's {@link PinPolicy}; a pooled
 *       key that is already bound or closed is refused before anything is asked.
 *   <li>Wrong gestures count across protectors; each request to unlock carries the attempts remaining.
 *   <li>When a container has a biometric protector, unlocking asks for the biometric first and falls back to the
 *       PIN when the user cancels it (the "use my PIN instead" link). A container with only a PIN asks for the
 *       PIN.
 *   <li>Protector times come from the session's clock.
 *   <li>Every gesture the provider receives is destroyed before the call returns.
 * </ul>
 *
 * <p>Two kinds of provider differ from a software or TPM provider, and the contract tests their own semantics
 * instead of skipping anything (every test asserts something for every provider):
 *
 * <ul>
 *   <li><b>No biometric protectors.</b> A provider whose session's {@link dev.ngc4j.api.Capabilities#gestureKinds()}
 *       lacks {@link GestureKind#BIOMETRIC} (a PKCS#11 token has only its user PIN) must refuse a biometric first
 *       protector and {@link KeyContainer#addProtector addProtector} of a biometric with an {@link NgcException}
 *       whose code is {@link ErrorCode#UNSUPPORTED}. The refusal comes before any gesture is asked (adding a
 *       protector may first confirm the current PIN, and then asks nothing more), also on a locked container, and
 *       nothing changes: no container is created, the protector list, the attempts remaining and the container
 *       list stay the same, the container still opens and signs with its PIN, and a refused pooled key can still be
 *       bound. Every test that uses a biometric on a provider that lists {@code BIOMETRIC} checks this instead on
 *       one that does not.
 *   <li><b>A PIN that exists before the container.</b> A token's user PIN is not chosen at creation: the provider
 *       asks for the existing PIN with the purpose {@link #creationPinPurpose()} returns (such as
 *       {@link GesturePurpose#CONFIRM_CURRENT}) and refuses another PIN as a wrong gesture. If that PIN is shared by
 *       every container ({@link #pinIsSharedByAllContainers()}), the contract creates every container with
 *       {@link #firstPin()} (the subclass sets the token up with it) and expects a PIN change on one container to
 *       change the PIN of every container of the session; otherwise each container keeps its own PIN.
 * </ul>
 *
 * <p>After each test the contract checks that no gesture was requested beyond a script and that every handed-out
 * gesture was destroyed, then closes the session.
 *
 * <p>Thread safety: a JUnit test class; JUnit makes one instance per test. Not for use from other threads except
 * through the session under test.
 *
 * @since 0.1.0
 */
public abstract class KeyContainerContract {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final byte[] MESSAGE = "ngc4j contract: sign me".getBytes(StandardCharsets.UTF_8);
  private static final int RSA_2048_SIGNATURE_LENGTH = 256;
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<SignatureAlgorithm> ALGORITHMS =
      List.of(SignatureAlgorithm.RSA_PKCS1_SHA256, SignatureAlgorithm.RSA_PSS_SHA256);

  private final List<ScriptedGestures> scripts = new ArrayList<>();
  private final List<PooledKey> pooledKeys = new ArrayList<>();
  private final TestBiometricModality fingerprint = TestBiometricModality.withId("fingerprint");
  private @Nullable Path dataDirectory;
  private @Nullable MutableClock clock;
  private @Nullable ProviderSession session;

  /** Creates the contract; subclasses are JUnit test classes. */
  protected KeyContainerContract() {}

  /**
   * Opens a session of the provider under test. Called before each test with a fresh directory, and again by
   * {@link #reopen()} with the same directory.
   *
   * @param dataDirectory the provider's data directory; it may not exist yet
   * @param clock the clock the provider must use for lockouts and timestamps
   * @return an open session
   * @throws Exception if the provider cannot be opened
   * @since 0.1.0
   */
  protected abstract ProviderSession openSession(Path dataDirectory, Clock clock) throws Exception;

  /**
   * Returns the provider's configured number of wrong gestures that locks a container; at least 2.
   *
   * @return the attempt limit
   * @since 0.1.0
   */
  protected abstract int maxAttempts();

  /**
   * Returns whether a lockout ends by itself once the clock passes its end. Providers whose lockout needs an
   * administrator return false.
   *
   * @implSpec returns true.
   * @return true if lockouts expire
   * @since 0.1.0
   */
  protected boolean lockoutExpires() {
    return true;
  }

  /**
   * Returns the purpose of the gesture request that creating a PIN-protected container makes. A provider whose
   * containers get a new PIN at creation keeps the default; one that asks for a PIN that already exists (a
   * PKCS#11 token's user PIN) returns the purpose it asks with, normally {@link GesturePurpose#CONFIRM_CURRENT},
   * and must then refuse a PIN other than the existing one with {@link ErrorCode#WRONG_GESTURE}. Either way the
   * request carries the spec's {@link PinPolicy}, and a PIN that breaks it is refused with
   * {@link ErrorCode#PIN_POLICY_VIOLATION}.
   *
   * @implSpec returns {@link GesturePurpose#CREATE}.
   * @return the purpose the creation tests expect
   * @since 0.1.0
   */
  protected GesturePurpose creationPinPurpose() {
    return GesturePurpose.CREATE;
  }

  /**
   * Returns whether one PIN opens every container of the provider, as a token's user PIN does. When true, the
   * subclass's sessions start with {@link #firstPin()} as that PIN, the contract creates every container with the
   * current shared PIN, and it expects {@link KeyContainer#changePin} on one container to change the PIN of every
   * other container too. When false, every container has its own PIN and a change leaves the others alone.
   *
   * @implSpec returns false.
   * @return true if the PIN is shared by all containers
   * @since 0.1.0
   */
  protected boolean pinIsSharedByAllContainers() {
    return false;
  }

  @BeforeEach
  void openProviderOnFreshDirectory(@TempDir Path tempDir) throws Exception {
    dataDirectory = tempDir.resolve("provider-data");
    clock = MutableClock.create();
    session = openSession(dataDirectory, clock);
  }

  @AfterEach
  void checkGesturesAndCloseProvider() {
    try {
      for (ScriptedGestures script : scripts) {
        script.assertNoUnexpectedRequests();
        script.assertGesturesDestroyed();
      }
    } finally {
      for (PooledKey key : pooledKeys) {
        key.close();
      }
      session().close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Helpers for subclasses
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Returns the session under test.
   *
   * @return the open session
   * @since 0.1.0
   */
  protected final ProviderSession session() {
    return requireSetUp(session);
  }

  /**
   * Returns the session's container store.
   *
   * @return the store
   * @since 0.1.0
   */
  protected final KeyContainerStore store() {
    return session().containers();
  }

  /**
   * Returns the clock given to the provider.
   *
   * @return the test's clock
   * @since 0.1.0
   */
  protected final MutableClock clock() {
    return requireSetUp(clock);
  }

  /**
   * Returns the provider's data directory for this test.
   *
   * @return the directory
   * @since 0.1.0
   */
  protected final Path dataDirectory() {
    return requireSetUp(dataDirectory);
  }

  /**
   * Returns the biometric modality the contract enrols with (id {@code fingerprint}).
   *
   * @return the modality
   * @since 0.1.0
   */
  protected final TestBiometricModality fingerprint() {
    return fingerprint;
  }

  /**
   * Returns the user the contract's containers belong to.
   *
   * @return {@code alice@contoso.com}
   * @since 0.1.0
   */
  protected static UserPrincipal user() {
    return ALICE;
  }

  /**
   * Returns the PIN the contract creates containers with; meets {@link PinPolicy#defaults()}.
   *
   * @return a fresh array
   * @since 0.1.0
   */
  protected static char[] firstPin() {
    return "314159".toCharArray();
  }

  /**
   * Returns the PIN the contract changes to; meets {@link PinPolicy#defaults()}.
   *
   * @return a fresh array
   * @since 0.1.0
   */
  protected static char[] secondPin() {
    return "271828".toCharArray();
  }

  /**
   * Returns a PIN that opens none of the contract's containers.
   *
   * @return a fresh array
   * @since 0.1.0
   */
  protected static char[] wrongPin() {
    return "908172".toCharArray();
  }

  /**
   * Returns a new, empty gesture script that is checked after the test.
   *
   * @return the script
   * @since 0.1.0
   */
  protected final ScriptedGestures gestures() {
    ScriptedGestures script = ScriptedGestures.create();
    synchronized (scripts) {
      scripts.add(script);
    }
    return script;
  }

  /**
   * Takes a new key from the session's key source; unbound keys are closed after the test.
   *
   * @return a pooled key
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  protected final PooledKey newPooledKey() throws NgcException {
    PooledKey key = session().keySource().generate();
    pooledKeys.add(key);
    return key;
  }

  /**
   * Creates a PIN-protected container for {@link #user()} with the default PIN policy.
   *
   * @param id the container id
   * @param pin the PIN
   * @return the container
   * @throws NgcException if the provider fails
   * @since 0.1.0
   */
  protected final KeyContainer createContainer(String id, char[] pin) throws NgcException {
    return store().create(pinSpec(id), newPooledKey(), gestures().pin(pin));
  }

  /**
   * Closes the session and opens a new one on the same data directory and clock.
   *
   * @throws Exception if the provider cannot be opened
   * @since 0.1.0
   */
  protected final void reopen() throws Exception {
    session().close();
    session = openSession(dataDirectory(), clock());
  }

  /**
   * Unlocks with a PIN and checks that the key signs.
   *
   * @param container the container
   * @param pin the PIN
   * @throws Exception if unlocking or verification fails
   * @since 0.1.0
   */
  protected final void assertPinOpens(KeyContainer container, char[] pin) throws Exception {
    ScriptedGestures script = gestures();
    if (hasBiometric(container)) {
      script.cancel();
    }
    script.pin(pin);
    byte[] signature = container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE, script);
    assertVerifies(container.publicKey(), SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE, signature);
  }

  /**
   * Checks that a PIN is refused with {@link ErrorCode#WRONG_GESTURE}.
   *
   * @param container the container
   * @param pin the PIN
   * @return the exception
   * @throws NgcException if the container cannot be read
   * @since 0.1.0
   */
  protected final UserVerificationException assertPinRefused(KeyContainer container, char[] pin) throws NgcException {
    ScriptedGestures script = gestures();
    if (hasBiometric(container)) {
      script.cancel();
    }
    script.pin(pin);
    UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.unlock(script));
    assertEquals(ErrorCode.WRONG_GESTURE, e.code(), e::getMessage);
    return e;
  }

  /**
   * Verifies a signature with the JDK's own {@link Signature}.
   *
   * @param key the public key
   * @param algorithm the scheme; PSS with SHA-256, MGF1-SHA-256, a 32-byte salt and trailer field 1
   * @param message the message
   * @param signature the signature
   * @throws GeneralSecurityException if the JDK cannot verify
   * @since 0.1.0
   */
  protected static void assertVerifies(PublicKey key, SignatureAlgorithm algorithm, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    assertEquals(RSA_2048_SIGNATURE_LENGTH, signature.length, "an RSA-2048 signature is 256 bytes");
    Signature verifier;
    if (algorithm == SignatureAlgorithm.RSA_PSS_SHA256) {
      verifier = Signature.getInstance("RSASSA-PSS");
      verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    } else {
      verifier = Signature.getInstance("SHA256withRSA");
    }
    verifier.initVerify(key);
    verifier.update(message);
    assertTrue(verifier.verify(signature), () -> algorithm + " signature does not verify with the JDK");
  }

  /**
   * Returns whether the session's capabilities list {@link GestureKind#BIOMETRIC}; the contract's biometric tests
   * check the biometric behaviour when true and the refusal with {@link ErrorCode#UNSUPPORTED} when false.
   *
   * @return true if the provider accepts biometric protectors
   * @since 0.1.0
   */
  protected final boolean biometricSupported() {
    return session().capabilities().gestureKinds().contains(GestureKind.BIOMETRIC);
  }

  /**
   * The PIN a test gives a second container where it would choose a different one: {@link #secondPin()}, or
   * {@link #firstPin()} when the PIN is shared by all containers and so cannot differ.
   */
  private char[] pinOfAnotherContainer() {
    return pinIsSharedByAllContainers() ? firstPin() : secondPin();
  }

  /**
   * On a provider without biometrics: asks to add the contract's fingerprint next to the PIN and checks the
   * refusal ({@link ErrorCode#UNSUPPORTED}, at most the current PIN asked for) and that nothing changed.
   *
   * @return the script the refused call used
   */
  private ScriptedGestures assertBiometricProtectorUnsupported(KeyContainer container, char[] currentPin)
      throws Exception {
    List<ProtectorInfo> protectors = container.protectors();
    int attempts = container.lockoutState().attemptsRemaining();
    List<ContainerId> containers = store().list();
    ScriptedGestures add = gestures().pin(currentPin).biometric(fingerprint);
    assertCode(NgcException.class, ErrorCode.UNSUPPORTED,
        () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
    assertAskedAtMostTheCurrentPin(add);
    assertEquals(0, fingerprint.enrolmentCount(), "a refused biometric protector enrols nobody");
    assertEquals(0, fingerprint.matchCount(), "a refused biometric protector matches nobody");
    assertEquals(protectors, container.protectors());
    assertEquals(attempts, container.lockoutState().attemptsRemaining());
    assertEquals(containers, store().list());
    assertPinOpens(container, currentPin);
    return add;
  }

  /** Checks that a refused biometric request asked for nothing, or only for the current PIN. */
  private static void assertAskedAtMostTheCurrentPin(ScriptedGestures script) {
    List<GestureRequest> requests = script.requests();
    assertTrue(requests.size() <= 1,
        () -> "an unsupported biometric is refused before any gesture is asked, or after the current PIN only; asked "
            + requests.size() + " times");
    for (GestureRequest request : requests) {
      assertEquals(GestureKind.PIN, request.kind());
      assertEquals(GesturePurpose.CONFIRM_CURRENT, request.purpose());
    }
  }

  private static ContainerSpec pinSpec(String id) {
    return new ContainerSpec(ContainerId.of(id), ALICE, ProtectorSpec.pin(), PinPolicy.defaults());
  }

  private static boolean hasBiometric(KeyContainer container) throws NgcException {
    return container.protectors().stream().anyMatch(p -> p.kind() == GestureKind.BIOMETRIC);
  }

  private static <T> T requireSetUp(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("the contract's @BeforeEach has not run");
    }
    return value;
  }

  private UserVerificationException lockOut(KeyContainer container) throws NgcException {
    int max = maxAttempts();
    for (int i = 1; i < max; i++) {
      assertPinRefused(container, wrongPin());
    }
    ScriptedGestures last = gestures().pin(wrongPin());
    UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.unlock(last));
    assertEquals(ErrorCode.LOCKED_OUT, e.code(), e::getMessage);
    return e;
  }

  private static <T extends NgcException> T assertCode(Class<T> type, ErrorCode code, ThrowingCall call) {
    T e = assertThrows(type, call::run);
    assertEquals(code, e.code(), e::getMessage);
    return e;
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The contract
  // ---------------------------------------------------------------------------------------------------------

  /** Creating containers from pooled keys. */
  @Nested
  class Creating {
    @Test
    void aNewContainerOpensListsAndSignsWithBothAlgorithms() throws Exception {
      PooledKey key = newPooledKey();
      PublicKey pooledPublic = key.publicKey();
      ScriptedGestures script = gestures().pin(firstPin());

      KeyContainer created = store().create(pinSpec("alice-1"), key, script);

      assertEquals(List.of(ContainerId.of("alice-1")), store().list());
      KeyContainer opened = store().open(ContainerId.of("alice-1"));
      assertEquals(ContainerId.of("alice-1"), opened.id());
      assertEquals(ALICE, opened.user());
      assertEquals(pooledPublic, opened.publicKey());
      assertEquals(created.keyId(), opened.keyId());
      assertEquals(session().capabilities().hardwareBacked(), opened.hardwareBacked());
      try (UnlockedKey unlocked = opened.unlock(gestures().pin(firstPin()))) {
        assertEquals(opened.keyId(), unlocked.keyId());
        for (SignatureAlgorithm algorithm : SignatureAlgorithm.values()) {
          byte[] signature = unlocked.sign(algorithm, MESSAGE);
          assertVerifies(pooledPublic, algorithm, MESSAGE, signature);
        }
      }
    }

    @Test
    void theKeyIdIsTheSha256OfThePublicKey() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      assertEquals(KeyId.of(container.publicKey()), container.keyId());
      assertEquals(KeyId.of(container.publicKey()), store().open(container.id()).keyId());
    }

    @Test
    void creationAsksForANewPinUnderThePolicy() throws Exception {
      PinPolicy policy = PinPolicy.builder().length(6, 12).build();
      ScriptedGestures script = gestures().pin(firstPin());
      store().create(
          new ContainerSpec(ContainerId.of("alice-1"), ALICE, ProtectorSpec.pin(), policy), newPooledKey(), script);

      assertEquals(1, script.requests().size());
      GestureRequest request = script.requests().get(0);
      assertEquals(GestureKind.PIN, request.kind());
      assertEquals(creationPinPurpose(), request.purpose());
      assertEquals(ALICE, request.user());
      assertEquals(ContainerId.of("alice-1"), request.container());
      assertEquals(session().providerId(), request.providerId());
      assertEquals(Optional.of(policy), request.pinPolicy());
    }

    @Test
    void theFirstProtectorIsListedWithTheClockTime() throws Exception {
      Instant now = clock().instant();
      KeyContainer container = createContainer("alice-1", firstPin());
      List<ProtectorInfo> protectors = container.protectors();
      assertEquals(1, protectors.size());
      assertEquals(GestureKind.PIN, protectors.get(0).kind());
      assertEquals(Optional.empty(), protectors.get(0).modality());
      assertEquals(now, protectors.get(0).created());
    }

    @Test
    void aPinBreakingThePolicyCreatesNothingAndLeavesTheKeyUsable() throws Exception {
      PooledKey key = newPooledKey();
      ScriptedGestures script = gestures().pin("12".toCharArray());
      PolicyException e = assertThrows(PolicyException.class, () -> store().create(pinSpec("alice-1"), key, script));
      assertEquals(ErrorCode.PIN_POLICY_VIOLATION, e.code());
      assertEquals(List.of(), store().list());
      assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND,
          () -> store().open(ContainerId.of("alice-1")));

      KeyContainer container = store().create(pinSpec("alice-1"), key, gestures().pin(firstPin()));
      assertEquals(key.publicKey(), container.publicKey());
    }

    @Test
    void cancellingTheGestureLeavesNoContainer() throws Exception {
      ScriptedGestures script = gestures().cancel();
      GestureCancelledException e = assertThrows(
          GestureCancelledException.class, () -> store().create(pinSpec("alice-1"), newPooledKey(), script));
      assertEquals(ErrorCode.GESTURE_CANCELLED, e.code());
      assertEquals(List.of(), store().list());
      assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND,
          () -> store().open(ContainerId.of("alice-1")));
    }

    @Test
    void anExistingIdIsRefusedAndTheOriginalKeepsWorking() throws Exception {
      KeyContainer original = createContainer("alice-1", firstPin());
      PooledKey other = newPooledKey();
      NgcException e = assertThrows(
          NgcException.class,
          () -> store().create(pinSpec("alice-1"), other, gestures().pin(pinOfAnotherContainer())));
      assertEquals(ErrorCode.CONTAINER_EXISTS, e.code(), e::getMessage);

      KeyContainer reopened = store().open(ContainerId.of("alice-1"));
      assertEquals(original.keyId(), reopened.keyId());
      assertPinOpens(reopened, firstPin());
      // The refused key was not consumed.
      KeyContainer second = store().create(pinSpec("alice-2"), other, gestures().pin(firstPin()));
      assertEquals(other.publicKey(), second.publicKey());
    }

    @Test
    void aPooledKeyIsBoundAtMostOnce() throws Exception {
      PooledKey key = newPooledKey();
      store().create(pinSpec("alice-1"), key, gestures().pin(firstPin()));
      ScriptedGestures second = gestures().pin(firstPin());

      RuntimeException e = assertThrows(RuntimeException.class, () -> store().create(pinSpec("alice-2"), key, second));
      assertTrue(e instanceof IllegalStateException || e instanceof IllegalArgumentException, e::toString);
      assertEquals(List.of(), second.requests(), "a bound key is refused before asking for a gesture");
      assertEquals(List.of(ContainerId.of("alice-1")), store().list());
    }

    @Test
    void aClosedPooledKeyIsRefused() throws Exception {
      PooledKey key = newPooledKey();
      key.close();
      key.close();
      ScriptedGestures script = gestures().pin(firstPin());
      RuntimeException e = assertThrows(RuntimeException.class, () -> store().create(pinSpec("alice-1"), key, script));
      assertTrue(e instanceof IllegalStateException || e instanceof IllegalArgumentException, e::toString);
      assertEquals(List.of(), script.requests());
      assertEquals(List.of(), store().list());
    }

    @Test
    void aKeyFromAnotherProviderIsRefused() throws Exception {
      PublicKey publicKey = newPooledKey().publicKey();
      PooledKey foreign = new PooledKey() {
        @Override
        public PublicKey publicKey() {
          return publicKey;
        }

        @Override
        public String providerId() {
          return "not-" + session().providerId();
        }

        @Override
        public void close() {}
      };
      ScriptedGestures script = gestures().pin(firstPin());
      assertThrows(IllegalArgumentException.class, () -> store().create(pinSpec("alice-1"), foreign, script));
      assertEquals(List.of(), store().list());
    }

    @Test
    void pooledKeysAreDistinctAndNamedAfterTheProvider() throws Exception {
      PooledKey a = newPooledKey();
      PooledKey b = newPooledKey();
      assertEquals(session().providerId(), a.providerId());
      assertNotEquals(a.publicKey(), b.publicKey());
      assertEquals("RSA", a.publicKey().getAlgorithm());
    }

    @Test
    void containersSurviveReopeningTheProviderAndAreListedInOrder() throws Exception {
      KeyContainer b = createContainer("bob-1", firstPin());
      KeyContainer a = createContainer("alice-1", pinOfAnotherContainer());
      reopen();
      assertEquals(List.of(ContainerId.of("alice-1"), ContainerId.of("bob-1")), store().list());
      KeyContainer reopenedA = store().open(ContainerId.of("alice-1"));
      assertEquals(a.keyId(), reopenedA.keyId());
      assertEquals(b.keyId(), store().open(ContainerId.of("bob-1")).keyId());
      assertPinOpens(reopenedA, pinOfAnotherContainer());
      // With a shared PIN the other container's PIN is this one's too, so a PIN that is nobody's must fail.
      assertPinRefused(reopenedA, pinIsSharedByAllContainers() ? wrongPin() : firstPin());
    }

    @Test
    void anotherPinAtCreationIsAcceptedAsNewOrRefusedAsWrong() throws Exception {
      PooledKey key = newPooledKey();
      if (creationPinPurpose() == GesturePurpose.CREATE) {
        // A PIN chosen at creation: any PIN within the policy becomes this container's PIN.
        KeyContainer container = store().create(pinSpec("alice-1"), key, gestures().pin(secondPin()));
        assertPinOpens(container, secondPin());
        assertPinRefused(container, wrongPin());
        return;
      }
      // A PIN that exists before the container: another PIN is a wrong gesture and creates nothing.
      ScriptedGestures script = gestures().pin(wrongPin());
      assertCode(UserVerificationException.class, ErrorCode.WRONG_GESTURE,
          () -> store().create(pinSpec("alice-1"), key, script));
      assertEquals(1, script.requests().size());
      assertEquals(creationPinPurpose(), script.requests().get(0).purpose());
      assertEquals(List.of(), store().list());
      assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND,
          () -> store().open(ContainerId.of("alice-1")));
      KeyContainer container = store().create(pinSpec("alice-1"), key, gestures().pin(firstPin()));
      assertEquals(key.publicKey(), container.publicKey());
      assertPinOpens(container, firstPin());
    }

    @Test
    void aContainerCanBeCreatedWithABiometricFirstProtector() throws Exception {
      ContainerSpec spec = new ContainerSpec(
          ContainerId.of("alice-bio"), ALICE, ProtectorSpec.biometric(fingerprint.id()), PinPolicy.defaults());
      ScriptedGestures create = gestures().biometric(fingerprint);
      if (!biometricSupported()) {
        PooledKey key = newPooledKey();
        assertCode(NgcException.class, ErrorCode.UNSUPPORTED, () -> store().create(spec, key, create));
        assertEquals(List.of(), create.requests(), "a biometric first protector is refused before asking anything");
        assertEquals(0, fingerprint.enrolmentCount());
        assertEquals(List.of(), store().list());
        assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND, () -> store().open(spec.id()));
        KeyContainer container = store().create(pinSpec("alice-bio"), key, gestures().pin(firstPin()));
        assertEquals(key.publicKey(), container.publicKey());
        assertPinOpens(container, firstPin());
        return;
      }
      KeyContainer container = store().create(spec, newPooledKey(), create);

      GestureRequest request = create.requests().get(0);
      assertEquals(GestureKind.BIOMETRIC, request.kind());
      assertEquals(Optional.of(fingerprint.id()), request.modality());
      assertEquals(1, fingerprint.enrolmentCount());
      byte[] signature =
          container.sign(SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE, gestures().biometric(fingerprint));
      assertVerifies(container.publicKey(), SignatureAlgorithm.RSA_PSS_SHA256, MESSAGE, signature);
    }
  }

  /** Unlocking, wrong gestures and lockout. */
  @Nested
  class Unlocking {
    @Test
    void aFreshContainerHasAllAttemptsAndIsNotLocked() throws Exception {
      assertTrue(maxAttempts() >= 2, "the contract needs maxAttempts() >= 2");
      LockoutState state = createContainer("alice-1", firstPin()).lockoutState();
      assertEquals(maxAttempts(), state.attemptsRemaining());
      assertEquals(maxAttempts(), state.maxAttempts());
      assertFalse(state.lockedOut());
    }

    @Test
    void unlockAsksForThePinWithTheAttemptsRemaining() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(firstPin());
      container.unlock(script).close();
      GestureRequest request = script.requests().get(0);
      assertEquals(GestureKind.PIN, request.kind());
      assertEquals(GesturePurpose.UNLOCK, request.purpose());
      assertEquals(ALICE, request.user());
      assertEquals(container.id(), request.container());
      assertEquals(session().providerId(), request.providerId());
      assertEquals(OptionalInt.of(maxAttempts()), request.attemptsRemaining());
    }

    @Test
    void aWrongPinIsRefusedWithDecreasingAttemptsRemaining() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      int max = maxAttempts();
      for (int i = 1; i < max; i++) {
        ScriptedGestures script = gestures().pin(wrongPin());
        UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.unlock(script));
        assertEquals(ErrorCode.WRONG_GESTURE, e.code(), e::getMessage);
        assertEquals(max - i, e.attemptsRemaining());
        assertFalse(e.lockedOut());
        assertEquals(OptionalInt.of(max - i + 1), script.requests().get(0).attemptsRemaining());
        assertEquals(max - i, container.lockoutState().attemptsRemaining());
      }
    }

    @Test
    void maxAttemptsWrongPinsLockTheContainerWhichThenAsksNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      UserVerificationException locked = lockOut(container);
      assertTrue(locked.lockedOut());
      assertEquals(0, locked.attemptsRemaining());

      ScriptedGestures script = gestures();
      UserVerificationException again = assertThrows(UserVerificationException.class, () -> container.unlock(script));
      assertEquals(ErrorCode.LOCKED_OUT, again.code());
      assertEquals(List.of(), script.requests(), "a locked container must not ask for a gesture");

      LockoutState state = container.lockoutState();
      assertTrue(state.lockedOut());
      assertEquals(0, state.attemptsRemaining());
      assertEquals(locked.lockedUntil(), state.lockedUntil());
    }

    @Test
    void aLockedContainerRefusesPinChangesAndNewProtectorsWithoutAsking() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      lockOut(container);
      ScriptedGestures change = gestures();
      assertCode(UserVerificationException.class, ErrorCode.LOCKED_OUT, () -> container.changePin(change));
      ScriptedGestures add = gestures();
      if (biometricSupported()) {
        assertCode(UserVerificationException.class, ErrorCode.LOCKED_OUT,
            () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
      } else {
        assertCode(NgcException.class, ErrorCode.UNSUPPORTED,
            () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
        assertTrue(container.lockoutState().lockedOut(), "the refused biometric leaves the lockout in place");
      }
      assertEquals(List.of(), change.requests());
      assertEquals(List.of(), add.requests());
    }

    @Test
    void theLockoutEndsWhenTheClockPassesTheBackOff() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      UserVerificationException locked = lockOut(container);
      if (!lockoutExpires()) {
        clock().advance(Duration.ofDays(30));
        assertCode(UserVerificationException.class, ErrorCode.LOCKED_OUT, () -> container.unlock(gestures()));
        return;
      }
      Instant until = locked.lockedUntil().orElseThrow(() -> new AssertionError("an expiring lockout has an end"));
      assertTrue(until.isAfter(clock().instant()), "the lockout ends in the future");

      clock().set(until.minusSeconds(1));
      assertCode(UserVerificationException.class, ErrorCode.LOCKED_OUT, () -> container.unlock(gestures()));

      clock().set(until.plusSeconds(1));
      assertFalse(container.lockoutState().lockedOut());
      assertPinOpens(container, firstPin());
      LockoutState state = container.lockoutState();
      assertEquals(maxAttempts(), state.attemptsRemaining());
      assertFalse(state.lockedOut());
    }

    @Test
    void aCorrectPinResetsTheCounter() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      assertPinRefused(container, wrongPin());
      assertPinRefused(container, wrongPin());
      assertPinOpens(container, firstPin());
      assertEquals(maxAttempts(), container.lockoutState().attemptsRemaining());
      assertEquals(maxAttempts() - 1, assertPinRefused(container, wrongPin()).attemptsRemaining());
    }

    @Test
    void theCounterSurvivesReopeningTheProvider() throws Exception {
      createContainer("alice-1", firstPin());
      KeyContainer container = store().open(ContainerId.of("alice-1"));
      assertPinRefused(container, wrongPin());
      reopen();
      KeyContainer reopened = store().open(ContainerId.of("alice-1"));
      assertEquals(maxAttempts() - 1, reopened.lockoutState().attemptsRemaining());
      assertEquals(maxAttempts() - 2, assertPinRefused(reopened, wrongPin()).attemptsRemaining());
    }

    @Test
    void cancellingTheUnlockCountsNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().cancel();
      assertCode(GestureCancelledException.class, ErrorCode.GESTURE_CANCELLED, () -> container.unlock(script));
      assertEquals(maxAttempts(), container.lockoutState().attemptsRemaining());
    }

    @Test
    void aClosedUnlockedKeyRefusesToSign() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      UnlockedKey unlocked = container.unlock(gestures().pin(firstPin()));
      unlocked.close();
      unlocked.close();
      assertThrows(IllegalStateException.class, () -> unlocked.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE));
    }

    @Test
    void anUnlockedKeySignsManyTimesWithoutAskingAgain() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(firstPin());
      try (UnlockedKey unlocked = container.unlock(script)) {
        for (int i = 0; i < 5; i++) {
          byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
          SignatureAlgorithm algorithm = ALGORITHMS.get(i % ALGORITHMS.size());
          assertVerifies(container.publicKey(), algorithm, message, unlocked.sign(algorithm, message));
        }
      }
      assertEquals(1, script.requests().size());
    }

    @Test
    void everyGestureTheProviderReceivesIsDestroyed() throws Exception {
      ScriptedGestures create = gestures().pin(firstPin());
      KeyContainer container = store().create(pinSpec("alice-1"), newPooledKey(), create);
      ScriptedGestures wrong = gestures().pin(wrongPin());
      assertThrows(UserVerificationException.class, () -> container.unlock(wrong));
      ScriptedGestures right = gestures().pin(firstPin());
      container.unlock(right).close();
      ScriptedGestures change = gestures().pin(firstPin()).pin(secondPin());
      container.changePin(change);
      ScriptedGestures add;
      ScriptedGestures bio;
      int expected;
      if (biometricSupported()) {
        add = gestures().pin(secondPin()).biometric(fingerprint);
        container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add);
        bio = gestures().biometric(fingerprint);
        container.unlock(bio).close();
        expected = 8;
      } else {
        // The refused biometric hands out at most the current PIN; a PIN unlock stands in for the biometric one.
        add = assertBiometricProtectorUnsupported(container, secondPin());
        bio = gestures().pin(secondPin());
        container.unlock(bio).close();
        expected = 6 + add.handedOut().size();
      }

      List<Gesture> all = new ArrayList<>();
      for (ScriptedGestures s : List.of(create, wrong, right, change, add, bio)) {
        all.addAll(s.handedOut());
      }
      assertEquals(expected, all.size());
      for (Gesture g : all) {
        assertTrue(g.isDestroyed(), () -> g.kind() + " gesture was not destroyed");
      }
    }
  }

  /** Changing the PIN. */
  @Nested
  class ChangingThePin {
    @Test
    void theNewPinWorksAndTheOldOneStops() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(firstPin()).pin(secondPin());
      container.changePin(script);

      List<GestureRequest> requests = script.requests();
      assertEquals(2, requests.size());
      assertEquals(GesturePurpose.CONFIRM_CURRENT, requests.get(0).purpose());
      assertEquals(GestureKind.PIN, requests.get(0).kind());
      assertEquals(GesturePurpose.CHANGE, requests.get(1).purpose());
      assertEquals(GestureKind.PIN, requests.get(1).kind());
      assertTrue(requests.get(1).pinPolicy().isPresent(), "the new-PIN request carries the policy");

      assertPinRefused(container, firstPin());
      assertPinOpens(container, secondPin());
      reopen();
      assertPinOpens(store().open(container.id()), secondPin());
    }

    @Test
    void aPinChangeReachesTheOtherContainersExactlyWhenThePinIsShared() throws Exception {
      KeyContainer changed = createContainer("alice-1", firstPin());
      KeyContainer other = createContainer("alice-2", firstPin());
      changed.changePin(gestures().pin(firstPin()).pin(secondPin()));
      assertPinOpens(changed, secondPin());
      if (pinIsSharedByAllContainers()) {
        assertPinOpens(other, secondPin());
        assertPinRefused(other, firstPin());
        reopen();
        assertPinOpens(store().open(other.id()), secondPin());
      } else {
        assertPinOpens(other, firstPin());
        assertPinRefused(other, secondPin());
        reopen();
        assertPinOpens(store().open(other.id()), firstPin());
      }
    }

    @Test
    void aWrongCurrentPinChangesNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(wrongPin());
      UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.changePin(script));
      assertEquals(ErrorCode.WRONG_GESTURE, e.code());
      assertEquals(maxAttempts() - 1, e.attemptsRemaining());
      assertEquals(1, script.requests().size(), "the new PIN is asked only after the current one is proven");
      assertPinOpens(container, firstPin());
    }

    @Test
    void aNewPinBreakingThePolicyChangesNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(firstPin()).pin("111111".toCharArray());
      assertCode(PolicyException.class, ErrorCode.PIN_POLICY_VIOLATION, () -> container.changePin(script));
      assertPinRefused(container, "111111".toCharArray());
      assertPinOpens(container, firstPin());
    }

    @Test
    void cancellingTheNewPinChangesNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures script = gestures().pin(firstPin()).cancel();
      assertCode(GestureCancelledException.class, ErrorCode.GESTURE_CANCELLED, () -> container.changePin(script));
      assertPinOpens(container, firstPin());
    }

    @Test
    void theStoredPolicyOfTheContainerApplies() throws Exception {
      PinPolicy strict = PinPolicy.builder().length(8, 20).build();
      if (pinIsSharedByAllContainers()) {
        // The shared PIN must meet the strict policy before a container with that policy can be created.
        createContainer("alice-0", firstPin()).changePin(gestures().pin(firstPin()).pin("31415926".toCharArray()));
      }
      KeyContainer container = store().create(
          new ContainerSpec(ContainerId.of("alice-1"), ALICE, ProtectorSpec.pin(), strict),
          newPooledKey(),
          gestures().pin("31415926".toCharArray()));
      reopen();
      KeyContainer reopened = store().open(container.id());
      ScriptedGestures script = gestures().pin("31415926".toCharArray()).pin(secondPin());
      assertCode(PolicyException.class, ErrorCode.PIN_POLICY_VIOLATION, () -> reopened.changePin(script));
      assertEquals(Optional.of(strict.toString()), script.requests().get(1).pinPolicy().map(PinPolicy::toString));
      assertPinOpens(reopened, "31415926".toCharArray());
    }
  }

  /** A second protector next to the PIN. */
  @Nested
  class Protectors {
    @Test
    void aBiometricProtectorOpensTheContainerNextToThePin() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      clock().advance(Duration.ofMinutes(5));
      if (!biometricSupported()) {
        List<ProtectorInfo> before = container.protectors();
        assertBiometricProtectorUnsupported(container, firstPin());
        reopen();
        assertEquals(before, store().open(container.id()).protectors());
        return;
      }
      ScriptedGestures add = gestures().pin(firstPin()).biometric(fingerprint);
      ProtectorInfo added = container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add);

      assertEquals(GesturePurpose.CONFIRM_CURRENT, add.requests().get(0).purpose());
      assertEquals(GestureKind.PIN, add.requests().get(0).kind());
      assertEquals(GesturePurpose.ADD_PROTECTOR, add.requests().get(1).purpose());
      assertEquals(GestureKind.BIOMETRIC, add.requests().get(1).kind());
      assertEquals(Optional.of(fingerprint.id()), add.requests().get(1).modality());
      assertEquals(GestureKind.BIOMETRIC, added.kind());
      assertEquals(Optional.of(fingerprint.id()), added.modality());
      assertEquals(clock().instant(), added.created());

      List<ProtectorInfo> protectors = container.protectors();
      assertEquals(2, protectors.size());
      assertEquals(GestureKind.PIN, protectors.get(0).kind());
      assertEquals(added, protectors.get(1));
      assertNotEquals(protectors.get(0).id(), protectors.get(1).id());

      ScriptedGestures bio = gestures().biometric(fingerprint);
      byte[] signature = container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE, bio);
      assertVerifies(container.publicKey(), SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE, signature);
      assertEquals(GestureKind.BIOMETRIC, bio.requests().get(0).kind());
      assertEquals(GesturePurpose.UNLOCK, bio.requests().get(0).purpose());

      ScriptedGestures pin = gestures().cancel().pin(firstPin());
      container.unlock(pin).close();
      assertEquals(GestureKind.PIN, pin.requests().get(1).kind());

      reopen();
      assertEquals(protectors, store().open(container.id()).protectors());
    }

    @Test
    void aFailedBiometricMatchCountsAsAWrongGesture() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      if (!biometricSupported()) {
        assertBiometricProtectorUnsupported(container, firstPin());
        return;
      }
      container.addProtector(
          ProtectorSpec.biometric(fingerprint.id()), gestures().pin(firstPin()).biometric(fingerprint));
      fingerprint.failNextMatch();
      ScriptedGestures bio = gestures().biometric(fingerprint);
      UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.unlock(bio));
      assertEquals(ErrorCode.WRONG_GESTURE, e.code());
      assertEquals(maxAttempts() - 1, container.lockoutState().attemptsRemaining());
      container.unlock(gestures().biometric(fingerprint)).close();
      assertEquals(maxAttempts(), container.lockoutState().attemptsRemaining());
    }

    @Test
    void addingAProtectorNeedsTheCurrentPin() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      ScriptedGestures add = gestures().pin(wrongPin());
      if (!biometricSupported()) {
        // Refused outright (nothing asked, nothing counted), or after the wrong current PIN (which counts).
        NgcException e = assertThrows(NgcException.class,
            () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
        assertAskedAtMostTheCurrentPin(add);
        boolean pinAsked = !add.requests().isEmpty();
        assertEquals(pinAsked ? ErrorCode.WRONG_GESTURE : ErrorCode.UNSUPPORTED, e.code(), e::getMessage);
        assertEquals(maxAttempts() - (pinAsked ? 1 : 0), container.lockoutState().attemptsRemaining());
        assertEquals(1, container.protectors().size());
        assertPinOpens(container, firstPin());
        return;
      }
      assertCode(UserVerificationException.class, ErrorCode.WRONG_GESTURE,
          () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
      assertEquals(1, add.requests().size());
      assertEquals(1, container.protectors().size());
    }

    @Test
    void cancellingTheNewProtectorAddsNothing() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      if (!biometricSupported()) {
        // The refusal comes before the new protector's gesture would be asked, so there is nothing to cancel.
        assertBiometricProtectorUnsupported(container, firstPin());
        return;
      }
      ScriptedGestures add = gestures().pin(firstPin()).cancel();
      assertCode(GestureCancelledException.class, ErrorCode.GESTURE_CANCELLED,
          () -> container.addProtector(ProtectorSpec.biometric(fingerprint.id()), add));
      assertEquals(1, container.protectors().size());
      assertPinOpens(container, firstPin());
    }

    @Test
    void changingThePinKeepsTheBiometricWorking() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      if (!biometricSupported()) {
        assertBiometricProtectorUnsupported(container, firstPin());
        container.changePin(gestures().pin(firstPin()).pin(secondPin()));
        assertPinOpens(container, secondPin());
        assertPinRefused(container, firstPin());
        return;
      }
      container.addProtector(
          ProtectorSpec.biometric(fingerprint.id()), gestures().pin(firstPin()).biometric(fingerprint));
      container.changePin(gestures().pin(firstPin()).pin(secondPin()));
      container.unlock(gestures().biometric(fingerprint)).close();
      assertPinOpens(container, secondPin());
      assertPinRefused(container, firstPin());
    }
  }

  /** Deleting containers. */
  @Nested
  class Deleting {
    @Test
    void aDeletedContainerIsGoneAndDeletingAgainIsHarmless() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      createContainer("alice-2", firstPin());
      assertTrue(store().delete(container.id()));
      assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND, () -> store().open(container.id()));
      assertEquals(List.of(ContainerId.of("alice-2")), store().list());
      assertFalse(store().delete(container.id()));
      reopen();
      assertEquals(List.of(ContainerId.of("alice-2")), store().list());
    }

    @Test
    void anUnknownIdIsNotFound() throws Exception {
      assertFalse(store().delete(ContainerId.of("nobody")));
      assertCode(ContainerNotFoundException.class, ErrorCode.CONTAINER_NOT_FOUND,
          () -> store().open(ContainerId.of("nobody")));
    }

    @Test
    void aDeletedIdCanBeCreatedAgainWithANewKey() throws Exception {
      KeyContainer first = createContainer("alice-1", firstPin());
      store().delete(first.id());
      KeyContainer second = createContainer("alice-1", pinOfAnotherContainer());
      assertNotEquals(first.keyId(), second.keyId());
      assertPinOpens(store().open(second.id()), pinOfAnotherContainer());
    }
  }

  /** Concurrent use of one container. */
  @Nested
  class Concurrency {
    private static final int THREADS = 8;
    private static final int SIGNATURES_PER_THREAD = 4;

    @Test
    void eightThreadsUnlockingTheSameContainerAllProduceValidSignatures() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      runConcurrently(thread -> {
        try (UnlockedKey unlocked = container.unlock(gestures().pin(firstPin()))) {
          signAndVerify(container.publicKey(), unlocked, thread);
        }
      });
      assertEquals(maxAttempts(), container.lockoutState().attemptsRemaining());
    }

    @Test
    void eightThreadsSharingOneUnlockedKeyAllProduceValidSignatures() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      try (UnlockedKey unlocked = container.unlock(gestures().pin(firstPin()))) {
        runConcurrently(thread -> signAndVerify(container.publicKey(), unlocked, thread));
      }
    }

    @Test
    void concurrentPinChangesAndUnlocksLeaveAConsistentContainer() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      // Even threads re-set the same PIN (a full rewrap each time); odd threads unlock, sign and read state. The PIN
      // stays firstPin(), so this holds whether or not the PIN is shared by all containers.
      runConcurrently(thread -> {
        if (thread % 2 == 0) {
          container.changePin(gestures().pin(firstPin()).pin(firstPin()));
        } else {
          try (UnlockedKey unlocked = container.unlock(gestures().pin(firstPin()))) {
            signAndVerify(container.publicKey(), unlocked, thread);
          }
          assertFalse(container.lockoutState().lockedOut());
          assertEquals(1, container.protectors().size());
        }
      });
      assertEquals(maxAttempts(), container.lockoutState().attemptsRemaining());
      assertPinOpens(container, firstPin());
    }

    private void signAndVerify(PublicKey publicKey, UnlockedKey unlocked, int thread) throws Exception {
      for (int i = 0; i < SIGNATURES_PER_THREAD; i++) {
        byte[] message = ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8);
        SignatureAlgorithm algorithm = ALGORITHMS.get((thread + i) % ALGORITHMS.size());
        assertVerifies(publicKey, algorithm, message, unlocked.sign(algorithm, message));
      }
    }

    private void runConcurrently(ThreadBody body) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch ready = new CountDownLatch(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          futures.add(pool.submit(() -> {
            ready.countDown();
            if (!go.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
              throw new AssertionError("start signal not given in time");
            }
            body.run(thread);
            return null;
          }));
        }
        assertTrue(ready.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "threads did not start in time");
        go.countDown();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (Future<?> f : futures) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fail("concurrent calls did not finish within " + DEADLINE);
          }
          f.get(left, TimeUnit.NANOSECONDS);
        }
      } finally {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "worker threads did not end");
      }
    }
  }

  @FunctionalInterface
  private interface ThreadBody {
    void run(int thread) throws Exception;
  }

  /** The session itself. */
  @Nested
  class Session {
    @Test
    void aClosedSessionRefusesUse() throws Exception {
      session().close();
      session().close();
      assertThrows(IllegalStateException.class, () -> session().containers().list());
      assertThrows(IllegalStateException.class, () -> session().keySource().generate());
    }

    @Test
    void theCapabilitiesNameBothSignatureAlgorithmsAndThePin() {
      assertTrue(session().capabilities().signatureAlgorithms().containsAll(List.of(SignatureAlgorithm.values())));
      assertTrue(session().capabilities().gestureKinds().contains(GestureKind.PIN));
      assertFalse(session().providerId().isEmpty());
    }

    @Test
    void theSessionCanBeReopenedAfterUse() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      byte[] before = container.keyId().digest().toByteArray();
      reopen();
      assertArrayEquals(before, store().open(container.id()).keyId().digest().toByteArray());
    }
  }
}
