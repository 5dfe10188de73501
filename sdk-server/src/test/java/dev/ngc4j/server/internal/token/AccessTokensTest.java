package dev.ngc4j.server.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.server.internal.crypto.TokenKey;
import dev.ngc4j.server.internal.util.Malformed;
import dev.ngc4j.server.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class AccessTokensTest {
  private static final String AUD = "urn:ms-drs:enterpriseregistration.windows.net";
  private final MutableClock clock = new MutableClock();

  private static TokenKey key() throws Exception {
    return TokenKey.decode(TokenKey.newEncoded());
  }

  @Test
  void anIssuedTokenVerifiesWithItsClaims() throws Exception {
    AccessTokens tokens = new AccessTokens(key(), clock, Duration.ofHours(1), Duration.ofMinutes(5));
    UUID tid = UUID.randomUUID();
    UUID oid = UUID.randomUUID();
    UUID device = UUID.randomUUID();
    String jwt = tokens.issue("https://x/" + tid + "/", AUD, tid, oid, "a@b.example", List.of("pwd", "mfa"), device,
        "client");
    AccessTokens.Claims c = tokens.verify(jwt, AUD);
    assertEquals(tid, c.tenantId());
    assertEquals(oid, c.objectId());
    assertEquals(device, c.deviceId());
    assertEquals(List.of("pwd", "mfa"), c.amr());
  }

  @Test
  void wrongAudienceExpiryAndSkewAreEnforced() throws Exception {
    AccessTokens tokens = new AccessTokens(key(), clock, Duration.ofHours(1), Duration.ofMinutes(5));
    String jwt = tokens.issue("i", AUD, UUID.randomUUID(), UUID.randomUUID(), "u", List.of(), null, "c");
    assertThrows(Malformed.class, () -> tokens.verify(jwt, "other"));
    clock.advance(Duration.ofMinutes(64));
    tokens.verify(jwt, AUD); // within the 5 minute skew
    clock.advance(Duration.ofMinutes(2));
    assertThrows(Malformed.class, () -> tokens.verify(jwt, AUD));
    clock.advance(Duration.ofMinutes(-66 - 6));
    assertThrows(Malformed.class, () -> tokens.verify(jwt, AUD), "not yet valid beyond the skew");
  }

  @Test
  void anotherKeyOrAlgNoneIsRefused() throws Exception {
    AccessTokens tokens = new AccessTokens(key(), clock, Duration.ofHours(1), Duration.ofMinutes(5));
    AccessTokens other = new AccessTokens(key(), clock, Duration.ofHours(1), Duration.ofMinutes(5));
    String jwt = other.issue("i", AUD, UUID.randomUUID(), UUID.randomUUID(), "u", List.of(), null, "c");
    assertThrows(Malformed.class, () -> tokens.verify(jwt, AUD));
    String payload = jwt.split("\\.", -1)[1];
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".";
    assertThrows(Malformed.class, () -> tokens.verify(none, AUD));
  }
}
