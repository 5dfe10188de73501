package dev.ngc4j.core.internal.krb.msg;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The KDC's signed DH key data (RFC 4556 §3.2.3.1), the eContent of the SignedData in DHRepInfo.
 *
 * <pre>
 * KDCDHKeyInfo ::= SEQUENCE {
 *   subjectPublicKey [0] BIT STRING, -- DER of the KDC's DH public value: DHPublicKey ::= INTEGER
 *   nonce            [1] INTEGER (0..4294967295), -- the PKAuthenticator's nonce
 *   dhKeyExpiration  [2] KerberosTime OPTIONAL,
 *   ...
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KdcDhKeyInfo {
  private final byte[] subjectPublicKey;
  private final int nonce;
  private final @Nullable Instant dhKeyExpiration;

  /**
   * Creates the value (for tests and test KDCs); the array is copied.
   *
   * @param subjectPublicKey the octets of the BIT STRING (the DER of the DH public INTEGER)
   * @param nonce the nonce (its 32 bits)
   * @param dhKeyExpiration the key expiry, or {@code null}
   */
  public KdcDhKeyInfo(byte[] subjectPublicKey, int nonce, @Nullable Instant dhKeyExpiration) {
    this.subjectPublicKey = subjectPublicKey.clone();
    this.nonce = nonce;
    this.dhKeyExpiration = dhKeyExpiration;
  }

  /**
   * Creates the value for a DH public value (for tests and test KDCs).
   *
   * @param y the DH public value
   * @param nonce the nonce
   * @param dhKeyExpiration the key expiry, or {@code null}
   * @return the value
   */
  public static KdcDhKeyInfo of(BigInteger y, int nonce, @Nullable Instant dhKeyExpiration) {
    return new KdcDhKeyInfo(Der.integer(Objects.requireNonNull(y, "y")), nonce, dhKeyExpiration);
  }

  /**
   * Returns a copy of the BIT STRING's octets.
   *
   * @return the DER of the DH public INTEGER, as received
   */
  public byte[] subjectPublicKey() {
    return subjectPublicKey.clone();
  }

  /**
   * Returns the KDC's DH public value, read strictly from {@link #subjectPublicKey()}.
   *
   * @return the positive public value
   * @throws KrbMessageException if the octets are not one positive DER INTEGER of at most 16384 bits
   */
  public BigInteger dhPublicValue() throws KrbMessageException {
    BigInteger y = DerReader.decodeAll(subjectPublicKey, "KDCDHKeyInfo.subjectPublicKey",
        r -> r.bigInteger(DerReader.MAX_BIG_INTEGER));
    if (y.signum() <= 0) {
      throw new KrbMessageException("KDCDHKeyInfo.subjectPublicKey: the DH public value is not positive");
    }
    return y;
  }

  /**
   * Returns the nonce.
   *
   * @return its 32 bits
   */
  public int nonce() {
    return nonce;
  }

  /**
   * Returns the key expiry.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant dhKeyExpiration() {
    return dhKeyExpiration;
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, Der.bitString(subjectPublicKey)));
    f.add(Der.explicit(1, Der.integer(Integer.toUnsignedLong(nonce))));
    if (dhKeyExpiration != null) {
      f.add(Der.explicit(2, Der.kerberosTime(dhKeyExpiration)));
    }
    return Der.sequence(f);
  }

  /**
   * Decodes strictly.
   *
   * @param der the eContent of the KDC's SignedData
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static KdcDhKeyInfo decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "KDCDHKeyInfo", reader -> {
      DerReader seq = reader.sequence("KDCDHKeyInfo");
      byte[] key = seq.field(0, "subjectPublicKey", DerReader::bitStringOctets);
      int nonce = seq.field(1, "nonce", DerReader::nonce32);
      Instant expiry = seq.optionalField(2, "dhKeyExpiration", DerReader::kerberosTime);
      seq.endExtensible();
      return new KdcDhKeyInfo(key, nonce, expiry);
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KdcDhKeyInfo k && Arrays.equals(k.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "KdcDhKeyInfo[subjectPublicKey " + subjectPublicKey.length + " bytes, nonce="
        + Integer.toUnsignedString(nonce) + ", dhKeyExpiration=" + dhKeyExpiration + "]";
  }
}
