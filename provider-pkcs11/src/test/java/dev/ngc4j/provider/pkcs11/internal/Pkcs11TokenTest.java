package dev.ngc4j.provider.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE_EXPONENT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_COUNT_LOW;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_FINAL_TRY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_INCORRECT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_PIN_LOCKED;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_TOKEN_NOT_PRESENT;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.provider.pkcs11.TokenKeySelector;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import iaik.pkcs.pkcs11.wrapper.CK_ATTRIBUTE;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/** The PKCS#11 provider against SoftHSM2: bad input, token failures, interoperability with pkcs11-tool. */
class Pkcs11TokenTest {
  private static final String PIN = "314159";
  private static final byte[] MESSAGE = "sign me on the token".getBytes(StandardCharsets.UTF_8);
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");

  @TempDir
  Path dir;

  private static Pkcs11Session open(Path data, TestTokens.Token token, int poolSize) throws NgcException {
    return Pkcs11CredentialProvider.builder().library(SoftHsm.LIBRARY.toString()).tokenLabel(token.label())
        .poolSize(poolSize).build().open(new ProviderContext(data, Clock.systemUTC(), Map.of()));
  }

  private static ContainerSpec spec(String id) {
    return new ContainerSpec(ContainerId.of(id), ALICE, ProtectorSpec.pin(), PinPolicy.defaults());
  }

  private static KeyContainer newContainer(Pkcs11Session s, String id) throws NgcException {
    s.fillKeyPool(ScriptedGestures.create().pin(PIN.toCharArray()), 1);
    return s.containers().create(spec(id), s.keySource().generate(), ScriptedGestures.create().pin(PIN.toCharArray()));
  }

  private static void verify(PublicKey key, byte[] message, byte[] signature) throws Exception {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(message);
    assertTrue(v.verify(signature), "the signature verifies with the JDK");
  }

  @Test
  void aMissingLibraryIsUnavailableNamingThePathAndTheRemedy() {
    Pkcs11CredentialProvider p = Pkcs11CredentialProvider.builder().library("/nonexistent/libpkcs11.so")
        .tokenLabel("x").build();
    ProbeResult probe = p.probe();
    assertFalse(probe.available());
    assertTrue(probe.reason().orElseThrow().contains("/nonexistent/libpkcs11.so"));
    assertTrue(probe.remedy().orElseThrow().contains("apt-get install softhsm2"));
    NgcException e = assertThrows(NgcException.class,
        () -> p.open(new ProviderContext(dir, Clock.systemUTC(), Map.of())));
    assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("ngc4j.pkcs11.library"), e::getMessage);
  }

  @Test
  void anUnknownLabelSerialOrSlotIsTokenNotFoundListingTheTokens() throws Exception {
    TestTokens.Token token = TestTokens.create("listed", PIN);
    for (Pkcs11CredentialProvider.Builder b : List.of(
        Pkcs11CredentialProvider.builder().tokenLabel("no-such-token"),
        Pkcs11CredentialProvider.builder().tokenSerial("0000000000000000"),
        Pkcs11CredentialProvider.builder().slot(987654321L))) {
      Pkcs11CredentialProvider p = b.library(SoftHsm.LIBRARY.toString()).build();
      NgcException e = assertThrows(NgcException.class,
          () -> p.open(new ProviderContext(dir, Clock.systemUTC(), Map.of())));
      assertEquals(ErrorCode.TOKEN_NOT_FOUND, e.code());
      assertTrue(e.getMessage().contains(token.label()) && e.getMessage().contains(token.serial()), e::getMessage);
      assertFalse(p.probe().available());
    }
    assertTrue(Pkcs11CredentialProvider.builder().library(SoftHsm.LIBRARY.toString()).tokenSerial(token.serial())
        .build().probe().available());
  }

  @Test
  void aPinOfTheWrongLengthIsRefusedBeforeTheTokenAndNotCounted() throws Exception {
    TestTokens.Token token = TestTokens.create("length", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      NgcException e = assertThrows(NgcException.class, () -> c.unlock(ScriptedGestures.create().pin("123"
          .toCharArray())));
      assertEquals(ErrorCode.PIN_POLICY_VIOLATION, e.code());
      NgcException longPin = assertThrows(NgcException.class,
          () -> c.unlock(ScriptedGestures.create().pin("1".repeat(300).toCharArray())));
      assertEquals(ErrorCode.PIN_POLICY_VIOLATION, longPin.code());
      assertEquals(5, c.lockoutState().attemptsRemaining());
    }
  }

  @Test
  void aWrongPinWhileTheTokenIsLoggedInIsRefusedAndCountedAndOtherHoldersKeepSigning() throws Exception {
    TestTokens.Token token = TestTokens.create("loggedin", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      try (UnlockedKey held = c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))) {
        UserVerificationException e = assertThrows(UserVerificationException.class,
            () -> c.unlock(ScriptedGestures.create().pin("908172".toCharArray())));
        assertEquals(ErrorCode.WRONG_GESTURE, e.code());
        assertEquals(4, e.attemptsRemaining());
        verify(c.publicKey(), MESSAGE, held.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE));
      }
      // Logged out now: C_Login checks, and the counter goes on.
      UserVerificationException e = assertThrows(UserVerificationException.class,
          () -> c.unlock(ScriptedGestures.create().pin("908172".toCharArray())));
      assertEquals(3, e.attemptsRemaining());
      assertFalse(((Pkcs11ProviderSession) s).token().loggedIn());
    }
  }

  @Test
  void wrongPinsUntilTheProvidersLockoutThenNothingIsAsked() throws Exception {
    TestTokens.Token token = TestTokens.create("lockout", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      for (int i = 4; i >= 1; i--) {
        assertEquals(i, assertThrows(UserVerificationException.class,
            () -> c.unlock(ScriptedGestures.create().pin("908172".toCharArray()))).attemptsRemaining());
      }
      assertEquals(ErrorCode.LOCKED_OUT, assertThrows(UserVerificationException.class,
          () -> c.unlock(ScriptedGestures.create().pin("908172".toCharArray()))).code());
      ScriptedGestures none = ScriptedGestures.create();
      assertEquals(ErrorCode.LOCKED_OUT, assertThrows(UserVerificationException.class, () -> c.unlock(none)).code());
      assertEquals(List.of(), none.requests());
      // SoftHSM2 itself never locks: the right PIN would still pass C_Login; the provider's counter is what stops it.
      assertEquals(ErrorCode.LOCKED_OUT, assertThrows(UserVerificationException.class,
          () -> c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))).code());
    }
  }

  @Test
  void theTokensOwnPinLockAndFlagsAreMapped() {
    // SoftHSM2 never returns CKR_PIN_LOCKED nor sets CKF_USER_PIN_LOCKED, so the mapping is checked here.
    assertEquals(Ckr.LoginOutcome.PIN_BLOCKED, Ckr.loginOutcome(CKR_PIN_LOCKED));
    assertEquals(Ckr.LoginOutcome.WRONG_PIN, Ckr.loginOutcome(CKR_PIN_INCORRECT));
    assertEquals(Ckr.LoginOutcome.TOKEN_GONE, Ckr.loginOutcome(CKR_TOKEN_NOT_PRESENT));
    assertEquals(0, SharedToken.attemptsAllowedByFlags(CKF_USER_PIN_LOCKED, 5));
    assertEquals(1, SharedToken.attemptsAllowedByFlags(CKF_USER_PIN_FINAL_TRY, 5));
    assertEquals(5, SharedToken.attemptsAllowedByFlags(CKF_USER_PIN_COUNT_LOW, 5));
    UserVerificationException e = UserVerificationException.pinBlocked("token 'x'");
    assertEquals(ErrorCode.PIN_BLOCKED, e.code());
    assertTrue(e.lockedOut());
  }

  @Test
  void aRemovedTokenIsTokenRemovedQuickly() throws Exception {
    TestTokens.Token token = TestTokens.create("removed", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      try (UnlockedKey key = c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))) {
        assertTrue(TestTokens.SOFTHSM.removeToken(token.serial()));
        long start = System.nanoTime();
        NgcException e = assertThrows(NgcException.class, () -> key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256,
            MESSAGE));
        assertEquals(ErrorCode.TOKEN_REMOVED, e.code(), e::getMessage);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        assertEquals(ErrorCode.TOKEN_REMOVED, assertThrows(NgcException.class, () -> c.lockoutState()).code());
      }
    }
  }

  @Test
  void manyThreadsSignConcurrentlyAndEverySignatureVerifies() throws Exception {
    TestTokens.Token token = TestTokens.create("threads", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try (UnlockedKey key = c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))) {
        List<Future<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          SignatureAlgorithm alg = i % 2 == 0 ? SignatureAlgorithm.RSA_PKCS1_SHA256 : SignatureAlgorithm.RSA_PSS_SHA256;
          results.add(pool.submit(() -> key.sign(alg, MESSAGE)));
        }
        for (int i = 0; i < results.size(); i++) {
          byte[] sig = results.get(i).get(60, TimeUnit.SECONDS);
          if (i % 2 == 0) {
            verify(c.publicKey(), MESSAGE, sig);
          } else {
            assertEquals(256, sig.length);
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void twoTokensAtOnceKeepTheirOwnKeysAndCounters() throws Exception {
    TestTokens.Token a = TestTokens.create("two-a", PIN);
    TestTokens.Token b = TestTokens.create("two-b", "271828");
    try (Pkcs11Session sa = open(dir.resolve("a"), a, 0); Pkcs11Session sb = open(dir.resolve("b"), b, 0)) {
      KeyContainer ca = newContainer(sa, "alice-1");
      sb.fillKeyPool(ScriptedGestures.create().pin("271828".toCharArray()), 1);
      KeyContainer cb = sb.containers().create(spec("alice-1"), sb.keySource().generate(),
          ScriptedGestures.create().pin("271828".toCharArray()));
      assertFalse(ca.keyId().equals(cb.keyId()));
      assertThrows(UserVerificationException.class, () -> cb.unlock(ScriptedGestures.create().pin(PIN.toCharArray())));
      assertEquals(5, ca.lockoutState().attemptsRemaining());
      assertEquals(4, cb.lockoutState().attemptsRemaining());
      verify(ca.publicKey(), MESSAGE, ca.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE,
          ScriptedGestures.create().pin(PIN.toCharArray())));
    }
  }

  @Test
  void noPrivateKeyMaterialIsReadable() throws Exception {
    TestTokens.Token token = TestTokens.create("secret", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      try (UnlockedKey key = c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))) {
        SharedToken t = ((Pkcs11ProviderSession) s).token();
        long code = t.call("reading", (Session session) -> {
          long[] handles = session.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY), 10);
          assertTrue(handles.length >= 1);
          CK_ATTRIBUTE attr = new CK_ATTRIBUTE();
          attr.type = CKA_PRIVATE_EXPONENT;
          try {
            t.module().module().getPKCS11Module().C_GetAttributeValue(session.getSessionHandle(), handles[0],
                new CK_ATTRIBUTE[] {attr}, true);
            return 0L;
          } catch (iaik.pkcs.pkcs11.wrapper.PKCS11Exception e) {
            return e.getErrorCode();
          }
        });
        assertEquals(CKR_ATTRIBUTE_SENSITIVE, code);
        assertEquals(256, key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE).length);
      }
    }
  }

  @Test
  void aKeyMadeByNgc4jIsUsedByPkcs11ToolAndAKeyMadeByPkcs11ToolIsAdopted() throws Exception {
    TestTokens.Token token = TestTokens.create("interop", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      ContainerRecord record = ((Pkcs11Store) s.containers()).readRecord(c.id());
      String idHex = TokenObjects.hex(record.keyId());
      byte[] sig = TestTokens.SOFTHSM.sign(token.label(), PIN, idHex, MESSAGE);
      verify(c.publicKey(), MESSAGE, sig);
      byte[] der = TestTokens.SOFTHSM.readPublicKey(token.label(), idHex);
      assertArrayEquals(c.publicKey().getEncoded(),
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)).getEncoded());

      TestTokens.SOFTHSM.generateKeyPair(token.label(), PIN, "a1b2c3", "made-by-pkcs11-tool");
      KeyContainer adopted = s.adoptKey(spec("bob-1"), TokenKeySelector.byIdHex("a1b2c3"),
          ScriptedGestures.create().pin(PIN.toCharArray()));
      verify(adopted.publicKey(), MESSAGE, adopted.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE,
          ScriptedGestures.create().pin(PIN.toCharArray())));
      assertEquals(List.of(ContainerId.of("alice-1"), ContainerId.of("bob-1")), s.containers().list());
      NgcException missing = assertThrows(NgcException.class, () -> s.adoptKey(spec("carol-1"),
          TokenKeySelector.byLabel("nothing-like-this"), ScriptedGestures.create().pin(PIN.toCharArray())));
      assertEquals(ErrorCode.CONTAINER_NOT_FOUND, missing.code());
    }
  }

  @Test
  void keysTheProviderOwnsAreNotAdoptedByLabelNorById() throws Exception {
    TestTokens.Token token = TestTokens.create("reserved", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      KeyContainer c = newContainer(s, "alice-1");
      for (String label : List.of(TokenObjects.DEVICE_KEY_LABEL, TokenObjects.TRANSPORT_KEY_LABEL,
          TokenObjects.POOL_LABEL, "ngc4j:alice-1", "ngc4j-container:alice-1")) {
        ScriptedGestures none = ScriptedGestures.create();
        NgcException e = assertThrows(NgcException.class,
            () -> s.adoptKey(spec("bob-1"), TokenKeySelector.byLabel(label), none));
        assertEquals(ErrorCode.UNSUPPORTED, e.code(), label);
        assertTrue(e.detail().contains("'" + label + "'") && e.detail().contains("cannot be adopted"), e.detail());
        assertTrue(none.requests().isEmpty(), "refused before asking for the PIN");
      }
      byte[] boundId = ((Pkcs11Store) s.containers()).readRecord(c.id()).keyId();
      NgcException byId = assertThrows(NgcException.class, () -> s.adoptKey(spec("bob-1"),
          TokenKeySelector.byId(boundId), ScriptedGestures.create().pin(PIN.toCharArray())));
      assertEquals(ErrorCode.UNSUPPORTED, byId.code());
      assertTrue(byId.detail().contains("labelled 'ngc4j:alice-1'"), byId.detail());
      assertEquals(List.of(ContainerId.of("alice-1")), s.containers().list());
      try (UnlockedKey key = c.unlock(ScriptedGestures.create().pin(PIN.toCharArray()))) {
        verify(c.publicKey(), MESSAGE, key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE));
      }
    }
  }

  @Test
  void aCrashBetweenRelabellingAndTheRecordLeavesNoContainerAndTheKeyReturnsToThePool() throws Exception {
    TestTokens.Token token = TestTokens.create("crash", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      s.fillKeyPool(ScriptedGestures.create().pin(PIN.toCharArray()), 1);
      PooledKey key = s.keySource().generate();
      Pkcs11Store.afterRelabelForTests = () -> {
        throw new IllegalStateException("simulated crash");
      };
      try {
        assertThrows(IllegalStateException.class,
            () -> s.containers().create(spec("alice-1"), key, ScriptedGestures.create().pin(PIN.toCharArray())));
      } finally {
        Pkcs11Store.afterRelabelForTests = null;
      }
      key.close();
      assertEquals(List.of(), s.containers().list());
      assertEquals(ErrorCode.CONTAINER_NOT_FOUND,
          assertThrows(NgcException.class, () -> s.containers().open(ContainerId.of("alice-1"))).code());
      assertEquals(0, s.keyPoolEntries(), "the relabelled key is no pool entry until the next login tidies");
      // The next login (a pool fill of 0) tidies: the key goes back to the pool.
      s.fillKeyPool(ScriptedGestures.create().pin(PIN.toCharArray()), 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (s.keyPoolEntries() != 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, s.keyPoolEntries());
    }
  }

  @Test
  void thePoolIsClaimedReleasedAndEmptyWithoutALogin() throws Exception {
    TestTokens.Token token = TestTokens.create("pool", PIN);
    try (Pkcs11Session s = open(dir, token, 0)) {
      assertEquals(ErrorCode.KEY_POOL_EMPTY, assertThrows(NgcException.class, () -> s.keySource().generate()).code());
      assertEquals(2, s.fillKeyPool(ScriptedGestures.create().pin(PIN.toCharArray()), 2));
      assertEquals(2, s.keyPoolEntries());
      PooledKey a = s.keySource().generate();
      PooledKey b = s.keySource().generate();
      assertEquals(0, s.keyPoolEntries());
      assertFalse(a.publicKey().equals(b.publicKey()));
      assertEquals(ErrorCode.KEY_POOL_EMPTY, assertThrows(NgcException.class, () -> s.keySource().generate()).code());
      a.close();
      assertEquals(1, s.keyPoolEntries(), "a closed unbound key stays on the token for a later claim");
      assertEquals(a.publicKey(), s.keySource().generate().publicKey());
      b.close();
    }
  }
}
