package dev.ngc4j.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.SessionKeyHandle;
import java.lang.reflect.Proxy;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DemoDirectoryTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.example");
  private static final UserPrincipal BOB = UserPrincipal.of("bob@contoso.example");

  private static final PublicKey KEY = newRsaKey();

  private final DemoDirectory directory = new DemoDirectory();

  private static AccessToken token(UserPrincipal subject, String... amr) {
    return AccessToken.of("t", subject, Set.of(amr), Instant.now().plusSeconds(600));
  }

  private static KeyRegistration registration(AccessToken token) {
    return new KeyRegistration(ALICE, KeyId.of(KEY), KEY, Optional.empty(), token);
  }

  @Nested
  class RegisterKey {
    @Test
    void storesTheKeyUnderUserAndKeyIdWhenTheTokenProvesMfa() throws NgcException {
      directory.registerKey(registration(token(ALICE, "pwd", "mfa")));
      assertEquals(Optional.of(KEY), directory.registeredKey(ALICE, KeyId.of(KEY)));
      assertEquals(List.of(KeyId.of(KEY)), directory.registeredKeys(ALICE));
      assertTrue(directory.registeredKey(BOB, KeyId.of(KEY)).isEmpty());
    }

    @Test
    void refusesATokenWithoutMfa() {
      NgcException e =
          assertThrows(NgcException.class, () -> directory.registerKey(registration(token(ALICE, "pwd"))));
      assertEquals(ErrorCode.MFA_REQUIRED, e.code());
      assertTrue(directory.registeredKeys(ALICE).isEmpty());
    }

    @Test
    void refusesATokenIssuedToSomeoneElse() {
      NgcException e =
          assertThrows(NgcException.class, () -> directory.registerKey(registration(token(BOB, "mfa"))));
      assertEquals(ErrorCode.REGISTRATION_FAILED, e.code());
    }

    @Test
    void refusesAKeyIdThatIsNotTheKeysDigest() throws Exception {
      KeyId other = KeyId.of(newRsaKey());
      NgcException e = assertThrows(NgcException.class, () -> directory.registerKey(
          new KeyRegistration(ALICE, other, KEY, Optional.empty(), token(ALICE, "ngcmfa"))));
      assertEquals(ErrorCode.REGISTRATION_FAILED, e.code());
    }
  }

  @Nested
  class UnregisterKey {
    @Test
    void removesTheKeyAndIsIdempotent() throws NgcException {
      AccessToken token = token(ALICE, "mfa");
      directory.registerKey(registration(token));
      directory.unregisterKey(ALICE, KeyId.of(KEY), token);
      assertTrue(directory.registeredKey(ALICE, KeyId.of(KEY)).isEmpty());
      assertDoesNotThrow(() -> directory.unregisterKey(ALICE, KeyId.of(KEY), token));
    }
  }

  @Nested
  class Nonce {
    @Test
    void isThirtyTwoFreshBytes() {
      assertEquals(32, directory.nonce().length());
      assertNotEquals(directory.nonce(), directory.nonce());
    }
  }

  @Nested
  class CloudOperations {
    private final DeviceKeys deviceKeys = stub(DeviceKeys.class);

    @Test
    void joinDeviceIsUnsupportedWithARemedyPointingToTheCloudIssue() {
      assertUnsupported(() -> directory.joinDevice(deviceKeys, token(ALICE, "mfa")));
    }

    @Test
    void signInIsUnsupported() {
      GestureSource gestures = request -> {
        throw new AssertionError("no gesture is needed to refuse");
      };
      assertUnsupported(() -> directory.signIn(stub(KeyContainer.class), gestures, deviceKeys));
    }

    @Test
    void renewIsUnsupported() {
      PrimaryRefreshToken prt =
          new PrimaryRefreshToken("prt", ALICE, Instant.now().plusSeconds(600), stub(SessionKeyHandle.class));
      assertUnsupported(() -> directory.renew(prt, deviceKeys));
    }

    private void assertUnsupported(Executable call) {
      NgcException e = assertThrows(NgcException.class, call);
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertTrue(e.remedy().contains("sdk-server"), e.remedy());
    }
  }

  /** A stand-in for an SPI object the directory must not touch: every call fails the test. */
  private static <T> T stub(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw new AssertionError("DemoDirectory called " + method.getName() + " on a " + type.getSimpleName());
    }));
  }

  private static PublicKey newRsaKey() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      return gen.generateKeyPair().getPublic();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is missing from this JDK", e);
    }
  }
}
