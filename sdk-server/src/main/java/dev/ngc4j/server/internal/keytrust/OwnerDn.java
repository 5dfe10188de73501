package dev.ngc4j.server.internal.keytrust;

import java.util.Locale;
import java.util.Objects;

/**
 * The distinguished name the service gives a user object when it shows its directory the way Active Directory
 * would: {@code CN=<UPN>,CN=Users,DC=<label>,...} for the tenant's domain. The UPN is the RDN value because it is
 * unique in the directory (display names are not). Attribute values are escaped as RFC 4514 section 2.4 requires.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class OwnerDn {
  private OwnerDn() {}

  /**
   * Returns the DN of a user.
   *
   * @param upn the user principal name
   * @param domain the tenant's DNS domain
   * @return the DN, such as {@code CN=alice@contoso.example,CN=Users,DC=contoso,DC=example}
   */
  public static String of(String upn, String domain) {
    Objects.requireNonNull(upn, "upn");
    StringBuilder dn = new StringBuilder("CN=").append(escape(upn)).append(",CN=Users");
    for (String label : domain.toLowerCase(Locale.ROOT).split("\\.", -1)) {
      dn.append(",DC=").append(escape(label));
    }
    return dn.toString();
  }

  /**
   * Escapes an attribute value for the RFC 4514 string form: {@code " + , ; < > \} and NUL everywhere, a leading
   * space or {@code #}, and a trailing space.
   *
   * @param value the value
   * @return the escaped value
   */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\';
      boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == value.length() - 1 && c == ' ');
      if (c == '\0') {
        out.append("\\00");
      } else if (special || edge) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
