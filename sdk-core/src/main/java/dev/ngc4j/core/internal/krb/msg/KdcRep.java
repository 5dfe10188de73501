package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An AS-REP or TGS-REP (RFC 4120 §5.4.2): {@code AS-REP ::= [APPLICATION 11] KDC-REP},
 * {@code TGS-REP ::= [APPLICATION 13] KDC-REP}.
 *
 * <pre>
 * KDC-REP ::= SEQUENCE {
 *   pvno     [0] INTEGER (5),
 *   msg-type [1] INTEGER (11 -- AS -- | 13 -- TGS --),
 *   padata   [2] SEQUENCE OF PA-DATA OPTIONAL,
 *   crealm   [3] Realm,
 *   cname    [4] PrincipalName,
 *   ticket   [5] Ticket,
 *   enc-part [6] EncryptedData -- EncASRepPart or EncTGSRepPart
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KdcRep {
  private final int msgType;
  private final List<PaData> padata;
  private final String crealm;
  private final PrincipalName cname;
  private final Ticket ticket;
  private final EncryptedData encPart;
  private final byte[] der;

  /**
   * Creates and encodes a reply (for tests and test KDCs; the client only decodes replies).
   *
   * @param msgType {@link MessageType#AS_REP} or {@link MessageType#TGS_REP}
   * @param padata the padata (empty omits the field)
   * @param crealm the client realm
   * @param cname the client name
   * @param ticket the ticket, embedded verbatim
   * @param encPart the encrypted part
   */
  public KdcRep(int msgType, List<PaData> padata, String crealm, PrincipalName cname, Ticket ticket,
      EncryptedData encPart) {
    this(checkType(msgType), List.copyOf(padata), crealm, cname, ticket, encPart, null);
  }

  private KdcRep(int msgType, List<PaData> padata, String crealm, PrincipalName cname, Ticket ticket,
      EncryptedData encPart, byte @Nullable [] der) {
    this.msgType = msgType;
    this.padata = padata;
    this.crealm = Objects.requireNonNull(crealm, "crealm");
    this.cname = Objects.requireNonNull(cname, "cname");
    this.ticket = Objects.requireNonNull(ticket, "ticket");
    this.encPart = Objects.requireNonNull(encPart, "encPart");
    this.der = der != null ? der : encodeFields();
  }

  private static int checkType(int msgType) {
    if (msgType != MessageType.AS_REP && msgType != MessageType.TGS_REP) {
      throw new IllegalArgumentException("a KDC-REP is an AS-REP (11) or a TGS-REP (13)");
    }
    return msgType;
  }

  private byte[] encodeFields() {
    List<byte[]> fields = new ArrayList<>();
    fields.add(Der.explicit(0, Der.integer(5)));
    fields.add(Der.explicit(1, Der.integer(msgType)));
    if (!padata.isEmpty()) {
      fields.add(Der.explicit(2, PaData.encodeMethodData(padata)));
    }
    fields.add(Der.explicit(3, Der.kerberosString(crealm)));
    fields.add(Der.explicit(4, cname.encode()));
    fields.add(Der.explicit(5, ticket.der()));
    fields.add(Der.explicit(6, encPart.encode()));
    return Der.applicationTagged(msgType, Der.sequence(fields));
  }

  /**
   * Decodes an AS-REP strictly.
   *
   * @param der the encoding
   * @return the reply
   * @throws KrbMessageException if malformed or not an AS-REP
   */
  public static KdcRep decodeAsRep(byte[] der) throws KrbMessageException {
    return decode(der, MessageType.AS_REP);
  }

  /**
   * Decodes a TGS-REP strictly.
   *
   * @param der the encoding
   * @return the reply
   * @throws KrbMessageException if malformed or not a TGS-REP
   */
  public static KdcRep decodeTgsRep(byte[] der) throws KrbMessageException {
    return decode(der, MessageType.TGS_REP);
  }

  /**
   * Decodes the reply that was expected: the application tag and the msg-type field must both be
   * {@code expectedMsgType}.
   *
   * @param der the encoding
   * @param expectedMsgType {@link MessageType#AS_REP} or {@link MessageType#TGS_REP}
   * @return the reply
   * @throws KrbMessageException if malformed or another message
   */
  public static KdcRep decode(byte[] der, int expectedMsgType) throws KrbMessageException {
    checkType(expectedMsgType);
    String name = expectedMsgType == MessageType.AS_REP ? "AS-REP" : "TGS-REP";
    return DerReader.decodeAll(der, name, reader -> {
      DerReader outer = reader.expect(Der.application(expectedMsgType)).reader(name);
      DerReader seq = outer.sequence("KDC-REP");
      seq.field(0, "pvno", Ticket::readPvno);
      seq.field(1, "msg-type", r -> r.integer(expectedMsgType, expectedMsgType));
      List<PaData> padata = seq.optionalField(2, "padata", r -> r.sequenceOf(PaData::read));
      String crealm = seq.field(3, "crealm", DerReader::kerberosString);
      PrincipalName cname = seq.field(4, "cname", PrincipalName::read);
      Ticket ticket = seq.field(5, "ticket", Ticket::read);
      EncryptedData encPart = seq.field(6, "enc-part", EncryptedData::read);
      seq.end();
      outer.end();
      return new KdcRep(expectedMsgType, padata == null ? List.of() : padata, crealm, cname, ticket, encPart,
          der.clone());
    });
  }

  /**
   * Returns the message type.
   *
   * @return {@link MessageType#AS_REP} or {@link MessageType#TGS_REP}
   */
  public int msgType() {
    return msgType;
  }

  /**
   * Returns the padata (in a PKINIT AS-REP, PA-PK-AS-REP).
   *
   * @return the padata, empty if absent; immutable
   */
  public List<PaData> padata() {
    return padata;
  }

  /**
   * Returns the client realm.
   *
   * @return the realm
   */
  public String crealm() {
    return crealm;
  }

  /**
   * Returns the client name.
   *
   * @return the name
   */
  public PrincipalName cname() {
    return cname;
  }

  /**
   * Returns the ticket, with its exact bytes.
   *
   * @return the ticket
   */
  public Ticket ticket() {
    return ticket;
  }

  /**
   * Returns the encrypted part (an EncASRepPart or EncTGSRepPart; see {@link EncKdcRepPart}).
   *
   * @return the encrypted part
   */
  public EncryptedData encPart() {
    return encPart;
  }

  /**
   * Returns a copy of the encoding: exactly the bytes received for a decoded reply.
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

  @Override
  public boolean equals(Object o) {
    return o instanceof KdcRep r && Arrays.equals(r.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return (msgType == MessageType.AS_REP ? "AS-REP" : "TGS-REP") + "[cname=" + cname + "@" + crealm + ", padata="
        + padata + ", ticket=" + ticket + "]";
  }
}
