package dev.ngc4j.core.internal.krb.msg;

import java.util.Arrays;
import java.util.Objects;

/**
 * PAChecksum2 (MS-PKCA §2.2.3): a checksum of the KDC-REQ-BODY with a named digest, which Windows KDCs require
 * when the client does not use SHA-1.
 *
 * <pre>
 * PAChecksum2 ::= SEQUENCE {
 *   checksum            [0] OCTET STRING,
 *   algorithmIdentifier [1] AlgorithmIdentifier
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class PaChecksum2 {
  private final byte[] checksum;
  private final byte[] algorithmIdentifier;

  /**
   * Creates the value; both arrays are copied.
   *
   * @param checksum the digest of the KDC-REQ-BODY
   * @param algorithmIdentifier the DER of the digest's AlgorithmIdentifier
   */
  public PaChecksum2(byte[] checksum, byte[] algorithmIdentifier) {
    this.checksum = checksum.clone();
    this.algorithmIdentifier = AuthPack.requireSequence(algorithmIdentifier, "algorithmIdentifier");
  }

  /**
   * Returns a copy of the checksum.
   *
   * @return the digest
   */
  public byte[] checksum() {
    return checksum.clone();
  }

  /**
   * Returns a copy of the AlgorithmIdentifier's DER.
   *
   * @return the encoding
   */
  public byte[] algorithmIdentifier() {
    return algorithmIdentifier.clone();
  }

  byte[] encode() {
    return Der.sequence(Der.explicit(0, Der.octetString(checksum)), Der.explicit(1, algorithmIdentifier));
  }

  static PaChecksum2 read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("PAChecksum2");
    byte[] checksum = seq.field(0, "checksum", DerReader::octetString);
    byte[] algorithm = seq.field(1, "algorithmIdentifier", r -> r.expect(Der.SEQUENCE).encoded());
    seq.end();
    return new PaChecksum2(checksum, algorithm);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaChecksum2 p && Arrays.equals(p.checksum, checksum)
        && Arrays.equals(p.algorithmIdentifier, algorithmIdentifier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(checksum), Arrays.hashCode(algorithmIdentifier));
  }

  @Override
  public String toString() {
    return "PaChecksum2[" + checksum.length + " bytes]";
  }
}
