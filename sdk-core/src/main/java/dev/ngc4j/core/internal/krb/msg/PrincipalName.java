package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Kerberos PrincipalName (RFC 4120 §5.2.2), without its realm:
 *
 * <pre>
 * PrincipalName ::= SEQUENCE {
 *   name-type   [0] Int32,
 *   name-string [1] SEQUENCE OF KerberosString
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param nameType the name type, such as {@link #NT_PRINCIPAL}
 * @param components the name components (immutable copy), at most {@link #MAX_COMPONENTS}
 */
public record PrincipalName(int nameType, List<String> components) {
  /** Name type not known. */
  public static final int NT_UNKNOWN = 0;
  /** A user or host principal. */
  public static final int NT_PRINCIPAL = 1;
  /** A service and other unique instance, such as {@code krbtgt/REALM}. */
  public static final int NT_SRV_INST = 2;
  /** A service with the host name as instance. */
  public static final int NT_SRV_HST = 3;
  /** An enterprise name (RFC 6806 §5): one component such as {@code alice@contoso.example}. */
  public static final int NT_ENTERPRISE = 10;
  /** A well-known name (RFC 6111). */
  public static final int NT_WELLKNOWN = 11;

  /** The most components accepted. */
  public static final int MAX_COMPONENTS = 32;

  /**
   * Validates and copies.
   *
   * @param nameType the name type
   * @param components the components; each valid Unicode of at most {@link DerReader#MAX_STRING} UTF-8 bytes
   */
  public PrincipalName {
    components = List.copyOf(components);
    if (components.size() > MAX_COMPONENTS) {
      throw new IllegalArgumentException("a principal name has at most " + MAX_COMPONENTS + " components");
    }
    for (String c : components) {
      if (Der.utf8(c).length > DerReader.MAX_STRING) {
        throw new IllegalArgumentException("a principal name component is longer than " + DerReader.MAX_STRING
            + " bytes");
      }
    }
  }

  /**
   * Parses {@code a/b/c}: components separated by {@code /}, where a backslash takes the next character
   * literally (so {@code \/} is a slash inside a component). No realm is parsed: {@code @} is an ordinary
   * character. The name type is {@link #NT_SRV_INST} for {@code krbtgt/REALM}, else {@link #NT_PRINCIPAL}.
   *
   * @param text the name
   * @return the principal name
   * @throws IllegalArgumentException if a component is empty or the text ends with a lone backslash
   */
  public static PrincipalName parse(String text) {
    List<String> parts = split(text);
    int type = parts.size() == 2 && parts.get(0).equals("krbtgt") ? NT_SRV_INST : NT_PRINCIPAL;
    return new PrincipalName(type, parts);
  }

  /**
   * Parses {@code a/b/c} as {@link #parse(String)} does, with the given name type.
   *
   * @param text the name
   * @param nameType the name type
   * @return the principal name
   */
  public static PrincipalName parse(String text, int nameType) {
    return new PrincipalName(nameType, split(text));
  }

  /**
   * Returns the ticket-granting service of a realm, {@code krbtgt/REALM} ({@link #NT_SRV_INST}).
   *
   * @param realm the realm
   * @return the name
   */
  public static PrincipalName krbtgt(String realm) {
    return new PrincipalName(NT_SRV_INST, List.of("krbtgt", realm));
  }

  private static List<String> split(String text) {
    Objects.requireNonNull(text, "text");
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 == text.length()) {
          throw new IllegalArgumentException("principal name ends with a lone backslash");
        }
        current.append(text.charAt(++i));
      } else if (c == '/') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("principal name has an empty component");
      }
    }
    return parts;
  }

  /**
   * Encodes the PrincipalName in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> names = new ArrayList<>();
    for (String c : components) {
      names.add(Der.kerberosString(c));
    }
    return Der.sequence(Der.explicit(0, Der.integer(nameType)), Der.explicit(1, Der.sequence(names)));
  }

  /**
   * Decodes a PrincipalName strictly.
   *
   * @param der the encoding
   * @return the name
   * @throws KrbMessageException if malformed
   */
  public static PrincipalName decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "PrincipalName", PrincipalName::read);
  }

  /**
   * Reads a PrincipalName at the reader's position.
   *
   * @param reader the reader
   * @return the name
   * @throws KrbMessageException if malformed
   */
  public static PrincipalName read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("PrincipalName");
    int type = seq.field(0, "name-type", DerReader::int32);
    List<String> names = seq.field(1, "name-string", r -> r.sequenceOf(DerReader::kerberosString));
    seq.end();
    if (names.size() > MAX_COMPONENTS) {
      throw seq.failure("more than " + MAX_COMPONENTS + " name components");
    }
    return new PrincipalName(type, names);
  }

  /**
   * Returns the components joined by {@code /}, with {@code /}, {@code @} and backslash escaped by a backslash.
   *
   * @return the name, such as {@code krbtgt/EXAMPLE.COM}
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < components.size(); i++) {
      if (i > 0) {
        out.append('/');
      }
      for (char c : components.get(i).toCharArray()) {
        if (c == '/' || c == '@' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
