package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.Objects;

/**
 * An AP-REQ (RFC 4120 §5.5.1), sent inside PA-TGS-REQ for the TGS exchange. The ticket is embedded verbatim.
 *
 * <pre>
 * AP-REQ ::= [APPLICATION 14] SEQUENCE {
 *   pvno          [0] INTEGER (5),
 *   msg-type      [1] INTEGER (14),
 *   ap-options    [2] APOptions,
 *   ticket        [3] Ticket,
 *   authenticator [4] EncryptedData -- Authenticator
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class ApReq {
  private final int apOptions;
  private final Ticket ticket;
  private final EncryptedData authenticator;
  private final byte[] der;

  /**
   * Creates and encodes the AP-REQ.
   *
   * @param apOptions the AP options (see {@link ApOptions}), usually 0 in a TGS-REQ
   * @param ticket the ticket (the TGT in a TGS-REQ)
   * @param authenticator the encrypted {@link Authenticator}
   */
  public ApReq(int apOptions, Ticket ticket, EncryptedData authenticator) {
    this.apOptions = apOptions;
    this.ticket = Objects.requireNonNull(ticket, "ticket");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.der = Der.applicationTagged(MessageType.AP_REQ, Der.sequence(
        Der.explicit(0, Der.integer(5)),
        Der.explicit(1, Der.integer(MessageType.AP_REQ)),
        Der.explicit(2, Der.kerberosFlags(apOptions)),
        Der.explicit(3, ticket.der()),
        Der.explicit(4, authenticator.encode())));
  }

  /**
   * Returns the AP options.
   *
   * @return the options
   */
  public int apOptions() {
    return apOptions;
  }

  /**
   * Returns the ticket.
   *
   * @return the ticket
   */
  public Ticket ticket() {
    return ticket;
  }

  /**
   * Returns the encrypted authenticator.
   *
   * @return the authenticator
   */
  public EncryptedData authenticator() {
    return authenticator;
  }

  /**
   * Returns a copy of the encoding.
   *
   * @return the DER bytes
   */
  public byte[] encode() {
    return der.clone();
  }

  /**
   * Decodes an AP-REQ strictly (for tests and tools).
   *
   * @param der the encoding
   * @return the AP-REQ
   * @throws KrbMessageException if malformed
   */
  public static ApReq decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "AP-REQ", reader -> {
      DerReader outer = reader.expect(Der.application(MessageType.AP_REQ)).reader("AP-REQ");
      DerReader seq = outer.sequence("SEQUENCE");
      seq.field(0, "pvno", Ticket::readPvno);
      seq.field(1, "msg-type", r -> r.integer(MessageType.AP_REQ, MessageType.AP_REQ));
      int options = seq.field(2, "ap-options", DerReader::kerberosFlags);
      Ticket ticket = seq.field(3, "ticket", Ticket::read);
      EncryptedData authenticator = seq.field(4, "authenticator", EncryptedData::read);
      seq.end();
      outer.end();
      return new ApReq(options, ticket, authenticator);
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApReq a && Arrays.equals(a.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "ApReq[options=" + Integer.toHexString(apOptions) + ", " + ticket + "]";
  }
}
