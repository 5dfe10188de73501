package dev.ngc4j.server.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

final class NonceServiceTest {
  private final MutableClock clock = new MutableClock();
  private final NonceService nonces = new NonceService(clock, Duration.ofMinutes(5), new ReplayCache(1024));

  @Test
  void aNonceIsBase64urlJsonAndAValidTagAndIsAcceptedOnce() {
    String nonce = nonces.issue();
    assertTrue(nonce.startsWith("eyJ"), nonce);
    String json = new String(Base64.getUrlDecoder().decode(nonce.substring(0, nonce.indexOf('.'))),
        StandardCharsets.UTF_8);
    assertTrue(json.contains("\"jti\""), json);
    assertEquals(NonceService.Result.OK, nonces.consume(nonce));
    assertEquals(NonceService.Result.REPLAYED, nonces.consume(nonce));
  }

  @Test
  void aNonceIsValidUntilTheLastSecondOfItsLifetime() {
    String nonce = nonces.issue();
    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertEquals(NonceService.Result.OK, nonces.consume(nonce));
  }

  @Test
  void anExpiredNonceIsExpiredEvenIfUnused() {
    String nonce = nonces.issue();
    clock.advance(Duration.ofMinutes(5));
    assertEquals(NonceService.Result.EXPIRED, nonces.consume(nonce));
  }

  @Test
  void aNonceOfAnotherInstanceOrTamperedIsInvalid() {
    NonceService other = new NonceService(clock, Duration.ofMinutes(5), new ReplayCache(1024));
    assertEquals(NonceService.Result.INVALID, nonces.consume(other.issue()));
    String nonce = nonces.issue();
    String body = nonce.substring(0, nonce.indexOf('.'));
    String tag = nonce.substring(nonce.indexOf('.') + 1);
    String forgedBody = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"iat\":1,\"exp\":99999999999,\"jti\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(NonceService.Result.INVALID, nonces.consume(forgedBody + "." + tag));
    assertEquals(NonceService.Result.INVALID, nonces.consume(body));
    assertEquals(NonceService.Result.INVALID, nonces.consume(nonce + ".x"));
    assertEquals(NonceService.Result.INVALID, nonces.consume("x".repeat(600)));
    assertEquals(NonceService.Result.OK, nonces.consume(nonce));
  }
}
