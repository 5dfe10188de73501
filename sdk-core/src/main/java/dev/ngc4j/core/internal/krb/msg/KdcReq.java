package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link AsReq} and a {@link TgsReq} share: a KDC-REQ (RFC 4120 §5.4.1) encoded once, when built, so that
 * {@link #der()} returns exactly the bytes that are sent (RFC 8636 hashes the whole AS-REQ); the body's bytes are
 * embedded verbatim. The two subclasses differ only in their message type and keep the two requests apart in the
 * type system.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public abstract class KdcReq {
  private final List<PaData> padata;
  private final KdcReqBody body;
  private final byte[] der;

  /**
   * Encodes a new request.
   *
   * @param msgType {@link MessageType#AS_REQ} or {@link MessageType#TGS_REQ}
   * @param padata the pre-authentication data, in order (empty omits the field)
   * @param body the request body
   */
  KdcReq(int msgType, List<PaData> padata, KdcReqBody body) {
    this.padata = List.copyOf(padata);
    this.body = Objects.requireNonNull(body, "body");
    this.der = KdcReqCodec.encode(msgType, this.padata, body);
  }

  /**
   * Keeps a decoded request with the bytes it was decoded from.
   *
   * @param decoded the decoded fields
   * @param der the encoding (copied)
   */
  KdcReq(KdcReqCodec.Decoded decoded, byte[] der) {
    this.padata = List.copyOf(decoded.padata());
    this.body = decoded.body();
    this.der = der.clone();
  }

  /**
   * Returns the pre-authentication data.
   *
   * @return the padata; immutable
   */
  public final List<PaData> padata() {
    return padata;
  }

  /**
   * Returns the request body.
   *
   * @return the body, with its exact DER
   */
  public final KdcReqBody body() {
    return body;
  }

  /**
   * Returns a copy of the encoding that is sent.
   *
   * @return the DER bytes
   */
  public final byte[] der() {
    return der.clone();
  }

  /**
   * Returns the encoding; the same as {@link #der()}.
   *
   * @return the DER bytes
   */
  public final byte[] encode() {
    return der.clone();
  }

  /**
   * Equal when the encodings are: the first byte is the message's application tag, so an AS-REQ never equals a
   * TGS-REQ.
   */
  @Override
  public final boolean equals(Object o) {
    return o instanceof KdcReq r && Arrays.equals(r.der, der);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[padata=" + padata + ", body=" + body + "]";
  }
}
