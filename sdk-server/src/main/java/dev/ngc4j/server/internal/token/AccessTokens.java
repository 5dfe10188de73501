package dev.ngc4j.server.internal.token;

import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.TokenKey;
import dev.ngc4j.server.internal.util.Guids;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens: RS256 JWTs under the service's token-signing key, with {@code iss}, {@code aud}, {@code tid},
 * {@code oid}, {@code upn}, {@code amr}, optional {@code deviceid}, {@code iat}, {@code nbf}, {@code exp}. Bearer
 * verification pins RS256 and the key id, checks the signature, the audience and the time window with a skew.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class AccessTokens {
  /** The longest bearer token accepted. */
  static final int MAX_CHARS = 16 * 1024;

  private static final Set<String> HEADER = Set.of("alg", "typ", "kid");

  /** Verified bearer claims. */
  public record Claims(UUID tenantId, UUID objectId, String upn, List<String> amr, @Nullable UUID deviceId) {
    /** Copies the list. */
    public Claims {
      amr = List.copyOf(amr);
    }
  }

  private final TokenKey key;
  private final Clock clock;
  private final long lifetimeSeconds;
  private final long skewSeconds;

  /**
   * Creates the issuer.
   *
   * @param key the signing key
   * @param clock the clock
   * @param lifetime access token lifetime
   * @param skew allowed clock skew on verification
   */
  public AccessTokens(TokenKey key, Clock clock, Duration lifetime, Duration skew) {
    this.key = key;
    this.clock = clock;
    this.lifetimeSeconds = lifetime.toSeconds();
    this.skewSeconds = skew.toSeconds();
  }

  /**
   * Returns the lifetime of issued tokens.
   *
   * @return seconds
   */
  public long lifetimeSeconds() {
    return lifetimeSeconds;
  }

  /**
   * Issues an access token.
   *
   * @param issuer the {@code iss}
   * @param audience the {@code aud}
   * @param tenantId the tenant
   * @param objectId the user
   * @param upn the UPN
   * @param amr the authentication methods
   * @param deviceId the authenticated device, or null
   * @param clientId the client the token was issued to ({@code appid})
   * @return the JWT
   */
  public String issue(
      String issuer, String audience, UUID tenantId, UUID objectId, String upn, List<String> amr,
      @Nullable UUID deviceId, String clientId) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audience);
    claims.put("iss", issuer);
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + lifetimeSeconds);
    claims.put("amr", List.copyOf(amr));
    claims.put("appid", clientId);
    if (deviceId != null) {
      claims.put("deviceid", deviceId.toString());
    }
    claims.put("oid", objectId.toString());
    claims.put("tid", tenantId.toString());
    claims.put("upn", upn);
    claims.put("unique_name", upn);
    byte[] jti = new byte[16];
    Jca.RANDOM.nextBytes(jti);
    claims.put("uti", dev.ngc4j.server.internal.util.Base64Strict.url(jti));
    claims.put("ver", "1.0");
    return key.sign(Json.write(claims));
  }

  /**
   * Verifies a bearer token.
   *
   * @param token the JWT
   * @param audience the required audience
   * @return the claims
   * @throws Malformed on any failure (the caller answers {@code token_invalid})
   */
  public Claims verify(String token, String audience) throws Malformed {
    CompactJws jws = CompactJws.parse(token, MAX_CHARS);
    if (!"RS256".equals(jws.alg()) || !jws.headerOnly(HEADER) || !key.kid().equals(jws.header().get("kid"))) {
      throw new Malformed("not one of our tokens");
    }
    if (!jws.verifyRs256(key.publicKey())) {
      throw new Malformed("bad signature");
    }
    Map<String, Object> c = jws.payload();
    Object aud = c.get("aud");
    boolean audOk = audience.equals(aud) || (aud instanceof List<?> list && list.contains(audience));
    if (!audOk) {
      throw new Malformed("wrong audience");
    }
    long now = clock.instant().getEpochSecond();
    if (!(c.get("exp") instanceof Long exp) || now >= exp + skewSeconds) {
      throw new Malformed("expired");
    }
    if (c.containsKey("nbf") && (!(c.get("nbf") instanceof Long nbf) || now < nbf - skewSeconds)) {
      throw new Malformed("not yet valid");
    }
    List<String> amr = new ArrayList<>();
    if (c.containsKey("amr")) {
      if (!(c.get("amr") instanceof List<?> list)) {
        throw new Malformed("amr is not an array");
      }
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw new Malformed("amr holds a non-string");
        }
        amr.add(s);
      }
    }
    String device = Json.optString(c, "deviceid");
    return new Claims(
        Guids.parse(Json.string(c, "tid")),
        Guids.parse(Json.string(c, "oid")),
        Json.string(c, "upn"),
        amr,
        device == null ? null : Guids.parse(device));
  }
}
