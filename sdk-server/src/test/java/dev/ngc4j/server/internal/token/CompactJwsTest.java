package dev.ngc4j.server.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.internal.util.Malformed;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

final class CompactJwsTest {
  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aWellFormedTokenParsesAndVerifies() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair key = g.generateKeyPair();
    String input = b64("{\"alg\":\"RS256\"}") + "." + b64("{\"a\":1}");
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(key.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    String jws = input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    CompactJws parsed = CompactJws.parse(jws, 10_000);
    assertEquals("RS256", parsed.alg());
    assertEquals(1L, parsed.payload().get("a"));
    assertTrue(parsed.verifyRs256(key.getPublic()));
    assertFalse(CompactJws.parse(input + "." + b64("x".repeat(256)), 10_000).verifyRs256(key.getPublic()));
    assertFalse(CompactJws.parse(input + ".", 10_000).verifyRs256(key.getPublic()), "alg none style empty sig");
  }

  @Test
  void anythingButThreeStrictSegmentsOfJsonObjectsIsMalformed() {
    String h = b64("{\"alg\":\"RS256\"}");
    String p = b64("{}");
    String[] bad = {
      h + "." + p, h + "." + p + ".." , "." + p + ".", h + "..", h + "=." + p + ".", b64("[]") + "." + p + ".",
      h + "." + b64("\"s\"") + ".", h + "." + p + ".+/", b64("{\"alg\":\"RS256\",\"alg\":\"none\"}") + "." + p + "."
    };
    for (String s : bad) {
      assertThrows(Malformed.class, () -> CompactJws.parse(s, 10_000), s);
    }
    assertThrows(Malformed.class, () -> CompactJws.parse(h + "." + p + ".", 5));
  }

  @Test
  void headersThatChooseKeysOrProcessingAreRefused() {
    for (String member : CompactJws.FORBIDDEN_HEADER_MEMBERS) {
      String h = b64("{\"alg\":\"RS256\",\"" + member + "\":\"x\"}");
      assertThrows(Malformed.class, () -> CompactJws.parse(h + "." + b64("{}") + ".", 10_000), member);
    }
  }
}
