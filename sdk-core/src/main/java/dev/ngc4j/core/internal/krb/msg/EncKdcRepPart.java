package dev.ngc4j.core.internal.krb.msg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The decrypted enc-part of an AS-REP or TGS-REP (RFC 4120 §5.4.2, RFC 6806 §11): EncASRepPart
 * {@code [APPLICATION 25]} or EncTGSRepPart {@code [APPLICATION 26]}. Both are accepted in either reply: RFC 4120
 * allows a KDC to send 26 in an AS-REP, MIT does exactly that, and MIT clients accept both.
 *
 * <pre>
 * EncKDCRepPart ::= SEQUENCE {
 *   key               [0] EncryptionKey,
 *   last-req          [1] LastReq,
 *   nonce             [2] UInt32,
 *   key-expiration    [3] KerberosTime OPTIONAL,
 *   flags             [4] TicketFlags,
 *   authtime          [5] KerberosTime,
 *   starttime         [6] KerberosTime OPTIONAL,
 *   endtime           [7] KerberosTime,
 *   renew-till        [8] KerberosTime OPTIONAL,
 *   srealm            [9] Realm,
 *   sname             [10] PrincipalName,
 *   caddr             [11] HostAddresses OPTIONAL,
 *   encrypted-pa-data [12] METHOD-DATA OPTIONAL -- RFC 6806
 * }
 * </pre>
 *
 * Context-tagged fields after {@code [12]} are skipped (the type has been extended before).
 *
 * <p>Security: holds the session key; {@link #toString()} never shows it.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public final class EncKdcRepPart {
  /** The application tag of EncASRepPart. */
  public static final int ENC_AS_REP_PART = 25;
  /** The application tag of EncTGSRepPart. */
  public static final int ENC_TGS_REP_PART = 26;

  private final int applicationTag;
  private final EncryptionKey key;
  private final List<LastReqEntry> lastReq;
  private final int nonce;
  private final @Nullable Instant keyExpiration;
  private final int flags;
  private final Instant authtime;
  private final @Nullable Instant starttime;
  private final Instant endtime;
  private final @Nullable Instant renewTill;
  private final String srealm;
  private final PrincipalName sname;
  private final @Nullable List<HostAddress> caddr;
  private final @Nullable List<PaData> encryptedPaData;

  private EncKdcRepPart(Builder b) {
    if (b.applicationTag != ENC_AS_REP_PART && b.applicationTag != ENC_TGS_REP_PART) {
      throw new IllegalArgumentException("the application tag is 25 (EncASRepPart) or 26 (EncTGSRepPart)");
    }
    this.applicationTag = b.applicationTag;
    this.key = Objects.requireNonNull(b.key, "key");
    this.lastReq = List.copyOf(b.lastReq);
    this.nonce = b.nonce;
    this.keyExpiration = b.keyExpiration;
    this.flags = b.flags;
    this.authtime = Objects.requireNonNull(b.authtime, "authtime");
    this.starttime = b.starttime;
    this.endtime = Objects.requireNonNull(b.endtime, "endtime");
    this.renewTill = b.renewTill;
    this.srealm = Objects.requireNonNull(b.srealm, "srealm");
    this.sname = Objects.requireNonNull(b.sname, "sname");
    this.caddr = b.caddr == null ? null : List.copyOf(b.caddr);
    this.encryptedPaData = b.encryptedPaData == null ? null : List.copyOf(b.encryptedPaData);
  }

  /**
   * Returns a builder (for tests and test KDCs; the client only decodes this structure).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decodes an EncASRepPart or EncTGSRepPart strictly.
   *
   * @param der the decrypted enc-part
   * @return the part
   * @throws KrbMessageException if malformed
   */
  public static EncKdcRepPart decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "EncKDCRepPart", reader -> {
      int identifier = reader.peekIdentifier();
      if (identifier != Der.application(ENC_AS_REP_PART) && identifier != Der.application(ENC_TGS_REP_PART)) {
        throw reader.failure("expected [APPLICATION 25] EncASRepPart or [APPLICATION 26] EncTGSRepPart but found "
            + DerReader.describe(identifier));
      }
      Builder b = new Builder();
      b.applicationTag = identifier & 0x1F;
      DerReader outer = reader.next().reader(b.applicationTag == ENC_AS_REP_PART ? "EncASRepPart" : "EncTGSRepPart");
      DerReader seq = outer.sequence("EncKDCRepPart");
      b.key = seq.field(0, "key", EncryptionKey::read);
      b.lastReq = seq.field(1, "last-req", r -> r.sequenceOf(EncKdcRepPart::readLastReq));
      b.nonce = seq.field(2, "nonce", DerReader::nonce32);
      b.keyExpiration = seq.optionalField(3, "key-expiration", DerReader::kerberosTime);
      b.flags = seq.field(4, "flags", DerReader::kerberosFlags);
      b.authtime = seq.field(5, "authtime", DerReader::kerberosTime);
      b.starttime = seq.optionalField(6, "starttime", DerReader::kerberosTime);
      b.endtime = seq.field(7, "endtime", DerReader::kerberosTime);
      b.renewTill = seq.optionalField(8, "renew-till", DerReader::kerberosTime);
      b.srealm = seq.field(9, "srealm", DerReader::kerberosString);
      b.sname = seq.field(10, "sname", PrincipalName::read);
      b.caddr = seq.optionalField(11, "caddr", HostAddress::readList);
      b.encryptedPaData = seq.optionalField(12, "encrypted-pa-data", r -> r.sequenceOf(PaData::read));
      seq.endExtensible();
      outer.end();
      return b.build();
    });
  }

  private static LastReqEntry readLastReq(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("LastReq");
    int type = seq.field(0, "lr-type", DerReader::int32);
    Instant value = seq.field(1, "lr-value", DerReader::kerberosTime);
    seq.end();
    return new LastReqEntry(type, value);
  }

  /**
   * Encodes under {@link #applicationTag()}.
   *
   * @return the encoding (holds the session key)
   */
  public byte[] encode() {
    List<byte[]> f = new ArrayList<>();
    f.add(Der.explicit(0, key.encode()));
    List<byte[]> lr = new ArrayList<>();
    for (LastReqEntry e : lastReq) {
      lr.add(Der.sequence(Der.explicit(0, Der.integer(e.type())), Der.explicit(1, Der.kerberosTime(e.value()))));
    }
    f.add(Der.explicit(1, Der.sequence(lr)));
    f.add(Der.explicit(2, Der.integer(Integer.toUnsignedLong(nonce))));
    if (keyExpiration != null) {
      f.add(Der.explicit(3, Der.kerberosTime(keyExpiration)));
    }
    f.add(Der.explicit(4, Der.kerberosFlags(flags)));
    f.add(Der.explicit(5, Der.kerberosTime(authtime)));
    if (starttime != null) {
      f.add(Der.explicit(6, Der.kerberosTime(starttime)));
    }
    f.add(Der.explicit(7, Der.kerberosTime(endtime)));
    if (renewTill != null) {
      f.add(Der.explicit(8, Der.kerberosTime(renewTill)));
    }
    f.add(Der.explicit(9, Der.kerberosString(srealm)));
    f.add(Der.explicit(10, sname.encode()));
    if (caddr != null) {
      f.add(Der.explicit(11, HostAddress.encodeList(caddr)));
    }
    if (encryptedPaData != null) {
      f.add(Der.explicit(12, PaData.encodeMethodData(encryptedPaData)));
    }
    return Der.applicationTagged(applicationTag, Der.sequence(f));
  }

  /**
   * Returns the application tag that was received.
   *
   * @return {@link #ENC_AS_REP_PART} or {@link #ENC_TGS_REP_PART}
   */
  public int applicationTag() {
    return applicationTag;
  }

  /**
   * Returns the session key.
   *
   * @return the key
   */
  public EncryptionKey key() {
    return key;
  }

  /**
   * Returns the last-request entries.
   *
   * @return the entries; immutable
   */
  public List<LastReqEntry> lastReq() {
    return lastReq;
  }

  /**
   * Returns the nonce (its 32 bits), to compare with the request's.
   *
   * @return the nonce
   */
  public int nonce() {
    return nonce;
  }

  /**
   * Returns the key expiration.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant keyExpiration() {
    return keyExpiration;
  }

  /**
   * Returns the ticket flags (see {@link TicketFlags}).
   *
   * @return the flags
   */
  public int flags() {
    return flags;
  }

  /**
   * Returns the authentication time.
   *
   * @return the time
   */
  public Instant authtime() {
    return authtime;
  }

  /**
   * Returns the start time.
   *
   * @return the time, or {@code null} if absent (then it is the authtime)
   */
  public @Nullable Instant starttime() {
    return starttime;
  }

  /**
   * Returns the end time.
   *
   * @return the time
   */
  public Instant endtime() {
    return endtime;
  }

  /**
   * Returns the renewal limit.
   *
   * @return the time, or {@code null} if absent
   */
  public @Nullable Instant renewTill() {
    return renewTill;
  }

  /**
   * Returns the server realm.
   *
   * @return the realm
   */
  public String srealm() {
    return srealm;
  }

  /**
   * Returns the server name.
   *
   * @return the name
   */
  public PrincipalName sname() {
    return sname;
  }

  /**
   * Returns the client addresses.
   *
   * @return the addresses, or {@code null} if absent
   */
  public @Nullable List<HostAddress> caddr() {
    return caddr;
  }

  /**
   * Returns the encrypted padata (RFC 6806 §11).
   *
   * @return the padata, or {@code null} if absent
   */
  public @Nullable List<PaData> encryptedPaData() {
    return encryptedPaData;
  }

  /** Never shows the session key. */
  @Override
  public String toString() {
    return "EncKdcRepPart[" + key + ", sname=" + sname + "@" + srealm + ", authtime=" + authtime + ", endtime="
        + endtime + ", flags=" + Integer.toHexString(flags) + "]";
  }

  /**
   * Builds an {@link EncKdcRepPart}. Required: key, authtime, endtime, srealm and sname.
   *
   * <p>Thread safety: not thread-safe.
   */
  public static final class Builder {
    private int applicationTag = ENC_TGS_REP_PART;
    private @Nullable EncryptionKey key;
    private List<LastReqEntry> lastReq = List.of();
    private int nonce;
    private @Nullable Instant keyExpiration;
    private int flags;
    private @Nullable Instant authtime;
    private @Nullable Instant starttime;
    private @Nullable Instant endtime;
    private @Nullable Instant renewTill;
    private @Nullable String srealm;
    private @Nullable PrincipalName sname;
    private @Nullable List<HostAddress> caddr;
    private @Nullable List<PaData> encryptedPaData;

    private Builder() {}

    /**
     * Sets the application tag (default 26, as MIT sends).
     *
     * @param tag {@link #ENC_AS_REP_PART} or {@link #ENC_TGS_REP_PART}
     * @return this builder
     */
    public Builder applicationTag(int tag) {
      this.applicationTag = tag;
      return this;
    }

    /**
     * Sets the session key.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(EncryptionKey key) {
      this.key = key;
      return this;
    }

    /**
     * Sets the last-request entries (default none).
     *
     * @param entries the entries
     * @return this builder
     */
    public Builder lastReq(List<LastReqEntry> entries) {
      this.lastReq = List.copyOf(entries);
      return this;
    }

    /**
     * Sets the nonce.
     *
     * @param nonce the nonce
     * @return this builder
     */
    public Builder nonce(int nonce) {
      this.nonce = nonce;
      return this;
    }

    /**
     * Sets the key expiration.
     *
     * @param time the time, or {@code null}
     * @return this builder
     */
    public Builder keyExpiration(@Nullable Instant time) {
      this.keyExpiration = time;
      return this;
    }

    /**
     * Sets the ticket flags.
     *
     * @param flags the flags
     * @return this builder
     */
    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    /**
     * Sets the authentication time.
     *
     * @param time the time
     * @return this builder
     */
    public Builder authtime(Instant time) {
      this.authtime = time;
      return this;
    }

    /**
     * Sets the start time.
     *
     * @param time the time, or {@code null}
     * @return this builder
     */
    public Builder starttime(@Nullable Instant time) {
      this.starttime = time;
      return this;
    }

    /**
     * Sets the end time.
     *
     * @param time the time
     * @return this builder
     */
    public Builder endtime(Instant time) {
      this.endtime = time;
      return this;
    }

    /**
     * Sets the renewal limit.
     *
     * @param time the time, or {@code null}
     * @return this builder
     */
    public Builder renewTill(@Nullable Instant time) {
      this.renewTill = time;
      return this;
    }

    /**
     * Sets the server realm.
     *
     * @param realm the realm
     * @return this builder
     */
    public Builder srealm(String realm) {
      this.srealm = realm;
      return this;
    }

    /**
     * Sets the server name.
     *
     * @param name the name
     * @return this builder
     */
    public Builder sname(PrincipalName name) {
      this.sname = name;
      return this;
    }

    /**
     * Sets the client addresses.
     *
     * @param addresses the addresses, or {@code null}
     * @return this builder
     */
    public Builder caddr(@Nullable List<HostAddress> addresses) {
      this.caddr = addresses;
      return this;
    }

    /**
     * Sets the encrypted padata.
     *
     * @param padata the padata, or {@code null}
     * @return this builder
     */
    public Builder encryptedPaData(@Nullable List<PaData> padata) {
      this.encryptedPaData = padata;
      return this;
    }

    /**
     * Builds the part.
     *
     * @return the part
     * @throws NullPointerException if a required field is missing
     */
    public EncKdcRepPart build() {
      return new EncKdcRepPart(this);
    }
  }
}
