package dev.ngc4j.core.internal.krb.ccache;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

/** Synthetic but well-formed Kerberos tickets for cache tests. */
final class TestTickets {
  private TestTickets() {}

  /**
   * DER of {@code Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0] 5, realm [1], sname [2] PrincipalName,
   * enc-part [3] EncryptedData { etype [0], kvno [1], cipher [2] } }} (RFC 4120 §5.3) with an arbitrary cipher.
   */
  static byte[] ticket(PrincipalName server, int etype, int kvno, byte[] cipher) throws IOException {
    ASN1EncodableVector names = new ASN1EncodableVector();
    for (String c : server.components()) {
      names.add(new DERGeneralString(c));
    }
    ASN1EncodableVector sname = new ASN1EncodableVector();
    sname.add(new DERTaggedObject(true, 0, new ASN1Integer(server.nameType())));
    sname.add(new DERTaggedObject(true, 1, new DERSequence(names)));
    ASN1EncodableVector encPart = new ASN1EncodableVector();
    encPart.add(new DERTaggedObject(true, 0, new ASN1Integer(etype)));
    encPart.add(new DERTaggedObject(true, 1, new ASN1Integer(kvno)));
    encPart.add(new DERTaggedObject(true, 2, new DEROctetString(cipher)));
    ASN1EncodableVector ticket = new ASN1EncodableVector();
    ticket.add(new DERTaggedObject(true, 0, new ASN1Integer(5)));
    ticket.add(new DERTaggedObject(true, 1, new DERGeneralString(server.realm())));
    ticket.add(new DERTaggedObject(true, 2, new DERSequence(sname)));
    ticket.add(new DERTaggedObject(true, 3, new DERSequence(encPart)));
    return new DERTaggedObject(true, BERTags.APPLICATION, 1, new DERSequence(ticket)).getEncoded(ASN1Encoding.DER);
  }
}
