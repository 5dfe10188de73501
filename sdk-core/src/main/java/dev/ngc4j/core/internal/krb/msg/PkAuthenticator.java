package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The PKAuthenticator of a PKINIT AuthPack (RFC 4556 §3.2.1, RFC 8070 §3, MS-PKCA §2.2.3).
 *
 * <pre>
 * PKAuthenticator ::= SEQUENCE {
 *   cusec          [0] INTEGER (0..999999),
 *   ctime          [1] KerberosTime,
 *   nonce          [2] INTEGER (0..4294967295),
 *   paChecksum     [3] OCTET STRING OPTIONAL, -- SHA-1 of the KDC-REQ-BODY
 *   ...,
 *   freshnessToken [4] OCTET STRING OPTIONAL, -- RFC 8070: the PA_AS_FRESHNESS value received
 *   paChecksum2    [5] PAChecksum2 OPTIONAL   -- MS-PKCA
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class PkAuthenticator {
  private final int cusec;
  private final Instant ctime;
  private final int nonce;
  private final byte @Nullable [] paChecksum;
  private final byte @Nullable [] freshnessToken;
  private final @Nullable PaChecksum2 paChecksum2;

  /**
   * Creates the value; arrays are copied.
   *
   * @param cusec the microseconds of {@code ctime}, 0 to 999999
   * @param ctime the client time (whole seconds are sent)
   * @param nonce the nonce (its 32 bits; the KDC's KDCDHKeyInfo echoes it)
   * @param paChecksum the SHA-1 digest of the KDC-REQ-BODY's DER, or {@code null}
   * @param freshnessToken the freshness token from PA_AS_FRESHNESS, or {@code null}
   * @param paChecksum2 the MS-PKCA checksum, or {@code null}
   */
  public PkAuthenticator(int cusec, Instant ctime, int nonce, byte @Nullable [] paChecksum,
      byte @Nullable [] freshnessToken, @Nullable PaChecksum2 paChecksum2) {
    if (cusec < 0 || cusec > 999_999) {
      throw new IllegalArgumentException("cusec outside 0 to 999999");
    }
    this.cusec = cusec;
    this.ctime = Objects.requireNonNull(ctime, "ctime");
    this.nonce = nonce;
    this.paChecksum = paChecksum == null ? null : paChecksum.clone();
    this.freshnessToken = freshnessToken == null ? null : freshnessToken.clone();
    this.paChecksum2 = paChecksum2;
  }

  /**
   * Returns the microseconds.
   *
   * @return 0 to 999999
   */
  public int cusec() {
    return cusec;
  }

  /**
   * Returns the client time.
   *
   * @return the time
   */
  public Instant ctime() {
    return ctime;
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
   * Returns a copy of the paChecksum.
   *
   * @return the digest, or {@code null}
   */
  public byte @Nullable [] paChecksum() {
    return paChecksum == null ? null : paChecksum.clone();
  }

  /**
   * Returns a copy of the freshness token.
   *
   * @return the token, or {@code null}
   */
  public byte @Nullable [] freshnessToken() {
    return freshnessToken == null ? null : freshnessToken.clone();
  }

  /**
   * Returns the MS-PKCA checksum.
   *
   * @return the checksum, or {@code null}
   */
  public @Nullable PaChecksum2 paChecksum2() {
    return paChecksum2;
  }

  /**
   * Encodes in DER.
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, Der.integer(cusec)));
    f.add(Der.explicit(1, Der.kerberosTime(ctime)));
    f.add(Der.explicit(2, Der.integer(Integer.toUnsignedLong(nonce))));
    if (paChecksum != null) {
      f.add(Der.explicit(3, Der.octetString(paChecksum)));
    }
    if (freshnessToken != null) {
      f.add(Der.explicit(4, Der.octetString(freshnessToken)));
    }
    if (paChecksum2 != null) {
      f.add(Der.explicit(5, paChecksum2.encode()));
    }
    return Der.sequence(f);
  }

  /**
   * Decodes strictly (for tests and tools).
   *
   * @param der the encoding
   * @return the value
   * @throws KrbMessageException if malformed
   */
  public static PkAuthenticator decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "PKAuthenticator", PkAuthenticator::read);
  }

  static PkAuthenticator read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("PKAuthenticator");
    int cusec = seq.field(0, "cusec", DerReader::microseconds);
    Instant ctime = seq.field(1, "ctime", DerReader::kerberosTime);
    int nonce = seq.field(2, "nonce", DerReader::nonce32);
    byte[] paChecksum = seq.optionalField(3, "paChecksum", DerReader::octetString);
    byte[] freshness = seq.optionalField(4, "freshnessToken", DerReader::octetString);
    PaChecksum2 paChecksum2 = seq.optionalField(5, "paChecksum2", PaChecksum2::read);
    seq.endExtensible();
    return new PkAuthenticator(cusec, ctime, nonce, paChecksum, freshness, paChecksum2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PkAuthenticator p && Arrays.equals(p.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "PkAuthenticator[ctime=" + ctime + ", cusec=" + cusec + ", nonce=" + Integer.toUnsignedString(nonce)
        + ", paChecksum=" + (paChecksum != null) + ", freshnessToken=" + (freshnessToken != null) + "]";
  }
}
