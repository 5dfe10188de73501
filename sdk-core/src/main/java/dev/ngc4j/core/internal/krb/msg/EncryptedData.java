package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An EncryptedData (RFC 4120 §5.2.9):
 *
 * <pre>
 * EncryptedData ::= SEQUENCE {
 *   etype  [0] Int32,
 *   kvno   [1] UInt32 OPTIONAL,
 *   cipher [2] OCTET STRING
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class EncryptedData {
  private final int etype;
  private final @Nullable Integer kvno;
  private final byte[] cipher;

  /**
   * Creates the value; the cipher text is copied.
   *
   * @param etype the encryption type number
   * @param kvno the key version number (a UInt32 given as its 32 bits), or {@code null} if absent
   * @param cipher the cipher text
   */
  public EncryptedData(int etype, @Nullable Integer kvno, byte[] cipher) {
    this.etype = etype;
    this.kvno = kvno;
    this.cipher = cipher.clone();
  }

  /**
   * Returns the encryption type.
   *
   * @return the etype number
   */
  public int etype() {
    return etype;
  }

  /**
   * Returns the key version number as sent (its 32 bits; compare with {@link Integer#toUnsignedLong} if needed).
   *
   * @return the kvno, or {@code null} if absent
   */
  public @Nullable Integer kvno() {
    return kvno;
  }

  /**
   * Returns a copy of the cipher text.
   *
   * @return the cipher text
   */
  public byte[] cipher() {
    return cipher.clone();
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    return Der.sequence(
        Der.explicit(0, Der.integer(etype)),
        kvno == null ? new byte[0] : Der.explicit(1, Der.integer(Integer.toUnsignedLong(kvno))),
        Der.explicit(2, Der.octetString(cipher)));
  }

  /**
   * Decodes an EncryptedData strictly.
   *
   * @param der the encoding
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static EncryptedData decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "EncryptedData", EncryptedData::read);
  }

  /**
   * Reads an EncryptedData at the reader's position.
   *
   * @param reader the reader
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static EncryptedData read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("EncryptedData");
    int etype = seq.field(0, "etype", DerReader::int32);
    Long kvno = seq.optionalField(1, "kvno", DerReader::uint32);
    byte[] cipher = seq.field(2, "cipher", DerReader::octetString);
    seq.end();
    return new EncryptedData(etype, kvno == null ? null : (int) (long) kvno, cipher);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedData d && d.etype == etype && Objects.equals(d.kvno, kvno)
        && Arrays.equals(d.cipher, cipher);
  }

  @Override
  public int hashCode() {
    return Objects.hash(etype, kvno, Arrays.hashCode(cipher));
  }

  @Override
  public String toString() {
    return "EncryptedData[etype=" + etype + ", kvno=" + kvno + ", " + cipher.length + " bytes]";
  }
}
