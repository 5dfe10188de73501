package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A KRB-ERROR (RFC 4120 §5.9.1):
 *
 * <pre>
 * KRB-ERROR ::= [APPLICATION 30] SEQUENCE {
 *   pvno       [0] INTEGER (5),
 *   msg-type   [1] INTEGER (30),
 *   ctime      [2] KerberosTime OPTIONAL,
 *   cusec      [3] Microseconds OPTIONAL,
 *   stime      [4] KerberosTime,
 *   susec      [5] Microseconds,
 *   error-code [6] Int32,
 *   crealm     [7] Realm OPTIONAL,
 *   cname      [8] PrincipalName OPTIONAL,
 *   realm      [9] Realm -- service realm --,
 *   sname      [10] PrincipalName -- service name --,
 *   e-text     [11] KerberosString OPTIONAL,
 *   e-data     [12] OCTET STRING OPTIONAL
 * }
 * </pre>
 *
 * <p>The e-data is kept as bytes; {@link #methodData()} and {@link #typedData()} interpret it as METHOD-DATA
 * (after KDC_ERR_PREAUTH_REQUIRED) or TYPED-DATA (after most PKINIT errors). The two are told apart by their
 * field tags ([1]/[2] against [0]/[1]).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KrbError {
  private final @Nullable Instant ctime;
  private final @Nullable Integer cusec;
  private final Instant stime;
  private final int susec;
  private final int errorCode;
  private final @Nullable String crealm;
  private final @Nullable PrincipalName cname;
  private final String realm;
  private final PrincipalName sname;
  private final @Nullable String eText;
  private final byte @Nullable [] eData;
  private final byte[] der;

  private KrbError(Builder b, byte @Nullable [] der) {
    this.ctime = b.ctime;
    this.cusec = b.cusec;
    this.stime = Objects.requireNonNull(b.stime, "stime");
    this.susec = b.susec;
    this.errorCode = b.errorCode;
    this.crealm = b.crealm;
    this.cname = b.cname;
    this.realm = Objects.requireNonNull(b.realm, "realm");
    this.sname = Objects.requireNonNull(b.sname, "sname");
    this.eText = b.eText;
    this.eData = b.eData == null ? null : b.eData.clone();
    this.der = der != null ? der : encodeFields();
  }

  /**
   * Returns a builder (for tests and test KDCs; the client only decodes errors).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private byte[] encodeFields() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, Der.integer(5)));
    f.add(Der.explicit(1, Der.integer(MessageType.KRB_ERROR)));
    if (ctime != null) {
      f.add(Der.explicit(2, Der.kerberosTime(ctime)));
    }
    if (cusec != null) {
      f.add(Der.explicit(3, Der.integer(cusec)));
    }
    f.add(Der.explicit(4, Der.kerberosTime(stime)));
    f.add(Der.explicit(5, Der.integer(susec)));
    f.add(Der.explicit(6, Der.integer(errorCode)));
    if (crealm != null) {
      f.add(Der.explicit(7, Der.kerberosString(crealm)));
    }
    if (cname != null) {
      f.add(Der.explicit(8, cname.encode()));
    }
    f.add(Der.explicit(9, Der.kerberosString(realm)));
    f.add(Der.explicit(10, sname.encode()));
    if (eText != null) {
      f.add(Der.explicit(11, Der.kerberosString(eText)));
    }
    if (eData != null) {
      f.add(Der.explicit(12, Der.octetString(eData)));
    }
    return Der.applicationTagged(MessageType.KRB_ERROR, Der.sequence(f));
  }

  /**
   * Decodes a KRB-ERROR strictly.
   *
   * @param der the encoding
   * @return the error
   * @throws KrbMessageException if malformed or not a KRB-ERROR
   */
  public static KrbError decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "KRB-ERROR", reader -> {
      DerReader outer = reader.expect(Der.application(MessageType.KRB_ERROR)).reader("KRB-ERROR");
      DerReader seq = outer.sequence("SEQUENCE");
      Builder b = new Builder();
      seq.field(0, "pvno", Ticket::readPvno);
      seq.field(1, "msg-type", r -> r.integer(MessageType.KRB_ERROR, MessageType.KRB_ERROR));
      b.ctime = seq.optionalField(2, "ctime", DerReader::kerberosTime);
      b.cusec = seq.optionalField(3, "cusec", DerReader::microseconds);
      b.stime = seq.field(4, "stime", DerReader::kerberosTime);
      b.susec = seq.field(5, "susec", DerReader::microseconds);
      b.errorCode = seq.field(6, "error-code", DerReader::int32);
      b.crealm = seq.optionalField(7, "crealm", DerReader::kerberosString);
      b.cname = seq.optionalField(8, "cname", PrincipalName::read);
      b.realm = seq.field(9, "realm", DerReader::kerberosString);
      b.sname = seq.field(10, "sname", PrincipalName::read);
      b.eText = seq.optionalField(11, "e-text", DerReader::kerberosString);
      b.eData = seq.optionalField(12, "e-data", DerReader::octetString);
      seq.end();
      outer.end();
      return new KrbError(b, der.clone());
    });
  }

  /**
   * Returns the client's time, echoed.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant ctime() {
    return ctime;
  }

  /**
   * Returns the microseconds of the client's time.
   *
   * @return the microseconds, or {@code null} if absent
   */
  public @Nullable Integer cusec() {
    return cusec;
  }

  /**
   * Returns the server's time (useful to detect clock skew).
   *
   * @return the time
   */
  public Instant stime() {
    return stime;
  }

  /**
   * Returns the microseconds of the server's time.
   *
   * @return 0 to 999999
   */
  public int susec() {
    return susec;
  }

  /**
   * Returns the error code (see {@link KrbErrorCode}).
   *
   * @return the code
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Returns the client realm.
   *
   * @return the realm, or {@code null} if absent
   */
  public @Nullable String crealm() {
    return crealm;
  }

  /**
   * Returns the client name.
   *
   * @return the name, or {@code null} if absent
   */
  public @Nullable PrincipalName cname() {
    return cname;
  }

  /**
   * Returns the service realm.
   *
   * @return the realm
   */
  public String realm() {
    return realm;
  }

  /**
   * Returns the service name.
   *
   * @return the name
   */
  public PrincipalName sname() {
    return sname;
  }

  /**
   * Returns the KDC's error text.
   *
   * @return the text, or {@code null} if absent
   */
  public @Nullable String eText() {
    return eText;
  }

  /**
   * Returns a copy of the error data.
   *
   * @return the bytes, or {@code null} if absent
   */
  public byte @Nullable [] eData() {
    return eData == null ? null : eData.clone();
  }

  /**
   * Returns the e-data read as METHOD-DATA (RFC 4120 §5.9.1; what a KDC sends with KDC_ERR_PREAUTH_REQUIRED).
   *
   * @return the padata, or an empty list if there is no e-data or it is not a METHOD-DATA
   */
  public List<PaData> methodData() {
    if (eData == null) {
      return List.of();
    }
    try {
      return PaData.decodeMethodData(eData);
    } catch (KrbMessageException e) {
      return List.of();
    }
  }

  /**
   * Returns the e-data read as TYPED-DATA (what a KDC sends with most PKINIT errors).
   *
   * @return the elements, or an empty list if there is no e-data or it is not a TYPED-DATA
   */
  public List<TypedData> typedData() {
    if (eData == null) {
      return List.of();
    }
    try {
      return TypedData.decodeList(eData);
    } catch (KrbMessageException e) {
      return List.of();
    }
  }

  /**
   * Returns the DH domain parameters the KDC accepts, from a TD-DH-PARAMETERS element of the TYPED-DATA (sent
   * with {@link KrbErrorCode#KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED}).
   *
   * @return the parameter sets in the KDC's order of preference, or an empty list if there are none
   * @throws KrbMessageException if a TD-DH-PARAMETERS element is present but malformed
   */
  public List<DhDomainParameters> dhParameters() throws KrbMessageException {
    Optional<TypedData> td =
        typedData().stream().filter(t -> t.type() == TypedData.TD_DH_PARAMETERS).findFirst();
    return td.isPresent() ? td.get().dhParameters() : List.of();
  }

  /**
   * Returns a copy of the encoding: exactly the bytes received for a decoded error.
   *
   * @return the DER bytes
   */
  public byte[] der() {
    return der.clone();
  }

  /**
   * Returns the encoding; the same as {@link #der()}.
   *
   * @return the DER bytes
   */
  public byte[] encode() {
    return der.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KrbError e && Arrays.equals(e.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "KrbError[" + KrbErrorCode.name(errorCode) + "(" + errorCode + ")" + (eText == null ? "" : ", e-text=\""
        + eText + "\"") + ", sname=" + sname + "@" + realm + "]";
  }

  /**
   * Builds a {@link KrbError}. Required: stime, realm and sname.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private @Nullable Instant ctime;
    private @Nullable Integer cusec;
    private @Nullable Instant stime;
    private int susec;
    private int errorCode;
    private @Nullable String crealm;
    private @Nullable PrincipalName cname;
    private @Nullable String realm;
    private @Nullable PrincipalName sname;
    private @Nullable String eText;
    private byte @Nullable [] eData;

    private Builder() {}

    /**
     * Sets the client time and its microseconds.
     *
     * @param time the time, or {@code null} to omit both
     * @param usec the microseconds
     * @return this builder
     */
    public Builder ctime(@Nullable Instant time, int usec) {
      this.ctime = time;
      this.cusec = time == null ? null : checkUsec(usec);
      return this;
    }

    /**
     * Sets the server time and its microseconds.
     *
     * @param time the time
     * @param usec the microseconds
     * @return this builder
     */
    public Builder stime(Instant time, int usec) {
      this.stime = Objects.requireNonNull(time, "time");
      this.susec = checkUsec(usec);
      return this;
    }

    /**
     * Sets the error code.
     *
     * @param code the code
     * @return this builder
     */
    public Builder errorCode(int code) {
      this.errorCode = code;
      return this;
    }

    /**
     * Sets the client realm and name.
     *
     * @param realm the realm, or {@code null}
     * @param name the name, or {@code null}
     * @return this builder
     */
    public Builder client(@Nullable String realm, @Nullable PrincipalName name) {
      this.crealm = realm;
      this.cname = name;
      return this;
    }

    /**
     * Sets the service realm and name.
     *
     * @param realm the realm
     * @param name the name
     * @return this builder
     */
    public Builder service(String realm, PrincipalName name) {
      this.realm = Objects.requireNonNull(realm, "realm");
      this.sname = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the error text.
     *
     * @param text the text, or {@code null}
     * @return this builder
     */
    public Builder eText(@Nullable String text) {
      this.eText = text;
      return this;
    }

    /**
     * Sets the error data (copied).
     *
     * @param data the data, or {@code null}
     * @return this builder
     */
    public Builder eData(byte @Nullable [] data) {
      this.eData = data == null ? null : data.clone();
      return this;
    }

    /**
     * Builds and encodes the error.
     *
     * @return the error
     * @throws NullPointerException if stime or the service is missing
     */
    public KrbError build() {
      return new KrbError(this, null);
    }

    private static int checkUsec(int usec) {
      if (usec < 0 || usec > 999_999) {
        throw new IllegalArgumentException("microseconds outside 0 to 999999");
      }
      return usec;
    }
  }
}
