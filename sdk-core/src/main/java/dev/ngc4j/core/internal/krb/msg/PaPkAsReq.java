package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The PA-PK-AS-REQ padata value (RFC 4556 §3.2.1).
 *
 * <pre>
 * PA-PK-AS-REQ ::= SEQUENCE {
 *   signedAuthPack    [0] IMPLICIT OCTET STRING, -- DER of a CMS ContentInfo (SignedData over an AuthPack)
 *   trustedCertifiers [1] SEQUENCE OF ExternalPrincipalIdentifier OPTIONAL,
 *   kdcPkId           [2] IMPLICIT OCTET STRING OPTIONAL,
 *   ...
 * }
 * </pre>
 *
 * The PKINIT module uses explicit tagging except where IMPLICIT is written, so trustedCertifiers is
 * {@code [1]} constructed around a SEQUENCE.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class PaPkAsReq {
  private final byte[] signedAuthPack;
  private final List<ExternalPrincipalIdentifier> trustedCertifiers;
  private final byte @Nullable [] kdcPkId;

  /**
   * Creates the value; arrays are copied.
   *
   * @param signedAuthPack the DER of the CMS ContentInfo holding the signed AuthPack
   * @param trustedCertifiers the CAs the client trusts (empty omits the field)
   * @param kdcPkId the KDC key identifier, or {@code null}
   */
  public PaPkAsReq(byte[] signedAuthPack, List<ExternalPrincipalIdentifier> trustedCertifiers,
      byte @Nullable [] kdcPkId) {
    this.signedAuthPack = signedAuthPack.clone();
    this.trustedCertifiers = List.copyOf(trustedCertifiers);
    this.kdcPkId = kdcPkId == null ? null : kdcPkId.clone();
  }

  /**
   * Returns a copy of the signed AuthPack (ContentInfo DER).
   *
   * @return the bytes
   */
  public byte[] signedAuthPack() {
    return signedAuthPack.clone();
  }

  /**
   * Returns the trusted certifiers.
   *
   * @return the identifiers; immutable
   */
  public List<ExternalPrincipalIdentifier> trustedCertifiers() {
    return trustedCertifiers;
  }

  /**
   * Returns a copy of the KDC key identifier.
   *
   * @return the bytes, or {@code null}
   */
  public byte @Nullable [] kdcPkId() {
    return kdcPkId == null ? null : kdcPkId.clone();
  }

  /**
   * Encodes in DER (the padata-value).
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.implicitPrimitive(0, signedAuthPack));
    if (!trustedCertifiers.isEmpty()) {
      List<byte[]> ids = new ArrayList<>();
      for (ExternalPrincipalIdentifier id : trustedCertifiers) {
        ids.add(id.encode());
      }
      f.add(Der.explicit(1, Der.sequence(ids)));
    }
    if (kdcPkId != null) {
      f.add(Der.implicitPrimitive(2, kdcPkId));
    }
    return Der.sequence(f);
  }

  /**
   * Returns the PA-DATA element {@link PaDataType#PA_PK_AS_REQ} carrying this value.
   *
   * @return the element
   */
  public PaData toPaData() {
    return new PaData(PaDataType.PA_PK_AS_REQ, encode());
  }

  /**
   * Decodes strictly (for tests and tools).
   *
   * @param der the encoding
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static PaPkAsReq decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "PA-PK-AS-REQ", reader -> {
      DerReader seq = reader.sequence("PA-PK-AS-REQ");
      byte[] signed = seq.implicitOctetString(0);
      List<ExternalPrincipalIdentifier> certifiers =
          seq.optionalField(1, "trustedCertifiers", r -> r.sequenceOf(ExternalPrincipalIdentifier::read));
      byte[] kdcPkId = seq.optionalImplicitOctetString(2);
      seq.endExtensible();
      return new PaPkAsReq(signed, certifiers == null ? List.of() : certifiers, kdcPkId);
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaPkAsReq p && Arrays.equals(p.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "PaPkAsReq[signedAuthPack " + signedAuthPack.length + " bytes, trustedCertifiers="
        + trustedCertifiers.size() + ", kdcPkId=" + (kdcPkId != null) + "]";
  }
}
