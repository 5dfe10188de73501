package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The PA-PK-AS-REP padata value (RFC 4556 §3.2.3). The bytes it was received in are kept ({@link #der()}): the
 * RFC 8636 KDF hashes them.
 *
 * <pre>
 * PA-PK-AS-REP ::= CHOICE {
 *   dhInfo     [0] DHRepInfo,
 *   encKeyPack [1] IMPLICIT OCTET STRING, -- DER of a CMS ContentInfo (EnvelopedData), RSA key transport
 *   ...
 * }
 * </pre>
 *
 * Exactly one of {@link #dhInfo()} and {@link #encKeyPack()} is present.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class PaPkAsRep {
  private final @Nullable DhRepInfo dhInfo;
  private final byte @Nullable [] encKeyPack;
  private final byte[] der;

  private PaPkAsRep(@Nullable DhRepInfo dhInfo, byte @Nullable [] encKeyPack, byte[] der) {
    this.dhInfo = dhInfo;
    this.encKeyPack = encKeyPack;
    this.der = der;
  }

  /**
   * Creates the DH alternative (for tests and test KDCs).
   *
   * @param dhInfo the DH reply
   * @return the value, encoded
   */
  public static PaPkAsRep ofDhInfo(DhRepInfo dhInfo) {
    Objects.requireNonNull(dhInfo, "dhInfo");
    return new PaPkAsRep(dhInfo, null, Der.explicit(0, dhInfo.encode()));
  }

  /**
   * Creates the RSA key transport alternative (for tests and test KDCs).
   *
   * @param encKeyPack the DER of the CMS ContentInfo (copied)
   * @return the value, encoded
   */
  public static PaPkAsRep ofEncKeyPack(byte[] encKeyPack) {
    byte[] copy = encKeyPack.clone();
    return new PaPkAsRep(null, copy, Der.implicitPrimitive(1, copy));
  }

  /**
   * Decodes strictly.
   *
   * @param der the padata-value of PA-PK-AS-REP
   * @return the value, keeping the bytes
   * @throws KrbMessageException if malformed or an unknown alternative
   */
  public static PaPkAsRep decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "PA-PK-AS-REP", reader -> {
      int identifier = reader.peekIdentifier();
      if (identifier == Der.contextConstructed(0)) {
        DhRepInfo info = reader.field(0, "dhInfo", DhRepInfo::read);
        return new PaPkAsRep(info, null, der.clone());
      }
      if (identifier == Der.contextPrimitive(1)) {
        return new PaPkAsRep(null, reader.implicitOctetString(1), der.clone());
      }
      throw reader.failure("expected [0] dhInfo or [1] encKeyPack but found " + DerReader.describe(identifier));
    });
  }

  /**
   * Returns the DH alternative.
   *
   * @return the DH reply, or {@code null} if this is the RSA alternative
   */
  public @Nullable DhRepInfo dhInfo() {
    return dhInfo;
  }

  /**
   * Returns a copy of the RSA alternative (the EnvelopedData ContentInfo DER).
   *
   * @return the bytes, or {@code null} if this is the DH alternative
   */
  public byte @Nullable [] encKeyPack() {
    return encKeyPack == null ? null : encKeyPack.clone();
  }

  /**
   * Returns a copy of the encoding: exactly the bytes received for a decoded value.
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
   * Returns the PA-DATA element {@link PaDataType#PA_PK_AS_REP} carrying this value.
   *
   * @return the element
   */
  public PaData toPaData() {
    return new PaData(PaDataType.PA_PK_AS_REP, der);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaPkAsRep p && Arrays.equals(p.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "PaPkAsRep[" + (dhInfo != null ? dhInfo : "encKeyPack") + "]";
  }
}
