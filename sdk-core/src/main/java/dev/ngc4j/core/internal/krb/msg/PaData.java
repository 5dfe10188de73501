package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A PA-DATA element (RFC 4120 §5.2.7); a list of them is METHOD-DATA.
 *
 * <pre>
 * PA-DATA ::= SEQUENCE {
 *   -- NOTE: first tag is [1], not [0]
 *   padata-type  [1] Int32,
 *   padata-value [2] OCTET STRING
 * }
 * METHOD-DATA ::= SEQUENCE OF PA-DATA
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class PaData {
  private final int type;
  private final byte[] value;

  /**
   * Creates the element; the value is copied.
   *
   * @param type the padata type, see {@link PaDataType}
   * @param value the padata value (often itself DER)
   */
  public PaData(int type, byte[] value) {
    this.type = type;
    this.value = value.clone();
  }

  /**
   * Returns the padata type.
   *
   * @return the type number
   */
  public int type() {
    return type;
  }

  /**
   * Returns a copy of the value.
   *
   * @return the value
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    return Der.sequence(Der.explicit(1, Der.integer(type)), Der.explicit(2, Der.octetString(value)));
  }

  /**
   * Reads a PA-DATA at the reader's position.
   *
   * @param reader the reader
   * @return the element
   * @throws KrbMessageException if malformed
   */
  public static PaData read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("PA-DATA");
    int type = seq.field(1, "padata-type", DerReader::int32);
    byte[] value = seq.field(2, "padata-value", DerReader::octetString);
    seq.end();
    return new PaData(type, value);
  }

  /**
   * Encodes a METHOD-DATA (SEQUENCE OF PA-DATA).
   *
   * @param list the elements
   * @return the encoding
   */
  public static byte[] encodeMethodData(List<PaData> list) {
    List<byte[]> parts = new ArrayList<>();
    for (PaData p : list) {
      parts.add(p.encode());
    }
    return Der.sequence(parts);
  }

  /**
   * Decodes a METHOD-DATA strictly.
   *
   * @param der the encoding
   * @return the elements, in order; immutable
   * @throws KrbMessageException if malformed
   */
  public static List<PaData> decodeMethodData(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "METHOD-DATA", r -> r.sequenceOf(PaData::read));
  }

  /**
   * Returns the first element of the given type.
   *
   * @param list the elements
   * @param type the padata type
   * @return the element, or empty
   */
  public static java.util.Optional<PaData> find(List<PaData> list, int type) {
    return list.stream().filter(p -> p.type == type).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaData p && p.type == type && Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "PaData[" + PaDataType.name(type) + ", " + value.length + " bytes]";
  }
}
