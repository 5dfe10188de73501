package dev.ngc4j.core.internal.krb.msg;

import java.util.List;

/**
 * A TGS-REQ (RFC 4120 §5.4.1): a request for a service ticket, authenticated by a PA-TGS-REQ holding an AP-REQ:
 * {@code TGS-REQ ::= [APPLICATION 12] KDC-REQ}. Encoded once, when built (see {@link KdcReq}).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TgsReq extends KdcReq {
  /**
   * Creates and encodes the request.
   *
   * @param padata the pre-authentication data, in order (empty omits the field)
   * @param body the request body
   */
  public TgsReq(List<PaData> padata, KdcReqBody body) {
    super(MessageType.TGS_REQ, padata, body);
  }

  private TgsReq(KdcReqCodec.Decoded decoded, byte[] der) {
    super(decoded, der);
  }

  /**
   * Decodes a TGS-REQ strictly (for tests and tools; the client only sends them).
   *
   * @param der the encoding
   * @return the request, keeping the bytes
   * @throws KrbMessageException if malformed or not a TGS-REQ
   */
  public static TgsReq decode(byte[] der) throws KrbMessageException {
    return new TgsReq(KdcReqCodec.decode(der, MessageType.TGS_REQ, "TGS-REQ"), der);
  }
}
