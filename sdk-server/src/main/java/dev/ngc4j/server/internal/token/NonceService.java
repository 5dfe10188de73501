package dev.ngc4j.server.internal.token;

import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Stateless nonces: {@code base64url({"iat":..,"exp":..,"jti":".."}) "." base64url(HMAC-SHA256)} under a key that
 * lives only in this object (a restart invalidates outstanding nonces). A {@link ReplayCache} accepts each nonce
 * once.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class NonceService {
  /** The longest nonce text accepted. */
  static final int MAX_CHARS = 512;

  /** How far in the future an {@code iat} may lie before the nonce is refused (clock adjustments). */
  private static final long FUTURE_SKEW_SECONDS = 60;

  /** The outcome of {@link #consume}. */
  public enum Result {
    /** Valid, unexpired and first use. */
    OK,
    /** Issued here but expired. */
    EXPIRED,
    /** Issued here, unexpired, but used before. */
    REPLAYED,
    /** Not issued by this service (bad form or tag). */
    INVALID,
    /** The replay cache is full; try again later. */
    BUSY
  }

  private final byte[] key = new byte[32];
  private final Clock clock;
  private final long lifetimeSeconds;
  private final ReplayCache replay;

  /**
   * Creates the service with a fresh random key.
   *
   * @param clock the clock
   * @param lifetime how long a nonce is valid
   * @param replay the replay cache (shared with other single-use tokens)
   */
  public NonceService(Clock clock, Duration lifetime, ReplayCache replay) {
    this.clock = clock;
    this.lifetimeSeconds = lifetime.toSeconds();
    this.replay = replay;
    Jca.RANDOM.nextBytes(key);
  }

  /**
   * Issues a nonce.
   *
   * @return the nonce text
   */
  public String issue() {
    long now = clock.instant().getEpochSecond();
    byte[] jti = new byte[16];
    Jca.RANDOM.nextBytes(jti);
    String body = "{\"iat\":" + now + ",\"exp\":" + (now + lifetimeSeconds) + ",\"jti\":\"" + Base64Strict.url(jti)
        + "\"}";
    String first = Base64Strict.url(body.getBytes(StandardCharsets.UTF_8));
    return first + '.' + Base64Strict.url(Jca.hmacSha256(key, first.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Checks a nonce and, if it is valid, consumes it.
   *
   * @param nonce the nonce text
   * @return the outcome
   */
  public Result consume(String nonce) {
    if (nonce.length() > MAX_CHARS) {
      return Result.INVALID;
    }
    int dot = nonce.indexOf('.');
    if (dot <= 0 || nonce.indexOf('.', dot + 1) >= 0) {
      return Result.INVALID;
    }
    long iat;
    long exp;
    String jti;
    try {
      byte[] tag = Base64Strict.decodeUrl(nonce, dot + 1, nonce.length());
      byte[] expected = Jca.hmacSha256(key, nonce.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
      if (!MessageDigest.isEqual(tag, expected)) {
        return Result.INVALID;
      }
      Map<String, Object> claims = Json.parseObject(Base64Strict.decodeUrl(nonce, 0, dot));
      if (!(claims.get("iat") instanceof Long i) || !(claims.get("exp") instanceof Long e)) {
        return Result.INVALID;
      }
      iat = i;
      exp = e;
      jti = Json.string(claims, "jti");
    } catch (Malformed e) {
      return Result.INVALID;
    }
    long now = clock.instant().getEpochSecond();
    if (now >= exp) {
      return Result.EXPIRED;
    }
    if (iat > now + FUTURE_SKEW_SECONDS) {
      return Result.INVALID;
    }
    return switch (replay.consume("n:" + jti, exp, now)) {
      case ACCEPTED -> Result.OK;
      case REPLAYED -> Result.REPLAYED;
      case FULL -> Result.BUSY;
    };
  }

  /** Clears the key. */
  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }
}
