package dev.ngc4j.core.internal.krb.msg;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of TYPED-DATA (RFC 4120 §5.9.1), the e-data of many PKINIT errors (RFC 4556 §3.2.2):
 *
 * <pre>
 * TYPED-DATA ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE {
 *   data-type  [0] Int32,
 *   data-value [1] OCTET STRING OPTIONAL
 * }
 * </pre>
 *
 * An absent data-value is represented by an empty value.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class TypedData {
  /** TD-TRUSTED-CERTIFIERS (RFC 4556). */
  public static final int TD_TRUSTED_CERTIFIERS = 104;
  /** TD-INVALID-CERTIFICATES (RFC 4556). */
  public static final int TD_INVALID_CERTIFICATES = 105;
  /** TD-DH-PARAMETERS (RFC 4556 §3.2.2): the DH domain parameters the KDC accepts. */
  public static final int TD_DH_PARAMETERS = 109;

  /** The dhpublicnumber algorithm (ANSI X9.42, RFC 3279 §2.3.3). */
  public static final String DH_PUBLIC_NUMBER = "1.2.840.10046.2.1";

  private final int type;
  private final byte[] value;

  /**
   * Creates the element; the value is copied.
   *
   * @param type the data type
   * @param value the data value (empty if absent)
   */
  public TypedData(int type, byte[] value) {
    this.type = type;
    this.value = value.clone();
  }

  /**
   * Returns the data type.
   *
   * @return the type number
   */
  public int type() {
    return type;
  }

  /**
   * Returns a copy of the value.
   *
   * @return the value, empty if absent
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * Encodes a TYPED-DATA list (an empty value is encoded as an absent data-value).
   *
   * @param list the elements
   * @return the encoding
   */
  public static byte[] encodeList(List<TypedData> list) {
    List<byte[]> parts = new ArrayList<>();
    for (TypedData t : list) {
      parts.add(Der.sequence(
          Der.explicit(0, Der.integer(t.type)),
          t.value.length == 0 ? new byte[0] : Der.explicit(1, Der.octetString(t.value))));
    }
    return Der.sequence(parts);
  }

  /**
   * Decodes a TYPED-DATA list strictly.
   *
   * @param der the encoding
   * @return the elements, in order; immutable, never empty
   * @throws KrbMessageException if malformed or empty
   */
  public static List<TypedData> decodeList(byte[] der) throws KrbMessageException {
    List<TypedData> list = DerReader.decodeAll(der, "TYPED-DATA", r -> r.sequenceOf(TypedData::read));
    if (list.isEmpty()) {
      throw new KrbMessageException("TYPED-DATA: the list is empty (SIZE (1..MAX))");
    }
    return list;
  }

  private static TypedData read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("TypedData");
    int type = seq.field(0, "data-type", DerReader::int32);
    byte[] value = seq.optionalField(1, "data-value", DerReader::octetString);
    seq.end();
    return new TypedData(type, value == null ? new byte[0] : value);
  }

  /**
   * Parses this element's value as TD-DH-PARAMETERS (RFC 4556 §3.2.2): a SEQUENCE OF AlgorithmIdentifier, each
   * {@code dhpublicnumber} with RFC 3279 DomainParameters {@code (p, g, q, j OPTIONAL, validationParms OPTIONAL)}.
   * Entries with another algorithm are skipped; the KDC's order of preference is kept.
   *
   * @return the DH parameter sets, possibly empty
   * @throws KrbMessageException if this is not TD-DH-PARAMETERS or the value is malformed
   */
  public List<DhDomainParameters> dhParameters() throws KrbMessageException {
    if (type != TD_DH_PARAMETERS) {
      throw new KrbMessageException("TYPED-DATA: type " + type + " is not TD-DH-PARAMETERS (109)");
    }
    List<Optional<DhDomainParameters>> all = DerReader.decodeAll(value, "TD-DH-PARAMETERS",
        r -> r.sequenceOf(TypedData::readAlgorithmIdentifier));
    List<DhDomainParameters> out = new ArrayList<>();
    all.forEach(p -> p.ifPresent(out::add));
    return List.copyOf(out);
  }

  private static Optional<DhDomainParameters> readAlgorithmIdentifier(DerReader reader) throws KrbMessageException {
    DerReader alg = reader.sequence("AlgorithmIdentifier");
    String oid = alg.oid();
    if (!oid.equals(DH_PUBLIC_NUMBER)) {
      if (alg.hasNext()) {
        alg.anyEncoded();
      }
      alg.end();
      return Optional.empty();
    }
    DerReader params = alg.sequence("DomainParameters");
    BigInteger p = params.bigInteger(DerReader.MAX_BIG_INTEGER);
    BigInteger g = params.bigInteger(DerReader.MAX_BIG_INTEGER);
    BigInteger q = params.bigInteger(DerReader.MAX_BIG_INTEGER);
    if (params.peekIdentifier() == Der.INTEGER) {
      params.bigInteger(DerReader.MAX_BIG_INTEGER); // j, the subgroup factor; not used
    }
    if (params.peekIdentifier() == Der.SEQUENCE) {
      params.anyEncoded(); // validationParms; not used
    }
    params.end();
    alg.end();
    if (p.signum() <= 0 || g.signum() <= 0 || q.signum() <= 0) {
      throw alg.failure("DH domain parameters must be positive");
    }
    return Optional.of(new DhDomainParameters(p, g, q));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypedData t && t.type == type && Arrays.equals(t.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "TypedData[type=" + type + ", " + value.length + " bytes]";
  }
}
