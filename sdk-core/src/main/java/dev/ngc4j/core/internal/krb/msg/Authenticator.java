package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Authenticator (RFC 4120 §5.5.1), encrypted into an AP-REQ; in a TGS-REQ its checksum covers the
 * KDC-REQ-BODY ({@link KdcReqBody#der()}).
 *
 * <pre>
 * Authenticator ::= [APPLICATION 2] SEQUENCE  {
 *   authenticator-vno  [0] INTEGER (5),
 *   crealm             [1] Realm,
 *   cname              [2] PrincipalName,
 *   cksum              [3] Checksum OPTIONAL,
 *   cusec              [4] Microseconds,
 *   ctime              [5] KerberosTime,
 *   subkey             [6] EncryptionKey OPTIONAL,
 *   seq-number         [7] UInt32 OPTIONAL,
 *   authorization-data [8] AuthorizationData OPTIONAL
 * }
 * </pre>
 *
 * Authorization data is not supported (never sent; refused when decoding).
 *
 * <p>Security: may hold a subkey; {@link #toString()} never shows it.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param crealm the client realm
 * @param cname the client name
 * @param cksum the checksum, or {@code null}
 * @param cusec the microseconds of {@code ctime}, 0 to 999999
 * @param ctime the client time (whole seconds are sent)
 * @param subkey the subkey, or {@code null}
 * @param seqNumber the sequence number (its 32 bits), or {@code null}
 */
public record Authenticator(String crealm, PrincipalName cname, @Nullable Checksum cksum, int cusec, Instant ctime,
    @Nullable EncryptionKey subkey, @Nullable Integer seqNumber) {
  /** The application tag number of Authenticator. */
  public static final int APPLICATION_TAG = 2;

  /**
   * Validates the fields.
   *
   * @param crealm the client realm
   * @param cname the client name
   * @param cksum the checksum, or {@code null}
   * @param cusec the microseconds
   * @param ctime the client time
   * @param subkey the subkey, or {@code null}
   * @param seqNumber the sequence number, or {@code null}
   */
  public Authenticator {
    Objects.requireNonNull(crealm, "crealm");
    Objects.requireNonNull(cname, "cname");
    Objects.requireNonNull(ctime, "ctime");
    if (cusec < 0 || cusec > 999_999) {
      throw new IllegalArgumentException("cusec outside 0 to 999999");
    }
  }

  /**
   * Encodes the authenticator (the plaintext to encrypt with key usage 7 in a TGS-REQ).
   *
   * @return the encoding
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, Der.integer(5)));
    f.add(Der.explicit(1, Der.kerberosString(crealm)));
    f.add(Der.explicit(2, cname.encode()));
    if (cksum != null) {
      f.add(Der.explicit(3, cksum.encode()));
    }
    f.add(Der.explicit(4, Der.integer(cusec)));
    f.add(Der.explicit(5, Der.kerberosTime(ctime)));
    if (subkey != null) {
      f.add(Der.explicit(6, subkey.encode()));
    }
    if (seqNumber != null) {
      f.add(Der.explicit(7, Der.integer(Integer.toUnsignedLong(seqNumber))));
    }
    return Der.applicationTagged(APPLICATION_TAG, Der.sequence(f));
  }

  /**
   * Decodes an Authenticator strictly (for tests and tools).
   *
   * @param der the encoding
   * @return the authenticator
   * @throws KrbMessageException if malformed or carrying authorization data
   */
  public static Authenticator decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "Authenticator", reader -> {
      DerReader outer = reader.expect(Der.application(APPLICATION_TAG)).reader("Authenticator");
      DerReader seq = outer.sequence("SEQUENCE");
      seq.field(0, "authenticator-vno", Ticket::readPvno);
      String crealm = seq.field(1, "crealm", DerReader::kerberosString);
      PrincipalName cname = seq.field(2, "cname", PrincipalName::read);
      Checksum cksum = seq.optionalField(3, "cksum", Checksum::read);
      int cusec = seq.field(4, "cusec", DerReader::microseconds);
      Instant ctime = seq.field(5, "ctime", DerReader::kerberosTime);
      EncryptionKey subkey = seq.optionalField(6, "subkey", EncryptionKey::read);
      Integer seqNumber = seq.optionalField(7, "seq-number", DerReader::nonce32);
      seq.end();
      outer.end();
      return new Authenticator(crealm, cname, cksum, cusec, ctime, subkey, seqNumber);
    });
  }

  /** Never shows the subkey bytes. */
  @Override
  public String toString() {
    return "Authenticator[" + cname + "@" + crealm + ", ctime=" + ctime + ", cusec=" + cusec + ", cksum=" + cksum
        + ", subkey=" + subkey + ", seq-number=" + seqNumber + "]";
  }
}
