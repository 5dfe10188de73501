package dev.ngc4j.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An access token for the directory's registration service, with the facts ngc4j checks before using it: whose
 * it is, how the user authenticated ({@code amr}) and when it expires.
 *
 * <h2>Security</h2>
 *
 * <p>The token is a bearer secret: {@link #toString()} never shows it; never log {@link #value()}.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class AccessToken {
  private final String value;
  private final UserPrincipal subject;
  private final Set<String> authenticationMethods;
  private final Instant expiresAt;

  private AccessToken(String value, UserPrincipal subject, Set<String> methods, Instant expiresAt) {
    this.value = value;
    this.subject = subject;
    this.authenticationMethods = methods;
    this.expiresAt = expiresAt;
  }

  /**
   * Creates a token.
   *
   * @param value the encoded token as sent on the wire
   * @param subject the user it was issued to
   * @param authenticationMethods the {@code amr} values, such as {@code pwd}, {@code mfa}, {@code ngcmfa}
   * @param expiresAt when it expires
   * @return the token
   * @since 0.1.0
   */
  public static AccessToken of(
      String value, UserPrincipal subject, Set<String> authenticationMethods, Instant expiresAt) {
    return new AccessToken(
        Objects.requireNonNull(value, "value"),
        Objects.requireNonNull(subject, "subject"),
        Set.copyOf(Objects.requireNonNull(authenticationMethods, "authenticationMethods")),
        Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /**
   * Returns the encoded token. A bearer secret: never log it.
   *
   * @return the token text
   * @since 0.1.0
   */
  public String value() {
    return value;
  }

  /**
   * Returns the user the token was issued to.
   *
   * @return the subject
   * @since 0.1.0
   */
  public UserPrincipal subject() {
    return subject;
  }

  /**
   * Returns the authentication methods ({@code amr} claim).
   *
   * @return an immutable set
   * @since 0.1.0
   */
  public Set<String> authenticationMethods() {
    return authenticationMethods;
  }

  /**
   * Returns whether the user proved multi-factor authentication ({@code amr} holds {@code mfa} or
   * {@code ngcmfa}).
   *
   * @return true with an MFA claim
   * @since 0.1.0
   */
  public boolean hasMfaClaim() {
    return authenticationMethods.contains("mfa") || authenticationMethods.contains("ngcmfa");
  }

  /**
   * Returns the expiry.
   *
   * @return when the token expires
   * @since 0.1.0
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return "AccessToken[" + subject + ", amr=" + authenticationMethods + ", exp=" + expiresAt + ", redacted]";
  }
}
