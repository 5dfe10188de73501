package dev.ngc4j.core.internal.krb.msg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ETYPE-INFO2-ENTRY (RFC 4120 §5.2.7.5), the value of PA-ETYPE-INFO2 that a KDC lists with
 * KDC_ERR_PREAUTH_REQUIRED and in AS-REPs.
 *
 * <pre>
 * ETYPE-INFO2 ::= SEQUENCE SIZE (1..MAX) OF ETYPE-INFO2-ENTRY
 * ETYPE-INFO2-ENTRY ::= SEQUENCE {
 *   etype     [0] Int32,
 *   salt      [1] KerberosString OPTIONAL,
 *   s2kparams [2] OCTET STRING OPTIONAL
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class EtypeInfo2Entry {
  private final int etype;
  private final @Nullable String salt;
  private final byte @Nullable [] s2kparams;

  /**
   * Creates the entry.
   *
   * @param etype the encryption type
   * @param salt the salt, or {@code null}
   * @param s2kparams the string-to-key parameters (copied), or {@code null}
   */
  public EtypeInfo2Entry(int etype, @Nullable String salt, byte @Nullable [] s2kparams) {
    this.etype = etype;
    this.salt = salt;
    this.s2kparams = s2kparams == null ? null : s2kparams.clone();
  }

  /**
   * Returns the encryption type.
   *
   * @return the etype
   */
  public int etype() {
    return etype;
  }

  /**
   * Returns the salt.
   *
   * @return the salt, or {@code null}
   */
  public @Nullable String salt() {
    return salt;
  }

  /**
   * Returns a copy of the string-to-key parameters.
   *
   * @return the parameters, or {@code null}
   */
  public byte @Nullable [] s2kparams() {
    return s2kparams == null ? null : s2kparams.clone();
  }

  /**
   * Encodes an ETYPE-INFO2.
   *
   * @param entries the entries, at least one
   * @return the encoding
   */
  public static byte[] encodeList(List<EtypeInfo2Entry> entries) {
    List<byte[]> parts = new ArrayList<>();
    for (EtypeInfo2Entry e : entries) {
      parts.add(Der.sequence(
          Der.explicit(0, Der.integer(e.etype)),
          e.salt == null ? new byte[0] : Der.explicit(1, Der.kerberosString(e.salt)),
          e.s2kparams == null ? new byte[0] : Der.explicit(2, Der.octetString(e.s2kparams))));
    }
    return Der.sequence(parts);
  }

  /**
   * Decodes an ETYPE-INFO2 strictly.
   *
   * @param der the padata value
   * @return the entries; immutable, never empty
   * @throws KrbMessageException if malformed or empty
   */
  public static List<EtypeInfo2Entry> decodeList(byte[] der) throws KrbMessageException {
    List<EtypeInfo2Entry> list = DerReader.decodeAll(der, "ETYPE-INFO2", r -> r.sequenceOf(reader -> {
      DerReader seq = reader.sequence("ETYPE-INFO2-ENTRY");
      int etype = seq.field(0, "etype", DerReader::int32);
      String salt = seq.optionalField(1, "salt", DerReader::kerberosString);
      byte[] params = seq.optionalField(2, "s2kparams", DerReader::octetString);
      seq.end();
      return new EtypeInfo2Entry(etype, salt, params);
    }));
    if (list.isEmpty()) {
      throw new KrbMessageException("ETYPE-INFO2: the list is empty (SIZE (1..MAX))");
    }
    return list;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EtypeInfo2Entry e && e.etype == etype && Objects.equals(e.salt, salt)
        && Arrays.equals(e.s2kparams, s2kparams);
  }

  @Override
  public int hashCode() {
    return Objects.hash(etype, salt, Arrays.hashCode(s2kparams));
  }

  @Override
  public String toString() {
    return "EtypeInfo2Entry[etype=" + etype + ", salt=" + salt + "]";
  }
}
