package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A TGS-REQ (RFC 4120 §5.4.1): a request for a service ticket, authenticated by a PA-TGS-REQ holding an AP-REQ: {@code TGS-REQ ::= [APPLICATION 12] KDC-REQ}. The request is encoded once, when built, and
 * {@link #der()} returns exactly the bytes that are sent (RFC 8636 hashes the whole AS-REQ); the body's bytes
 * are embedded verbatim.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TgsReq {
  private final List<PaData> padata;
  private final KdcReqBody body;
  private final byte[] der;

  /**
   * Creates and encodes the request.
   *
   * @param padata the pre-authentication data, in order (empty omits the field)
   * @param body the request body
   */
  public TgsReq(List<PaData> padata, KdcReqBody body) {
    this.padata = List.copyOf(padata);
    this.body = Objects.requireNonNull(body, "body");
    this.der = KdcReqCodec.encode(MessageType.TGS_REQ, this.padata, body);
  }

  private TgsReq(List<PaData> padata, KdcReqBody body, byte[] der) {
    this.padata = padata;
    this.body = body;
    this.der = der;
  }

  /**
   * Returns the pre-authentication data.
   *
   * @return the padata; immutable
   */
  public List<PaData> padata() {
    return padata;
  }

  /**
   * Returns the request body.
   *
   * @return the body, with its exact DER
   */
  public KdcReqBody body() {
    return body;
  }

  /**
   * Returns a copy of the encoding that is sent.
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
   * Decodes a TGS-REQ strictly (for tests and tools; the client only sends them).
   *
   * @param der the encoding
   * @return the request, keeping the bytes
   * @throws KrbMessageException if malformed or not a TGS-REQ
   */
  public static TgsReq decode(byte[] der) throws KrbMessageException {
    KdcReqCodec.Decoded d = KdcReqCodec.decode(der, MessageType.TGS_REQ, "TGS-REQ");
    return new TgsReq(d.padata(), d.body(), der.clone());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TgsReq r && Arrays.equals(r.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "TgsReq[padata=" + padata + ", body=" + body + "]";
  }
}
