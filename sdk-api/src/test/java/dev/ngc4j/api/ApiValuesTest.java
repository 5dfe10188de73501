package dev.ngc4j.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ApiValuesTest {

  @Nested
  class PinTest {
    @Test
    void copiesTheCallersArrayAndZeroesItsOwnOnDestroy() {
      char[] typed = "482915".toCharArray();
      Pin pin = Pin.of(typed);
      typed[0] = 'x';
      assertArrayEquals("482915".toCharArray(), pin.copyChars(), "the caller's later edits do not reach the PIN");
      assertArrayEquals("482915".getBytes(java.nio.charset.StandardCharsets.UTF_8), pin.toUtf8());
      pin.close();
      assertTrue(pin.isDestroyed());
      assertThrows(IllegalStateException.class, pin::copyChars);
      assertThrows(IllegalStateException.class, pin::toUtf8);
      pin.destroy(); // idempotent
    }

    @Test
    void neverShowsItselfInText() {
      Pin pin = Pin.of("482915".toCharArray());
      assertFalse(pin.toString().contains("482915"));
    }
  }

  @Nested
  class BytesTest {
    @Test
    void base64UrlIsDecodedStrictly() {
      assertEquals("AQID", Bytes.fromBase64Url("AQID").toBase64Url());
      for (String bad : new String[] {"AQID=", "AQ+D", "AQ/D", " AQID", "AQ\nID", "A", "AR"}) {
        assertThrows(IllegalArgumentException.class, () -> Bytes.fromBase64Url(bad), bad);
      }
    }

    @Test
    void copiesInAndOutAndComparesByValue() {
      byte[] raw = {1, 2, 3};
      Bytes b = Bytes.of(raw);
      raw[0] = 9;
      byte[] out = b.toByteArray();
      out[1] = 9;
      assertEquals(Bytes.fromHex("010203"), b);
      assertEquals(Bytes.fromHex("010203").hashCode(), b.hashCode());
    }
  }

  @Nested
  class PinPolicyTest {
    @Test
    void listsEveryBrokenRuleWithoutThePin() {
      PinPolicy policy = PinPolicy.builder().length(6, 12).uppercase(PinPolicy.Requirement.REQUIRED).build();
      assertEquals(3, policy.violations("1234".toCharArray()).size(), policy.violations("1234".toCharArray())
          .toString());
      PolicyException e = assertThrows(PolicyException.class, () -> policy.check("1234".toCharArray()));
      assertEquals(ErrorCode.PIN_POLICY_VIOLATION, e.code());
      assertFalse(e.getMessage().contains("1234"));
      assertTrue(policy.violations("Q48291".toCharArray()).isEmpty());
    }

    @Test
    void refusesTrivialPinsByDefault() {
      assertFalse(PinPolicy.defaults().violations("111111".toCharArray()).isEmpty());
      assertFalse(PinPolicy.defaults().violations("987654".toCharArray()).isEmpty());
      assertTrue(PinPolicy.builder().allowTrivial(true).build().violations("111111".toCharArray()).isEmpty());
    }
  }

  @Nested
  class ProvisioningPolicyTest {
    @Test
    void followsTheSeedSystemsRules() throws Exception {
      ProvisioningPolicy notSet = ProvisioningPolicy.notConfigured();
      notSet.check(JoinType.CLOUD_JOINED, false);
      assertEquals(ErrorCode.POLICY_FORBIDS,
          assertThrows(PolicyException.class, () -> notSet.check(JoinType.DOMAIN_JOINED, false)).code());
      new ProvisioningPolicy(PolicySetting.ENABLED).check(JoinType.DOMAIN_JOINED, false);
      assertEquals(ErrorCode.POLICY_FORBIDS, assertThrows(PolicyException.class,
          () -> new ProvisioningPolicy(PolicySetting.DISABLED).check(JoinType.CLOUD_JOINED, false)).code());
      assertEquals(ErrorCode.REMOTE_SESSION, assertThrows(PolicyException.class,
          () -> new ProvisioningPolicy(PolicySetting.ENABLED).check(JoinType.CLOUD_JOINED, true)).code());
      assertEquals(ErrorCode.DEVICE_NOT_JOINED,
          assertThrows(PolicyException.class, () -> notSet.check(JoinType.REGISTERED, false)).code());
    }
  }

  @Nested
  class ValuesTest {
    @Test
    void userPrincipalsAreValidatedAndCaseInsensitive() {
      assertEquals(UserPrincipal.of("Alice@Contoso.COM"), UserPrincipal.of("alice@contoso.com"));
      assertEquals("contoso.com", UserPrincipal.of("alice@contoso.com").domain());
      for (String bad : new String[] {"alice", "@contoso.com", "alice@", "a@b@c", "al ice@contoso.com", "a/b@c"}) {
        assertThrows(IllegalArgumentException.class, () -> UserPrincipal.of(bad), bad);
      }
    }

    @Test
    void containerIdsAreFileNameSafe() {
      ContainerId.of("ngc-0123_abc.DEF");
      for (String bad : new String[] {"", ".hidden", "../x", "a/b", "x".repeat(65)}) {
        assertThrows(IllegalArgumentException.class, () -> ContainerId.of(bad), bad);
      }
    }

    @Test
    void exceptionsCarryCodeDetailAndRemedyInTheirMessage() {
      NgcException e = UserVerificationException.wrongGesture("container c", 2);
      assertEquals(ErrorCode.WRONG_GESTURE, e.code());
      assertTrue(e.getMessage().contains("[WRONG_GESTURE]") && e.getMessage().contains("Remedy:"), e.getMessage());
      UserVerificationException locked = UserVerificationException.lockedOut("container c", Instant.EPOCH);
      assertTrue(locked.lockedOut());
      assertEquals(0, locked.attemptsRemaining());
      assertThrows(IllegalArgumentException.class, () -> UserVerificationException.wrongGesture("c", 0));
    }

    @Test
    void tokensKnowWhetherTheyProveMfaAndHideTheirValue() {
      AccessToken t = AccessToken.of("secret-token", UserPrincipal.of("a@b.c"), Set.of("pwd", "ngcmfa"), Instant.MAX);
      assertTrue(t.hasMfaClaim());
      assertFalse(t.toString().contains("secret-token"));
      assertFalse(AccessToken.of("x", UserPrincipal.of("a@b.c"), Set.of("pwd"), Instant.MAX).hasMfaClaim());
    }
  }
}
