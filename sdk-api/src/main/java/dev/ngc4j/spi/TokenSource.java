package dev.ngc4j.spi;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;

/**
 * Where provisioning gets the user's access token for the registration service; the user proves MFA here (a web
 * sign-in, a device-code flow, an existing session). ngc4j refuses tokens without an MFA claim.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface TokenSource {
  /**
   * Obtains a token for the user.
   *
   * @param user the user being provisioned
   * @return the token; MUST NOT be {@code null}
   * @throws NgcException if the user cannot authenticate
   * @since 0.1.0
   */
  AccessToken token(UserPrincipal user) throws NgcException;
}
