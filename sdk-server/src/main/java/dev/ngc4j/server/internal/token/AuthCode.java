package dev.ngc4j.server.internal.token;

import java.util.List;
import java.util.UUID;

/**
 * What a sealed authorization code says (issued at the authorize endpoint from a PRT cookie, redeemed once at the
 * token endpoint).
 *
 * @param jti the single-use id
 * @param tenantId the tenant
 * @param userId the user's object id
 * @param deviceId the device id
 * @param amr the PRT's authentication methods
 * @param clientId the client id the code was issued to
 * @param redirectUri the redirect URI it was sent to
 * @param resource the requested resource, or empty for the client id
 * @param expiresAt expiry, epoch seconds
 */
public record AuthCode(
    String jti, UUID tenantId, UUID userId, UUID deviceId, List<String> amr, String clientId, String redirectUri,
    String resource, long expiresAt) {
  /** Copies the list. */
  public AuthCode {
    amr = List.copyOf(amr);
  }
}
