package dev.ngc4j.core.internal.krb.fuzz;

import dev.ngc4j.core.internal.krb.msg.DhDomainParameters;
import dev.ngc4j.core.internal.krb.msg.DhRepInfo;
import dev.ngc4j.core.internal.krb.msg.EncKdcRepPart;
import dev.ngc4j.core.internal.krb.msg.EtypeInfo2Entry;
import dev.ngc4j.core.internal.krb.msg.KdcDhKeyInfo;
import dev.ngc4j.core.internal.krb.msg.KdcRep;
import dev.ngc4j.core.internal.krb.msg.Krb5PrincipalName;
import dev.ngc4j.core.internal.krb.msg.KrbError;
import dev.ngc4j.core.internal.krb.msg.KrbMessageException;
import dev.ngc4j.core.internal.krb.msg.MessageType;
import dev.ngc4j.core.internal.krb.msg.PaData;
import dev.ngc4j.core.internal.krb.msg.PaDataType;
import dev.ngc4j.core.internal.krb.msg.PaPkAsRep;
import dev.ngc4j.core.internal.krb.msg.PrincipalName;
import dev.ngc4j.core.internal.krb.msg.Ticket;
import dev.ngc4j.core.internal.krb.msg.TypedData;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData;
import dev.ngc4j.core.internal.krb.pkinit.PkinitSignedData.ReplyException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The decoders of what a KDC sends, each as a fuzz target: {@link #check(byte[])} feeds any bytes to the decoder
 * and fails (with an {@link AssertionError}, or with whatever unchecked exception escaped) unless the decoder
 * either refuses the input with its typed exception ({@link KrbMessageException}; {@link ReplyException} for the
 * PKINIT SignedData) or accepts it and the value survives a round trip:
 *
 * <ul>
 *   <li>where the decoded fields determine the DER completely (KDC-REP, KRB-ERROR, Ticket, METHOD-DATA,
 *       KRB5PrincipalName, the encKeyPack alternative of PA-PK-AS-REP), the value rebuilt from its fields with the
 *       public constructors or builders encodes to exactly the input bytes: a strict DER decoder accepts one
 *       encoding per value, so any difference is a decoder that accepted a non-canonical form or lost a field;
 *   <li>elsewhere (types with an extension marker whose unknown fields are skipped, TYPED-DATA whose empty and
 *       absent data-value look alike, a KDC-REP with an explicitly empty padata, nonces received as Int32 and sent
 *       as UInt32), the value rebuilt and encoded decodes again to an equal value.
 * </ul>
 *
 * <p>Decoding goes as deep as the client would: the padata of a reply are read as PA-PK-AS-REP, the e-data of an
 * error as METHOD-DATA, ETYPE-INFO2, TYPED-DATA and TD-DH-PARAMETERS, the KDC's DH key as an INTEGER.
 *
 * <p>Thread safety: stateless; safe for concurrent use.
 */
enum DecoderTarget {
  /** {@link KdcRep#decodeAsRep(byte[])}. */
  AS_REP {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkKdcRep(input, KdcRep.decodeAsRep(input), MessageType.AS_REP);
    }
  },
  /** {@link KdcRep#decodeTgsRep(byte[])}. */
  TGS_REP {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkKdcRep(input, KdcRep.decodeTgsRep(input), MessageType.TGS_REP);
    }
  },
  /** {@link KrbError#decode(byte[])} with {@link KrbError#methodData()}, {@link KrbError#typedData()} and
   * {@link KrbError#dhParameters()}. */
  KRB_ERROR {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkKrbError(input, KrbError.decode(input));
    }
  },
  /** {@link EncKdcRepPart#decode(byte[])}. */
  ENC_KDC_REP_PART {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkEncKdcRepPart(EncKdcRepPart.decode(input));
    }
  },
  /** {@link PaPkAsRep#decode(byte[])}. */
  PA_PK_AS_REP {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkPaPkAsRep(input, PaPkAsRep.decode(input));
    }
  },
  /** {@link KdcDhKeyInfo#decode(byte[])} with {@link KdcDhKeyInfo#dhPublicValue()}. */
  KDC_DH_KEY_INFO {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkKdcDhKeyInfo(KdcDhKeyInfo.decode(input));
    }
  },
  /** {@link Ticket#decode(byte[])}. */
  TICKET {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkTicket(input, Ticket.decode(input));
    }
  },
  /** {@link PaData#decodeMethodData(byte[])}. */
  METHOD_DATA {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      List<PaData> list = PaData.decodeMethodData(input);
      assertBytes(input, PaData.encodeMethodData(list), "METHOD-DATA");
      assertEqual(list, decodeBack("METHOD-DATA", () -> PaData.decodeMethodData(PaData.encodeMethodData(list))),
          "METHOD-DATA");
    }
  },
  /** {@link Krb5PrincipalName#decode(byte[])}. */
  KRB5_PRINCIPAL_NAME {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      Krb5PrincipalName name = Krb5PrincipalName.decode(input);
      Krb5PrincipalName rebuilt = new Krb5PrincipalName(name.realm(),
          new PrincipalName(name.principalName().nameType(), name.principalName().components()));
      assertBytes(input, rebuilt.encode(), "KRB5PrincipalName");
      assertEqual(name, decodeBack("KRB5PrincipalName", () -> Krb5PrincipalName.decode(rebuilt.encode())),
          "KRB5PrincipalName");
    }
  },
  /** {@link TypedData#decodeList(byte[])} with {@link TypedData#dhParameters()}. */
  TYPED_DATA {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      checkTypedData(TypedData.decodeList(input));
    }
  },
  /** {@link PkinitSignedData#verify} for the KDC's signed DH reply. */
  PKINIT_SIGNED_DATA {
    @Override
    void decodeAndCheck(byte[] input) throws KrbMessageException {
      PkinitSignedData.Verified verified;
      try {
        verified = PkinitSignedData.verify(input, PkinitSignedData.ID_PKINIT_DH_KEY_DATA);
      } catch (ReplyException e) {
        return;
      }
      // A genuine signature over mutated content is out of the fuzzer's reach; a verified reply (a seed) must
      // carry a KDCDHKeyInfo, as the client then reads it.
      checkKdcDhKeyInfo(KdcDhKeyInfo.decode(verified.content()));
    }
  };

  private static final HexFormat HEX = HexFormat.of();
  /** The longest message accepted in a {@link KrbMessageException}. */
  private static final int MAX_MESSAGE = 2048;

  /**
   * Decodes {@code input} and checks the round trip.
   *
   * @param input any bytes
   * @throws KrbMessageException when the decoder refuses the input (the only accepted failure)
   */
  abstract void decodeAndCheck(byte[] input) throws KrbMessageException;

  /**
   * Runs the target on any input: passes when the input is refused with the typed exception or decodes and
   * round-trips; anything else escapes.
   *
   * @param input any bytes
   * @throws AssertionError if a round-trip property does not hold
   */
  final void check(byte[] input) {
    try {
      decodeAndCheck(input);
    } catch (KrbMessageException e) {
      assertTypedMessage(e);
    }
  }

  /**
   * Picks the target from the first byte of {@code input} and runs it on the rest (so one fuzzer explores all
   * decoders, and every target's seeds live in one corpus).
   *
   * @param input any bytes; empty does nothing
   */
  static void dispatch(byte[] input) {
    if (input.length == 0) {
      return;
    }
    DecoderTarget target = forSelector(input[0]);
    target.check(Arrays.copyOfRange(input, 1, input.length));
  }

  /**
   * Returns the target the dispatcher runs for a first byte.
   *
   * @param selector the first byte
   * @return the target
   */
  static DecoderTarget forSelector(byte selector) {
    DecoderTarget[] all = values();
    return all[(selector & 0xFF) % all.length];
  }

  /**
   * Returns the first byte that selects this target in {@link #dispatch(byte[])}.
   *
   * @return the selector byte
   */
  @SuppressWarnings("EnumOrdinal") // by design: a corpus entry's first byte is the declaration index (forSelector)
  byte selector() {
    return (byte) ordinal();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Per-type checks
  // ------------------------------------------------------------------------------------------------------------

  private static void checkKdcRep(byte[] input, KdcRep rep, int msgType) throws KrbMessageException {
    if (rep.msgType() != msgType) {
      throw new AssertionError("decoded msg-type " + rep.msgType() + " where " + msgType + " was asked for");
    }
    assertBytes(input, rep.der(), "KDC-REP.der()");
    KdcRep rebuilt = new KdcRep(rep.msgType(), rep.padata(), rep.crealm(), rebuild(rep.cname()),
        rebuiltTicket(rep.ticket()), rep.encPart());
    KdcRep back = decodeBack("KDC-REP", () -> KdcRep.decode(rebuilt.encode(), msgType));
    if (!rep.padata().isEmpty()) {
      assertBytes(input, rebuilt.encode(), "KDC-REP rebuilt from its fields");
      assertEqual(rep, back, "KDC-REP");
    }
    // Without padata the input may hold an explicitly empty [2] SEQUENCE {}, the same value as an absent field,
    // which the rebuilt reply omits: compare the fields.
    if (back.msgType() != rep.msgType() || !back.padata().equals(rep.padata()) || !back.crealm().equals(rep.crealm())
        || !back.cname().equals(rep.cname()) || !back.ticket().equals(rep.ticket())
        || !back.encPart().equals(rep.encPart())) {
      throw new AssertionError("KDC-REP changed in a round trip: " + rep + " became " + back);
    }
    // The padata the client reads next.
    for (PaData pa : rep.padata()) {
      if (pa.type() == PaDataType.PA_PK_AS_REP) {
        try {
          checkPaPkAsRep(pa.value(), PaPkAsRep.decode(pa.value()));
        } catch (KrbMessageException e) {
          assertTypedMessage(e);
        }
      }
    }
  }

  private static void checkKrbError(byte[] input, KrbError error) throws KrbMessageException {
    assertBytes(input, error.der(), "KRB-ERROR.der()");
    // The builder sets ctime and cusec together; a received error may carry only one of them.
    if ((error.ctime() == null) == (error.cusec() == null)) {
      PrincipalName cname = error.cname();
      KrbError.Builder b = KrbError.builder()
          .stime(error.stime(), error.susec())
          .errorCode(error.errorCode())
          .client(error.crealm(), cname == null ? null : rebuild(cname))
          .service(error.realm(), rebuild(error.sname()))
          .eText(error.eText())
          .eData(error.eData());
      Integer cusec = error.cusec();
      b.ctime(error.ctime(), cusec == null ? 0 : cusec);
      KrbError rebuilt = b.build();
      assertBytes(input, rebuilt.encode(), "KRB-ERROR rebuilt from its fields");
      assertEqual(error, decodeBack("KRB-ERROR", () -> KrbError.decode(rebuilt.encode())), "KRB-ERROR");
    }
    // What the client reads from the e-data.
    for (PaData pa : error.methodData()) {
      if (pa.type() == PaDataType.PA_ETYPE_INFO2) {
        try {
          List<EtypeInfo2Entry> entries = EtypeInfo2Entry.decodeList(pa.value());
          assertEqual(entries, decodeBack("ETYPE-INFO2",
              () -> EtypeInfo2Entry.decodeList(EtypeInfo2Entry.encodeList(entries))), "ETYPE-INFO2");
        } catch (KrbMessageException e) {
          assertTypedMessage(e);
        }
      }
    }
    List<TypedData> typed = error.typedData();
    if (!typed.isEmpty()) {
      checkTypedData(typed);
    }
    try {
      List<DhDomainParameters> params = error.dhParameters();
      for (DhDomainParameters p : params) {
        if (p.p().signum() <= 0 || p.g().signum() <= 0 || p.q().signum() <= 0) {
          throw new AssertionError("TD-DH-PARAMETERS accepted a non-positive parameter: " + p);
        }
      }
    } catch (KrbMessageException e) {
      assertTypedMessage(e);
    }
  }

  private static void checkEncKdcRepPart(EncKdcRepPart part) throws KrbMessageException {
    EncKdcRepPart rebuilt = EncKdcRepPart.builder()
        .applicationTag(part.applicationTag())
        .key(part.key())
        .lastReq(part.lastReq())
        .nonce(part.nonce())
        .keyExpiration(part.keyExpiration())
        .flags(part.flags())
        .authtime(part.authtime())
        .starttime(part.starttime())
        .endtime(part.endtime())
        .renewTill(part.renewTill())
        .srealm(part.srealm())
        .sname(rebuild(part.sname()))
        .caddr(part.caddr())
        .encryptedPaData(part.encryptedPaData())
        .build();
    byte[] encoded = rebuilt.encode();
    EncKdcRepPart back = decodeBack("EncKDCRepPart", () -> EncKdcRepPart.decode(encoded));
    assertBytes(encoded, back.encode(), "EncKDCRepPart re-encoded");
    if (back.nonce() != part.nonce() || back.flags() != part.flags() || !back.key().equals(part.key())
        || !back.authtime().equals(part.authtime()) || !back.endtime().equals(part.endtime())
        || !Objects.equals(back.starttime(), part.starttime()) || !Objects.equals(back.renewTill(), part.renewTill())
        || !back.sname().equals(part.sname()) || !back.srealm().equals(part.srealm())
        || !Objects.equals(back.caddr(), part.caddr())
        || !Objects.equals(back.encryptedPaData(), part.encryptedPaData())) {
      throw new AssertionError("EncKDCRepPart changed in a round trip: " + part + " became " + back);
    }
  }

  private static void checkPaPkAsRep(byte[] input, PaPkAsRep rep) throws KrbMessageException {
    assertBytes(input, rep.der(), "PA-PK-AS-REP.der()");
    DhRepInfo dh = rep.dhInfo();
    byte[] encKeyPack = rep.encKeyPack();
    if ((dh == null) == (encKeyPack == null)) {
      throw new AssertionError("PA-PK-AS-REP must hold exactly one alternative: " + rep);
    }
    if (dh != null) {
      DhRepInfo rebuiltInfo = new DhRepInfo(dh.dhSignedData(), dh.serverDhNonce(), dh.kdf());
      PaPkAsRep rebuilt = PaPkAsRep.ofDhInfo(rebuiltInfo);
      PaPkAsRep back = decodeBack("PA-PK-AS-REP", () -> PaPkAsRep.decode(rebuilt.encode()));
      assertEqual(rebuiltInfo, back.dhInfo(), "DHRepInfo");
      assertEqual(dh, back.dhInfo(), "DHRepInfo");
    } else {
      assertBytes(input, PaPkAsRep.ofEncKeyPack(Objects.requireNonNull(encKeyPack)).encode(),
          "PA-PK-AS-REP encKeyPack rebuilt");
    }
  }

  private static void checkKdcDhKeyInfo(KdcDhKeyInfo info) throws KrbMessageException {
    KdcDhKeyInfo rebuilt = new KdcDhKeyInfo(info.subjectPublicKey(), info.nonce(), info.dhKeyExpiration());
    assertEqual(info, decodeBack("KDCDHKeyInfo", () -> KdcDhKeyInfo.decode(rebuilt.encode())), "KDCDHKeyInfo");
    try {
      if (info.dhPublicValue().signum() <= 0) {
        throw new AssertionError("dhPublicValue() returned a non-positive value");
      }
    } catch (KrbMessageException e) {
      assertTypedMessage(e);
    }
  }

  private static void checkTicket(byte[] input, Ticket ticket) throws KrbMessageException {
    assertBytes(input, ticket.der(), "Ticket.der()");
    Ticket rebuilt = rebuiltTicket(ticket);
    assertBytes(input, rebuilt.encode(), "Ticket rebuilt from its fields");
    assertEqual(ticket, decodeBack("Ticket", () -> Ticket.decode(rebuilt.encode())), "Ticket");
  }

  private static void checkTypedData(List<TypedData> list) throws KrbMessageException {
    assertEqual(list, decodeBack("TYPED-DATA", () -> TypedData.decodeList(TypedData.encodeList(list))),
        "TYPED-DATA");
    for (TypedData td : list) {
      if (td.type() == TypedData.TD_DH_PARAMETERS) {
        try {
          td.dhParameters();
        } catch (KrbMessageException e) {
          assertTypedMessage(e);
        }
      }
    }
  }

  private static Ticket rebuiltTicket(Ticket ticket) {
    return new Ticket(ticket.realm(), rebuild(ticket.sname()), ticket.encPart());
  }

  /** Rebuilds through the public constructor, so that its validation runs on what the decoder accepted. */
  private static PrincipalName rebuild(PrincipalName name) {
    return new PrincipalName(name.nameType(), name.components());
  }

  // ------------------------------------------------------------------------------------------------------------
  // Assertions (plain AssertionErrors: Jazzer reports them as findings, JUnit as failures)
  // ------------------------------------------------------------------------------------------------------------

  /** A decoder that re-reads what was encoded from a value it accepted. */
  @FunctionalInterface
  private interface Redecode<T> {
    T run() throws KrbMessageException;
  }

  private static <T> T decodeBack(String what, Redecode<T> redecode) {
    try {
      return redecode.run();
    } catch (KrbMessageException e) {
      throw new AssertionError(what + ": the encoding of a decoded value does not decode again: " + e.getMessage(),
          e);
    }
  }

  private static void assertBytes(byte[] expected, byte[] actual, String what) {
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(what + ": the bytes differ from the input\n  input:   " + HEX.formatHex(expected)
          + "\n  encoded: " + HEX.formatHex(actual));
    }
  }

  private static void assertEqual(Object expected, @Nullable Object actual, String what) {
    if (!expected.equals(actual)) {
      throw new AssertionError(what + ": not equal after a round trip: " + expected + " became " + actual);
    }
  }

  /**
   * The typed exception must say what was wrong, in a bounded message (it names the field and offset and quotes
   * no more than a few bytes of the input, so a large malicious reply cannot flood a log).
   */
  private static void assertTypedMessage(KrbMessageException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      throw new AssertionError("a KrbMessageException without a message", e);
    }
    if (message.length() > MAX_MESSAGE) {
      throw new AssertionError("a KrbMessageException message of " + message.length() + " characters", e);
    }
  }
}
