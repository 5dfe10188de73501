package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The KDC-REQ-BODY of an AS-REQ or TGS-REQ (RFC 4120 §5.4.1). It is encoded once, when built, and
 * {@link #der()} returns exactly those bytes: the PKINIT paChecksum (SHA-1 over KDC-REQ-BODY) and the TGS-REQ
 * authenticator checksum must be computed over them, and {@link AsReq} and {@link TgsReq} embed them verbatim.
 *
 * <pre>
 * KDC-REQ-BODY ::= SEQUENCE {
 *   kdc-options             [0] KDCOptions,
 *   cname                   [1] PrincipalName OPTIONAL,
 *   realm                   [2] Realm,
 *   sname                   [3] PrincipalName OPTIONAL,
 *   from                    [4] KerberosTime OPTIONAL,
 *   till                    [5] KerberosTime,
 *   rtime                   [6] KerberosTime OPTIONAL,
 *   nonce                   [7] UInt32,
 *   etype                   [8] SEQUENCE OF Int32,
 *   addresses               [9] HostAddresses OPTIONAL,
 *   enc-authorization-data  [10] EncryptedData OPTIONAL,
 *   additional-tickets      [11] SEQUENCE OF Ticket OPTIONAL
 * }
 * </pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class KdcReqBody {
  private final int kdcOptions;
  private final @Nullable PrincipalName cname;
  private final String realm;
  private final @Nullable PrincipalName sname;
  private final @Nullable Instant from;
  private final Instant till;
  private final @Nullable Instant rtime;
  private final int nonce;
  private final List<Integer> etypes;
  private final @Nullable List<HostAddress> addresses;
  private final @Nullable EncryptedData encAuthorizationData;
  private final List<Ticket> additionalTickets;
  private final byte[] der;

  private KdcReqBody(Builder b, @Nullable Instant till, byte @Nullable [] der) {
    this.kdcOptions = b.kdcOptions;
    this.cname = b.cname;
    this.realm = Objects.requireNonNull(b.realm, "realm");
    this.sname = b.sname;
    this.from = b.from;
    this.till = Objects.requireNonNull(till, "till");
    this.rtime = b.rtime;
    this.nonce = b.nonce;
    this.etypes = List.copyOf(b.etypes);
    this.addresses = b.addresses == null ? null : List.copyOf(b.addresses);
    this.encAuthorizationData = b.encAuthorizationData;
    this.additionalTickets = List.copyOf(b.additionalTickets);
    this.der = der != null ? der : encodeFields();
  }

  /**
   * Returns a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private byte[] encodeFields() {
    List<byte[]> fields = new ArrayList<>();
    fields.add(Der.explicit(0, Der.kerberosFlags(kdcOptions)));
    if (cname != null) {
      fields.add(Der.explicit(1, cname.encode()));
    }
    fields.add(Der.explicit(2, Der.kerberosString(realm)));
    if (sname != null) {
      fields.add(Der.explicit(3, sname.encode()));
    }
    if (from != null) {
      fields.add(Der.explicit(4, Der.kerberosTime(from)));
    }
    fields.add(Der.explicit(5, Der.kerberosTime(till)));
    if (rtime != null) {
      fields.add(Der.explicit(6, Der.kerberosTime(rtime)));
    }
    fields.add(Der.explicit(7, Der.integer(Integer.toUnsignedLong(nonce))));
    List<byte[]> etypeList = new ArrayList<>();
    for (int e : etypes) {
      etypeList.add(Der.integer(e));
    }
    fields.add(Der.explicit(8, Der.sequence(etypeList)));
    if (addresses != null) {
      fields.add(Der.explicit(9, HostAddress.encodeList(addresses)));
    }
    if (encAuthorizationData != null) {
      fields.add(Der.explicit(10, encAuthorizationData.encode()));
    }
    if (!additionalTickets.isEmpty()) {
      List<byte[]> tickets = new ArrayList<>();
      for (Ticket t : additionalTickets) {
        tickets.add(t.der());
      }
      fields.add(Der.explicit(11, Der.sequence(tickets)));
    }
    return Der.sequence(fields);
  }

  /**
   * Returns the KDC options as a 32-bit KerberosFlags value (see {@link KdcOptions}).
   *
   * @return the options
   */
  public int kdcOptions() {
    return kdcOptions;
  }

  /**
   * Returns the client name.
   *
   * @return the name, or {@code null} if absent (TGS-REQ)
   */
  public @Nullable PrincipalName cname() {
    return cname;
  }

  /**
   * Returns the realm (the client's in an AS-REQ, the server's in a TGS-REQ).
   *
   * @return the realm
   */
  public String realm() {
    return realm;
  }

  /**
   * Returns the server name.
   *
   * @return the name, or {@code null} if absent
   */
  public @Nullable PrincipalName sname() {
    return sname;
  }

  /**
   * Returns the requested start time.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant from() {
    return from;
  }

  /**
   * Returns the requested expiry.
   *
   * @return the time
   */
  public Instant till() {
    return till;
  }

  /**
   * Returns the requested renewal limit.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant rtime() {
    return rtime;
  }

  /**
   * Returns the nonce (its 32 bits).
   *
   * @return the nonce
   */
  public int nonce() {
    return nonce;
  }

  /**
   * Returns the encryption types, in the client's order of preference.
   *
   * @return the etype numbers; immutable
   */
  public List<Integer> etypes() {
    return etypes;
  }

  /**
   * Returns the client addresses.
   *
   * @return the addresses, or {@code null} if absent
   */
  public @Nullable List<HostAddress> addresses() {
    return addresses;
  }

  /**
   * Returns the encrypted authorization data.
   *
   * @return the data, or {@code null} if absent
   */
  public @Nullable EncryptedData encAuthorizationData() {
    return encAuthorizationData;
  }

  /**
   * Returns the additional tickets.
   *
   * @return the tickets, empty if absent; immutable
   */
  public List<Ticket> additionalTickets() {
    return additionalTickets;
  }

  /**
   * Returns a copy of the exact DER of this KDC-REQ-BODY (the bytes embedded in the request and covered by
   * checksums).
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

  /**
   * Decodes a KDC-REQ-BODY strictly, keeping its bytes.
   *
   * @param der the encoding
   * @return the body
   * @throws KrbMessageException if malformed
   */
  public static KdcReqBody decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "KDC-REQ-BODY", KdcReqBody::read);
  }

  /**
   * Reads a KDC-REQ-BODY at the reader's position, keeping its bytes.
   *
   * @param reader the reader
   * @return the body
   * @throws KrbMessageException if malformed
   */
  public static KdcReqBody read(DerReader reader) throws KrbMessageException {
    DerReader.Element element = reader.expect(Der.SEQUENCE);
    DerReader seq = element.reader("KDC-REQ-BODY");
    Builder b = new Builder();
    b.kdcOptions = seq.field(0, "kdc-options", DerReader::kerberosFlags);
    b.cname = seq.optionalField(1, "cname", PrincipalName::read);
    b.realm = seq.field(2, "realm", DerReader::kerberosString);
    b.sname = seq.optionalField(3, "sname", PrincipalName::read);
    b.from = seq.optionalField(4, "from", DerReader::kerberosTime);
    Instant till = seq.field(5, "till", DerReader::kerberosTime);
    b.rtime = seq.optionalField(6, "rtime", DerReader::kerberosTime);
    b.nonce = seq.field(7, "nonce", DerReader::nonce32);
    b.etypes = seq.field(8, "etype", r -> r.sequenceOf(DerReader::int32));
    b.addresses = seq.optionalField(9, "addresses", HostAddress::readList);
    b.encAuthorizationData = seq.optionalField(10, "enc-authorization-data", EncryptedData::read);
    List<Ticket> tickets = seq.optionalField(11, "additional-tickets", r -> r.sequenceOf(Ticket::read));
    b.additionalTickets = tickets == null ? List.of() : tickets;
    seq.end();
    return new KdcReqBody(b, till, element.encoded());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KdcReqBody k && Arrays.equals(k.der, der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "KdcReqBody[cname=" + cname + ", realm=" + realm + ", sname=" + sname + ", till=" + till + ", etypes="
        + etypes + "]";
  }

  /**
   * Builds a {@link KdcReqBody}. Required: {@link #realm}, {@link #till}, {@link #nonce} and at least one
   * {@link #etypes etype}.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private int kdcOptions;
    private @Nullable PrincipalName cname;
    private @Nullable String realm;
    private @Nullable PrincipalName sname;
    private @Nullable Instant from;
    private @Nullable Instant till;
    private @Nullable Instant rtime;
    private int nonce = -1;
    private List<Integer> etypes = List.of();
    private @Nullable List<HostAddress> addresses;
    private @Nullable EncryptedData encAuthorizationData;
    private List<Ticket> additionalTickets = List.of();

    private Builder() {}

    /**
     * Sets the KDC options (default none); build them with {@link KerberosFlags#of(int...)} and {@link KdcOptions}.
     *
     * @param flags the 32 option bits
     * @return this builder
     */
    public Builder kdcOptions(int flags) {
      this.kdcOptions = flags;
      return this;
    }

    /**
     * Sets the client name (AS-REQ).
     *
     * @param name the name, or {@code null} to omit it
     * @return this builder
     */
    public Builder cname(@Nullable PrincipalName name) {
      this.cname = name;
      return this;
    }

    /**
     * Sets the realm (the client's in an AS-REQ, the server's in a TGS-REQ). Required.
     *
     * @param realm the realm
     * @return this builder
     */
    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm, "realm");
      return this;
    }

    /**
     * Sets the server name.
     *
     * @param name the name, or {@code null} to omit it
     * @return this builder
     */
    public Builder sname(@Nullable PrincipalName name) {
      this.sname = name;
      return this;
    }

    /**
     * Sets the requested start time (postdating); default absent.
     *
     * @param time the time, or {@code null}
     * @return this builder
     */
    public Builder from(@Nullable Instant time) {
      this.from = time;
      return this;
    }

    /**
     * Sets the requested expiry. Required.
     *
     * @param time the time (whole seconds are sent)
     * @return this builder
     */
    public Builder till(Instant time) {
      this.till = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Sets the requested renewal limit; default absent.
     *
     * @param time the time, or {@code null}
     * @return this builder
     */
    public Builder rtime(@Nullable Instant time) {
      this.rtime = time;
      return this;
    }

    /**
     * Sets the nonce. Required; a positive 31-bit number (0 to 2^31 - 1), which every KDC echoes unchanged
     * whether it treats the field as signed or unsigned.
     *
     * @param nonce the nonce
     * @return this builder
     */
    public Builder nonce(int nonce) {
      if (nonce < 0) {
        throw new IllegalArgumentException("the nonce must be a positive 31-bit number");
      }
      this.nonce = nonce;
      return this;
    }

    /**
     * Sets the encryption types, most preferred first. Required, at least one.
     *
     * @param etypes the etype numbers
     * @return this builder
     */
    public Builder etypes(List<Integer> etypes) {
      this.etypes = List.copyOf(etypes);
      return this;
    }

    /**
     * Sets the client addresses; default absent (address-less tickets).
     *
     * @param addresses the addresses, or {@code null} to omit the field
     * @return this builder
     */
    public Builder addresses(@Nullable List<HostAddress> addresses) {
      this.addresses = addresses == null ? null : List.copyOf(addresses);
      return this;
    }

    /**
     * Sets the encrypted authorization data (TGS-REQ); default absent.
     *
     * @param data the data, or {@code null}
     * @return this builder
     */
    public Builder encAuthorizationData(@Nullable EncryptedData data) {
      this.encAuthorizationData = data;
      return this;
    }

    /**
     * Sets the additional tickets (TGS-REQ, user-to-user); default none.
     *
     * @param tickets the tickets
     * @return this builder
     */
    public Builder additionalTickets(List<Ticket> tickets) {
      this.additionalTickets = List.copyOf(tickets);
      return this;
    }

    /**
     * Validates and encodes the body.
     *
     * @return the body
     * @throws IllegalStateException if a required field is missing
     */
    public KdcReqBody build() {
      if (realm == null || till == null || nonce < 0 || etypes.isEmpty()) {
        throw new IllegalStateException("realm, till, nonce and at least one etype are required");
      }
      return new KdcReqBody(this, till, null);
    }
  }
}
