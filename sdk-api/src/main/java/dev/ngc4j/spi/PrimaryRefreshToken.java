package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.UserPrincipal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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
  private final Instant issuedAt;
  private final List<String> authenticationMethods;
  private final Map<String, String> claims;

  /**
   * Creates a PRT without claims: issued now as far as the caller knows, no authentication methods.
   *
   * @param token the opaque token, a bearer secret
   * @param user the user
   * @param expiresAt the expiry
   * @param sessionKey the session key handle
   * @since 0.1.0
   */
  public PrimaryRefreshToken(String token, UserPrincipal user, Instant expiresAt, SessionKeyHandle sessionKey) {
    this(token, user, expiresAt, sessionKey, expiresAt, List.of(), Map.of());
  }

  /**
   * Creates a PRT with what the directory said about it.
   *
   * @param token the opaque token, a bearer secret
   * @param user the user
   * @param expiresAt the expiry
   * @param sessionKey the session key handle
   * @param issuedAt when it was issued
   * @param authenticationMethods the {@code amr} values of the sign-in, such as {@code ngcmfa}
   * @param claims the identity claims that came with it (from the {@code id_token}), as strings; no secrets
   * @since 0.1.0
   */
  public PrimaryRefreshToken(
      String token,
      UserPrincipal user,
      Instant expiresAt,
      SessionKeyHandle sessionKey,
      Instant issuedAt,
      List<String> authenticationMethods,
      Map<String, String> claims) {
    this.token = Objects.requireNonNull(token, "token");
    this.user = Objects.requireNonNull(user, "user");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.sessionKey = Objects.requireNonNull(sessionKey, "sessionKey");
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt");
    this.authenticationMethods = List.copyOf(authenticationMethods);
    this.claims = Collections.unmodifiableMap(new TreeMap<>(claims));
  }

  /**
   * Returns when the PRT was issued.
   *
   * @return the issue time
   * @since 0.1.0
   */
  public Instant issuedAt() {
    return issuedAt;
  }

  /**
   * Returns how the user authenticated for this PRT ({@code amr}), such as {@code ngcmfa} and {@code mfa}.
   *
   * @return the methods, possibly empty
   * @since 0.1.0
   */
  public List<String> authenticationMethods() {
    return authenticationMethods;
  }

  /**
   * Returns whether the PRT carries an MFA claim ({@code mfa} or {@code ngcmfa}).
   *
   * @return true if it does
   * @since 0.1.0
   */
  public boolean hasMfaClaim() {
    return authenticationMethods.contains("mfa") || authenticationMethods.contains("ngcmfa");
  }

  /**
   * Returns the identity claims that came with the PRT, sorted by name.
   *
   * @return the claims, unmodifiable
   * @since 0.1.0
   */
  public Map<String, String> claims() {
    return claims;
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
