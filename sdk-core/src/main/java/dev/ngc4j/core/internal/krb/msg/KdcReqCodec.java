package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared KDC-REQ encoding of {@link AsReq} and {@link TgsReq} (RFC 4120 §5.4.1):
 *
 * <pre>
 * KDC-REQ ::= SEQUENCE {
 *   -- NOTE: first tag is [1], not [0]
 *   pvno     [1] INTEGER (5),
 *   msg-type [2] INTEGER (10 -- AS -- | 12 -- TGS --),
 *   padata   [3] SEQUENCE OF PA-DATA OPTIONAL,
 *   req-body [4] KDC-REQ-BODY
 * }
 * </pre>
 */
final class KdcReqCodec {
  /** A decoded KDC-REQ. */
  record Decoded(List<PaData> padata, KdcReqBody body) {}

  private KdcReqCodec() {}

  /** Encodes; an empty padata list omits the field, as MIT does. The body's bytes are embedded verbatim. */
  static byte[] encode(int msgType, List<PaData> padata, KdcReqBody body) {
    List<byte[]> fields = new ArrayList<>();
    fields.add(Der.explicit(1, Der.integer(5)));
    fields.add(Der.explicit(2, Der.integer(msgType)));
    if (!padata.isEmpty()) {
      fields.add(Der.explicit(3, PaData.encodeMethodData(padata)));
    }
    fields.add(Der.explicit(4, body.der()));
    return Der.applicationTagged(msgType, Der.sequence(fields));
  }

  static Decoded decode(byte[] der, int msgType, String name) throws KrbMessageException {
    return DerReader.decodeAll(der, name, reader -> {
      DerReader outer = reader.expect(Der.application(msgType)).reader(name);
      DerReader seq = outer.sequence("KDC-REQ");
      seq.field(1, "pvno", Ticket::readPvno);
      seq.field(2, "msg-type", r -> r.integer(msgType, msgType));
      List<PaData> padata = seq.optionalField(3, "padata", r -> r.sequenceOf(PaData::read));
      KdcReqBody body = seq.field(4, "req-body", KdcReqBody::read);
      seq.end();
      outer.end();
      return new Decoded(padata == null ? List.of() : padata, body);
    });
  }
}
