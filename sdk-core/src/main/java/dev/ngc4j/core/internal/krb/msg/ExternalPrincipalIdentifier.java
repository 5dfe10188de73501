package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An ExternalPrincipalIdentifier (RFC 4556 §3.2.1): names a certificate or CA, in trustedCertifiers and kdcPkId.
 *
 * <pre>
 * ExternalPrincipalIdentifier ::= SEQUENCE {
 *   subjectName           [0] IMPLICIT OCTET STRING OPTIONAL, -- DER of a Name
 *   issuerAndSerialNumber [1] IMPLICIT OCTET STRING OPTIONAL, -- DER of an IssuerAndSerialNumber
 *   subjectKeyIdentifier  [2] IMPLICIT OCTET STRING OPTIONAL, -- a SubjectKeyIdentifier
 *   ...
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class ExternalPrincipalIdentifier {
  private final byte @Nullable [] subjectName;
  private final byte @Nullable [] issuerAndSerialNumber;
  private final byte @Nullable [] subjectKeyIdentifier;

  /**
   * Creates the value; arrays are copied.
   *
   * @param subjectName the DER of the subject Name, or {@code null}
   * @param issuerAndSerialNumber the DER of the IssuerAndSerialNumber, or {@code null}
   * @param subjectKeyIdentifier the key identifier, or {@code null}
   */
  public ExternalPrincipalIdentifier(byte @Nullable [] subjectName, byte @Nullable [] issuerAndSerialNumber,
      byte @Nullable [] subjectKeyIdentifier) {
    this.subjectName = subjectName == null ? null : subjectName.clone();
    this.issuerAndSerialNumber = issuerAndSerialNumber == null ? null : issuerAndSerialNumber.clone();
    this.subjectKeyIdentifier = subjectKeyIdentifier == null ? null : subjectKeyIdentifier.clone();
  }

  /**
   * Returns a copy of the subject name's DER.
   *
   * @return the bytes, or {@code null}
   */
  public byte @Nullable [] subjectName() {
    return subjectName == null ? null : subjectName.clone();
  }

  /**
   * Returns a copy of the IssuerAndSerialNumber's DER.
   *
   * @return the bytes, or {@code null}
   */
  public byte @Nullable [] issuerAndSerialNumber() {
    return issuerAndSerialNumber == null ? null : issuerAndSerialNumber.clone();
  }

  /**
   * Returns a copy of the subject key identifier.
   *
   * @return the bytes, or {@code null}
   */
  public byte @Nullable [] subjectKeyIdentifier() {
    return subjectKeyIdentifier == null ? null : subjectKeyIdentifier.clone();
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    if (subjectName != null) {
      f.add(Der.implicitPrimitive(0, subjectName));
    }
    if (issuerAndSerialNumber != null) {
      f.add(Der.implicitPrimitive(1, issuerAndSerialNumber));
    }
    if (subjectKeyIdentifier != null) {
      f.add(Der.implicitPrimitive(2, subjectKeyIdentifier));
    }
    return Der.sequence(f);
  }

  static ExternalPrincipalIdentifier read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("ExternalPrincipalIdentifier");
    byte[] name = seq.optionalImplicitOctetString(0);
    byte[] issuer = seq.optionalImplicitOctetString(1);
    byte[] ski = seq.optionalImplicitOctetString(2);
    seq.endExtensible();
    return new ExternalPrincipalIdentifier(name, issuer, ski);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalPrincipalIdentifier e && Arrays.equals(e.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "ExternalPrincipalIdentifier[subjectName=" + (subjectName != null) + ", issuerAndSerialNumber="
        + (issuerAndSerialNumber != null) + ", subjectKeyIdentifier=" + (subjectKeyIdentifier != null) + "]";
  }
}
