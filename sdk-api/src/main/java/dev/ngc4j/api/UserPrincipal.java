package dev.ngc4j.api;

import java.util.Locale;
import java.util.Objects;

/**
 * A user principal name such as {@code alice@contoso.com}: the user a credential belongs to. Compared
 * case-insensitively, as directories do; stored in lower case.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param upn the principal name, {@code local@domain}, lower case
 * @since 0.1.0
 */
public record UserPrincipal(String upn) {
  /**
   * Validates and normalises the name.
   *
   * @param upn the principal name
   * @throws IllegalArgumentException if it is not of the form {@code local@domain} or contains control characters
   */
  public UserPrincipal {
    Objects.requireNonNull(upn, "upn");
    upn = upn.toLowerCase(Locale.ROOT);
    int at = upn.indexOf('@');
    if (at <= 0 || at != upn.lastIndexOf('@') || at == upn.length() - 1 || upn.length() > 256) {
      throw new IllegalArgumentException("not a user principal name (expected local@domain): " + upn);
    }
    for (int i = 0; i < upn.length(); i++) {
      char c = upn.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c) || c == '/' || c == '\\') {
        throw new IllegalArgumentException("user principal name contains a forbidden character at index " + i);
      }
    }
  }

  /**
   * Parses a principal name.
   *
   * @param upn the principal name
   * @return the principal
   * @since 0.1.0
   */
  public static UserPrincipal of(String upn) {
    return new UserPrincipal(upn);
  }

  /**
   * Returns the domain part, which is also the default Kerberos realm in upper case.
   *
   * @return the domain after {@code @}
   * @since 0.1.0
   */
  public String domain() {
    return upn.substring(upn.indexOf('@') + 1);
  }

  @Override
  public String toString() {
    return upn;
  }
}
