package dev.ngc4j.server;

import dev.ngc4j.server.internal.keytrust.DnBinary;
import java.util.Objects;

/**
 * One value of {@code msDS-KeyCredentialLink} (attributeID 1.2.840.113556.1.4.2328) as an LDAP client reads it: the
 * Object(DN-Binary) string {@code B:<count of hex digits>:<hex blob>:<owner DN>}, where the blob is a
 * {@link KeyCredentialLink} and the DN names the object that holds the attribute (MS-DVRJ 2.3.4).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param link the blob
 * @param ownerDn the owner's distinguished name (RFC 4514 string form), not empty
 * @since 0.1.0
 */
public record KeyCredentialLinkValue(KeyCredentialLink link, String ownerDn) {
  /**
   * Validates the fields.
   *
   * @param link the blob
   * @param ownerDn the owner DN
   */
  public KeyCredentialLinkValue {
    Objects.requireNonNull(link, "link");
    Objects.requireNonNull(ownerDn, "ownerDn");
    if (ownerDn.isEmpty()) {
      throw new IllegalArgumentException("the owner DN is empty");
    }
  }

  /**
   * Parses an attribute value strictly: the DN-Binary form (the count must equal the number of hex digits, hex in
   * either case) and then the blob with {@link KeyCredentialLink#decode}.
   *
   * @param value the attribute value
   * @return the parsed value
   * @throws KeyCredentialLinkException ({@link KeyCredentialLinkException.Reason#DN_BINARY} for the string form, the
   *     blob's own reasons for the blob)
   * @since 0.1.0
   */
  public static KeyCredentialLinkValue parse(String value) throws KeyCredentialLinkException {
    DnBinary.Value v = DnBinary.parse(value);
    return new KeyCredentialLinkValue(KeyCredentialLink.decode(v.binary()), v.dn());
  }

  /**
   * Returns the attribute value in DN-Binary form, hex upper case.
   *
   * @return {@code B:<count>:<HEX>:<owner DN>}
   * @since 0.1.0
   */
  public String dnBinary() {
    return DnBinary.format(link.encode(), ownerDn);
  }
}
