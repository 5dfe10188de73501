package dev.ngc4j.server.internal.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.server.internal.util.Malformed;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class SealedTokensTest {
  private final byte[] key = new byte[32];
  private final SealedTokens tokens = new SealedTokens(key);

  private static Prt prt() {
    byte[] sessionKey = new byte[32];
    sessionKey[0] = 7;
    return new Prt(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "a2V5aWQ=",
        sessionKey, 100, 200, List.of("rsa", "ngcmfa", "mfa"));
  }

  @Test
  void aPrtRoundTripsAndRevealsNothingInClear() throws Exception {
    Prt prt = prt();
    String text = tokens.sealPrt(prt);
    assertFalse(text.contains("a2V5aWQ"), "opaque");
    Prt back = tokens.openPrt(text);
    assertEquals(prt.userId(), back.userId());
    assertEquals(prt.deviceId(), back.deviceId());
    assertEquals(prt.keyKid(), back.keyKid());
    assertEquals(prt.keyIdentifier(), back.keyIdentifier());
    assertArrayEquals(prt.sessionKey(), back.sessionKey());
    assertEquals(200, back.expiresAt());
    assertEquals(List.of("rsa", "ngcmfa", "mfa"), back.amr());
    assertFalse(back.toString().contains("0700000000"), back.toString());
    assertFalse(back.toString().contains("[7, 0"), back.toString());
  }

  @Test
  void aTamperedPrtOrOneSealedUnderAnotherKeyDoesNotOpen() {
    String text = tokens.sealPrt(prt());
    char[] c = text.toCharArray();
    c[10] = c[10] == 'A' ? 'B' : 'A';
    assertThrows(Malformed.class, () -> tokens.openPrt(new String(c)));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThrows(Malformed.class, () -> new SealedTokens(otherKey).openPrt(text));
    assertThrows(Malformed.class, () -> tokens.openPrt("0.AQ"));
    assertThrows(Malformed.class, () -> tokens.openPrt("x".repeat(5000)));
  }

  @Test
  void aCodeIsNotAPrtAndAPrtIsNotACode() throws Exception {
    AuthCode code = new AuthCode("jti", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), List.of("rsa"),
        "client", "https://app/cb", "", 300);
    String sealed = tokens.sealCode(code);
    assertEquals(code, tokens.openCode(sealed));
    assertThrows(Malformed.class, () -> tokens.openPrt(sealed));
    assertThrows(Malformed.class, () -> tokens.openCode(tokens.sealPrt(prt())));
  }

  @Test
  void codesDoNotSurviveTheProcessButPrtsDo() throws Exception {
    SealedTokens restarted = new SealedTokens(key);
    assertEquals(100, restarted.openPrt(tokens.sealPrt(prt())).issuedAt());
    String code = tokens.sealCode(new AuthCode("j", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
        List.of(), "c", "r", "", 1));
    assertThrows(Malformed.class, () -> restarted.openCode(code));
  }
}
