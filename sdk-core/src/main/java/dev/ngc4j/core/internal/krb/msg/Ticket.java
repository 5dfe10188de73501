package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Ticket (RFC 4120 §5.3). A decoded ticket keeps the exact bytes it was received in ({@link #der()}), so it is
 * sent back verbatim in an AP-REQ or stored in a credential cache without re-encoding.
 *
 * <pre>
 * Ticket ::= [APPLICATION 1] SEQUENCE {
 *   tkt-vno  [0] INTEGER (5),
 *   realm    [1] Realm,
 *   sname    [2] PrincipalName,
 *   enc-part [3] EncryptedData -- EncTicketPart
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class Ticket {
  /** The application tag number of Ticket. */
  public static final int APPLICATION_TAG = 1;

  private final String realm;
  private final PrincipalName sname;
  private final EncryptedData encPart;
  private final byte[] der;

  /**
   * Creates a ticket and encodes it.
   *
   * @param realm the service realm
   * @param sname the service name
   * @param encPart the encrypted EncTicketPart
   */
  public Ticket(String realm, PrincipalName sname, EncryptedData encPart) {
    this(realm, sname, encPart, Der.applicationTagged(APPLICATION_TAG, Der.sequence(
        Der.explicit(0, Der.integer(5)),
        Der.explicit(1, Der.kerberosString(realm)),
        Der.explicit(2, sname.encode()),
        Der.explicit(3, encPart.encode()))));
  }

  private Ticket(String realm, PrincipalName sname, EncryptedData encPart, byte[] der) {
    this.realm = Objects.requireNonNull(realm, "realm");
    this.sname = Objects.requireNonNull(sname, "sname");
    this.encPart = Objects.requireNonNull(encPart, "encPart");
    this.der = der;
  }

  /**
   * Returns the realm of the service.
   *
   * @return the realm
   */
  public String realm() {
    return realm;
  }

  /**
   * Returns the service name.
   *
   * @return the name
   */
  public PrincipalName sname() {
    return sname;
  }

  /**
   * Returns the encrypted part.
   *
   * @return the EncryptedData holding the EncTicketPart
   */
  public EncryptedData encPart() {
    return encPart;
  }

  /**
   * Returns a copy of the ticket's encoding: exactly the bytes received for a decoded ticket.
   *
   * @return the DER bytes
   */
  public byte[] der() {
    return der.clone();
  }

  /**
   * Returns the encoding; the same as {@link #der()}.
   *
   * @return the DER bytes
   */
  public byte[] encode() {
    return der.clone();
  }

  /**
   * Decodes a Ticket strictly.
   *
   * @param der the encoding
   * @return the ticket
   * @throws KrbMessageException if malformed
   */
  public static Ticket decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "Ticket", Ticket::read);
  }

  /**
   * Reads a Ticket at the reader's position.
   *
   * @param reader the reader
   * @return the ticket, keeping its encoding
   * @throws KrbMessageException if malformed
   */
  public static Ticket read(DerReader reader) throws KrbMessageException {
    DerReader.Element element = reader.expect(Der.application(APPLICATION_TAG));
    DerReader outer = element.reader("Ticket");
    DerReader seq = outer.sequence("SEQUENCE");
    seq.field(0, "tkt-vno", Ticket::readPvno);
    String realm = seq.field(1, "realm", DerReader::kerberosString);
    PrincipalName sname = seq.field(2, "sname", PrincipalName::read);
    EncryptedData encPart = seq.field(3, "enc-part", EncryptedData::read);
    seq.end();
    outer.end();
    return new Ticket(realm, sname, encPart, element.encoded());
  }

  /** Reads a protocol version number, which must be 5. */
  static long readPvno(DerReader reader) throws KrbMessageException {
    return reader.integer(5, 5);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ticket t && Arrays.equals(t.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "Ticket[" + sname + "@" + realm + ", " + encPart + "]";
  }
}
