package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The DH alternative of a PA-PK-AS-REP (RFC 4556 §3.2.3, RFC 8636 §6).
 *
 * <pre>
 * DHRepInfo ::= SEQUENCE {
 *   dhSignedData  [0] IMPLICIT OCTET STRING, -- DER of a CMS ContentInfo (SignedData over a KDCDHKeyInfo)
 *   serverDHNonce [1] DHNonce OPTIONAL,
 *   ...,
 *   kdf           [2] KDFAlgorithmId OPTIONAL -- RFC 8636: the KDF the KDC chose
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class DhRepInfo {
  private final byte[] dhSignedData;
  private final byte @Nullable [] serverDhNonce;
  private final @Nullable String kdf;

  /**
   * Creates the value; arrays are copied.
   *
   * @param dhSignedData the DER of the CMS ContentInfo
   * @param serverDhNonce the server DH nonce, or {@code null}
   * @param kdf the chosen KDF's object identifier, or {@code null} (RFC 4556 octetstring2key)
   */
  public DhRepInfo(byte[] dhSignedData, byte @Nullable [] serverDhNonce, @Nullable String kdf) {
    this.dhSignedData = dhSignedData.clone();
    this.serverDhNonce = serverDhNonce == null ? null : serverDhNonce.clone();
    if (kdf != null) {
      Der.oidContent(kdf); // validates
    }
    this.kdf = kdf;
  }

  /**
   * Returns a copy of the signed DH data (ContentInfo DER).
   *
   * @return the bytes
   */
  public byte[] dhSignedData() {
    return dhSignedData.clone();
  }

  /**
   * Returns a copy of the server DH nonce.
   *
   * @return the nonce, or {@code null}
   */
  public byte @Nullable [] serverDhNonce() {
    return serverDhNonce == null ? null : serverDhNonce.clone();
  }

  /**
   * Returns the KDF the KDC chose (RFC 8636).
   *
   * @return the object identifier, or {@code null} if absent
   */
  public @Nullable String kdf() {
    return kdf;
  }

  byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.implicitPrimitive(0, dhSignedData));
    if (serverDhNonce != null) {
      f.add(Der.explicit(1, Der.octetString(serverDhNonce)));
    }
    if (kdf != null) {
      f.add(Der.explicit(2, AuthPack.kdfAlgorithmId(kdf)));
    }
    return Der.sequence(f);
  }

  static DhRepInfo read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("DHRepInfo");
    byte[] signed = seq.implicitOctetString(0);
    byte[] nonce = seq.optionalField(1, "serverDHNonce", DerReader::octetString);
    String kdf = seq.optionalField(2, "kdf", AuthPack::readKdfAlgorithmId);
    seq.endExtensible();
    return new DhRepInfo(signed, nonce, kdf);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhRepInfo d && Arrays.equals(d.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "DhRepInfo[dhSignedData " + dhSignedData.length + " bytes, serverDHNonce=" + (serverDhNonce != null)
        + ", kdf=" + kdf + "]";
  }
}
