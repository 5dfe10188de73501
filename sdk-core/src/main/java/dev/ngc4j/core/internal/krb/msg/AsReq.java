package dev.ngc4j.core.internal.krb.msg;

import java.util.List;

/**
 * An AS-REQ (RFC 4120 §5.4.1), the initial request for a ticket-granting ticket, here with PKINIT pre-authentication
 * data: {@code AS-REQ ::= [APPLICATION 10] KDC-REQ}. Encoded once, when built (see {@link KdcReq}).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class AsReq extends KdcReq {
  /**
   * Creates and encodes the request.
   *
   * @param padata the pre-authentication data, in order (empty omits the field)
   * @param body the request body
   */
  public AsReq(List<PaData> padata, KdcReqBody body) {
    super(MessageType.AS_REQ, padata, body);
  }

  private AsReq(KdcReqCodec.Decoded decoded, byte[] der) {
    super(decoded, der);
  }

  /**
   * Decodes an AS-REQ strictly (for tests and tools; the client only sends them).
   *
   * @param der the encoding
   * @return the request, keeping the bytes
   * @throws KrbMessageException if malformed or not an AS-REQ
   */
  public static AsReq decode(byte[] der) throws KrbMessageException {
    return new AsReq(KdcReqCodec.decode(der, MessageType.AS_REQ, "AS-REQ"), der);
  }
}
