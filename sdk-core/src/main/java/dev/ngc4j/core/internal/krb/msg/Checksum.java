package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Checksum (RFC 4120 §5.2.9):
 *
 * <pre>
 * Checksum ::= SEQUENCE {
 *   cksumtype [0] Int32,
 *   checksum  [1] OCTET STRING
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class Checksum {
  private final int type;
  private final byte[] value;

  /**
   * Creates the value; the bytes are copied.
   *
   * @param type the checksum type number
   * @param value the checksum bytes
   */
  public Checksum(int type, byte[] value) {
    this.type = type;
    this.value = value.clone();
  }

  /**
   * Returns the checksum type.
   *
   * @return the type number
   */
  public int type() {
    return type;
  }

  /**
   * Returns a copy of the checksum bytes.
   *
   * @return the bytes
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
    return Der.sequence(Der.explicit(0, Der.integer(type)), Der.explicit(1, Der.octetString(value)));
  }

  /**
   * Decodes a Checksum strictly.
   *
   * @param der the encoding
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static Checksum decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "Checksum", Checksum::read);
  }

  /**
   * Reads a Checksum at the reader's position.
   *
   * @param reader the reader
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static Checksum read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("Checksum");
    int type = seq.field(0, "cksumtype", DerReader::int32);
    byte[] value = seq.field(1, "checksum", DerReader::octetString);
    seq.end();
    return new Checksum(type, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checksum c && c.type == type && Arrays.equals(c.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "Checksum[type=" + type + ", " + HexFormat.of().formatHex(value) + "]";
  }
}
