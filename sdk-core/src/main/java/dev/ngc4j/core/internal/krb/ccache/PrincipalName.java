package dev.ngc4j.core.internal.krb.ccache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Kerberos principal name (RFC 4120 §5.2.2 PrincipalName plus its realm): a name type, one or more components and
 * a realm, for example {@code alice@WHFB.TEST} or {@code krbtgt/WHFB.TEST@WHFB.TEST}.
 *
 * <p>Components and the realm must not be empty, and there must be at least one component. {@link #parse(String)}
 * reads MIT's text form without a {@code krb5.conf}: the realm is required (there is no default realm to fall back
 * on), components are separated by {@code /}, the realm follows the last unescaped {@code @}, and a backslash escapes
 * the next character ({@code \/}, {@code \@}, {@code \\}, and {@code \n}, {@code \t}, {@code \b}, {@code \0}).
 *
 * <p>Thread safety: immutable.
 *
 * @param nameType the name type ({@link #NT_PRINCIPAL}, {@link #NT_SRV_INST}, ...)
 * @param components the name components, in order; copied
 * @param realm the realm
 */
public record PrincipalName(int nameType, List<String> components, String realm) {
  /** Name type NT-UNKNOWN. */
  public static final int NT_UNKNOWN = 0;

  /** Name type NT-PRINCIPAL: a user or host. */
  public static final int NT_PRINCIPAL = 1;

  /** Name type NT-SRV-INST: a service with an instance, such as {@code krbtgt/REALM}. */
  public static final int NT_SRV_INST = 2;

  /** Name type NT-SRV-HST: a service with a host name as its instance. */
  public static final int NT_SRV_HST = 3;

  /** Name type NT-ENTERPRISE (RFC 6806): one component holding a UPN such as {@code alice@contoso.example}. */
  public static final int NT_ENTERPRISE = 10;

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if there is no component, or a component or the realm is empty
   */
  public PrincipalName {
    Objects.requireNonNull(components, "components");
    Objects.requireNonNull(realm, "realm");
    components = List.copyOf(components);
    if (components.isEmpty()) {
      throw new IllegalArgumentException("a principal name needs at least one component");
    }
    for (String c : components) {
      if (c.isEmpty()) {
        throw new IllegalArgumentException("a principal name component must not be empty");
      }
    }
    if (realm.isEmpty()) {
      throw new IllegalArgumentException("the realm must not be empty");
    }
  }

  /**
   * Parses MIT's text form with a realm; the name type is {@link #NT_SRV_INST} for {@code krbtgt/REALM} names (as
   * MIT's {@code krb5_parse_name} does) and {@link #NT_PRINCIPAL} otherwise.
   *
   * @param name for example {@code alice@WHFB.TEST}
   * @return the name
   * @throws IllegalArgumentException if the text has no realm, an empty component, or a dangling backslash
   */
  public static PrincipalName parse(String name) {
    PrincipalName parsed = parse(name, NT_PRINCIPAL);
    if (parsed.components.size() == 2 && parsed.components.get(0).equals("krbtgt")) {
      return new PrincipalName(NT_SRV_INST, parsed.components, parsed.realm);
    }
    return parsed;
  }

  /**
   * Parses MIT's text form with a realm, with the given name type.
   *
   * @param name for example {@code HTTP/www.whfb.test@WHFB.TEST}
   * @param nameType the name type
   * @return the name
   * @throws IllegalArgumentException if the text has no realm, an empty component, or a dangling backslash
   */
  public static PrincipalName parse(String name, int nameType) {
    Objects.requireNonNull(name, "name");
    List<String> components = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inRealm = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\') {
        if (++i == name.length()) {
          throw new IllegalArgumentException("the principal name ends in a backslash");
        }
        current.append(unescape(name.charAt(i)));
      } else if (c == '/' && !inRealm) {
        components.add(current.toString());
        current.setLength(0);
      } else if (c == '@' && !inRealm) {
        components.add(current.toString());
        current.setLength(0);
        inRealm = true;
      } else if (c == '@') {
        throw new IllegalArgumentException("the realm contains an unescaped '@'");
      } else {
        current.append(c);
      }
    }
    if (!inRealm) {
      throw new IllegalArgumentException("the principal name has no realm (there is no default realm here)");
    }
    return new PrincipalName(nameType, components, current.toString());
  }

  /** MIT's text form, escaping {@code / @ \} and control characters. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < components.size(); i++) {
      if (i > 0) {
        out.append('/');
      }
      escape(components.get(i), out, true);
    }
    out.append('@');
    escape(realm, out, false);
    return out.toString();
  }

  private static char unescape(char c) {
    return switch (c) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'b' -> '\b';
      case '0' -> '\0';
      default -> c;
    };
  }

  private static void escape(String s, StringBuilder out, boolean component) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\0' -> out.append("\\0");
        case '\\', '@' -> out.append('\\').append(c);
        case '/' -> {
          if (component) {
            out.append('\\');
          }
          out.append(c);
        }
        default -> out.append(c);
      }
    }
  }
}
