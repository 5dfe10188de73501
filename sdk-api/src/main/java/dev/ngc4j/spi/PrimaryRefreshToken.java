package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.UserPrincipal;
import java.time.Instant;
import java.util.Objects;

/**
 * A Primary Refresh Token: an opaque token for the user on this device, and a handle to its session key, which
 * stays inside the provider.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public final class PrimaryRefreshToken {
  private final String token;
  private final UserPrincipal user;
  private final Instant expiresAt;
  private final SessionKeyHandle sessionKey;

  /**
   * Creates a PRT.
   *
   * @param token the opaque token, a bearer secret
   * @param user the user
   * @param expiresAt the expiry
   * @param sessionKey the session key handle
   * @since 0.1.0
   */
  public PrimaryRefreshToken(String token, UserPrincipal user, Instant expiresAt, SessionKeyHandle sessionKey) {
    this.token = Objects.requireNonNull(token, "token");
    this.user = Objects.requireNonNull(user, "user");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.sessionKey = Objects.requireNonNull(sessionKey, "sessionKey");
  }

  /**
   * Returns the opaque token. A bearer secret: never log it.
   *
   * @return the token
   * @since 0.1.0
   */
  public String token() {
    return token;
  }

  /**
   * Returns the user.
   *
   * @return the user
   * @since 0.1.0
   */
  public UserPrincipal user() {
    return user;
  }

  /**
   * Returns the expiry.
   *
   * @return when the PRT expires
   * @since 0.1.0
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * Returns the session key handle.
   *
   * @return the handle
   * @since 0.1.0
   */
  public SessionKeyHandle sessionKey() {
    return sessionKey;
  }

  @Override
  public String toString() {
    return "PrimaryRefreshToken[" + user + ", exp=" + expiresAt + ", redacted]";
  }
}
