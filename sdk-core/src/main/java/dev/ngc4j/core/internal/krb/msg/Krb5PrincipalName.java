package dev.ngc4j.core.internal.krb.msg;

import java.util.Objects;

/**
 * A KRB5PrincipalName (RFC 4556 §3.2.2): a principal with its realm, as carried in the id-pkinit-san otherName
 * of a certificate and in the RFC 8636 KDF's OtherInfo.
 *
 * <pre>
 * KRB5PrincipalName ::= SEQUENCE {
 *   realm         [0] Realm,
 *   principalName [1] PrincipalName
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param realm the realm
 * @param principalName the name
 */
public record Krb5PrincipalName(String realm, PrincipalName principalName) {
  /**
   * Checks the fields are present.
   *
   * @param realm the realm
   * @param principalName the name
   */
  public Krb5PrincipalName {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(principalName, "principalName");
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    return Der.sequence(Der.explicit(0, Der.kerberosString(realm)), Der.explicit(1, principalName.encode()));
  }

  /**
   * Decodes strictly.
   *
   * @param der the encoding
   * @return the name
   * @throws KrbMessageException if malformed
   */
  public static Krb5PrincipalName decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "KRB5PrincipalName", Krb5PrincipalName::read);
  }

  /**
   * Reads a KRB5PrincipalName at the reader's position.
   *
   * @param reader the reader
   * @return the name
   * @throws KrbMessageException if malformed
   */
  public static Krb5PrincipalName read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("KRB5PrincipalName");
    String realm = seq.field(0, "realm", DerReader::kerberosString);
    PrincipalName name = seq.field(1, "principalName", PrincipalName::read);
    seq.end();
    return new Krb5PrincipalName(realm, name);
  }

  /**
   * Returns {@code name@REALM}.
   *
   * @return the principal in text form
   */
  @Override
  public String toString() {
    return principalName + "@" + realm;
  }
}
