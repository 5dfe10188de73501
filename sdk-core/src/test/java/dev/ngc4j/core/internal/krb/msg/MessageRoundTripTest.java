package dev.ngc4j.core.internal.krb.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encode, decode, compare: every message type, with optional fields present and absent. */
final class MessageRoundTripTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static Ticket ticket() {
    return new Ticket("WHFB.TEST", PrincipalName.krbtgt("WHFB.TEST"), new EncryptedData(18, 2, new byte[] {1, 2, 3}));
  }

  static KdcRep asRep() {
    return new KdcRep(MessageType.AS_REP, List.of(new PaData(PaDataType.PA_PK_AS_REP, new byte[] {9})), "WHFB.TEST",
        PrincipalName.parse("alice"), ticket(), new EncryptedData(18, null, new byte[] {4, 5, 6}));
  }

  static KrbError preauthRequired() {
    byte[] methodData = PaData.encodeMethodData(List.of(
        new PaData(PaDataType.PA_PK_AS_REQ, new byte[0]),
        new PaData(PaDataType.PA_AS_FRESHNESS, new byte[] {'t', 'o', 'k'}),
        new PaData(PaDataType.PA_ETYPE_INFO2,
            EtypeInfo2Entry.encodeList(List.of(new EtypeInfo2Entry(18, "WHFB.TESTalice", null))))));
    return KrbError.builder()
        .stime(T0, 123)
        .errorCode(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED)
        .client("WHFB.TEST", PrincipalName.parse("alice"))
        .service("WHFB.TEST", PrincipalName.krbtgt("WHFB.TEST"))
        .eData(methodData)
        .build();
  }

  @Test
  void principalNameParsesFormatsAndRoundTrips() throws Exception {
    PrincipalName p = PrincipalName.parse("host/a\\/b@c");
    assertEquals(List.of("host", "a/b@c"), p.components());
    assertEquals(PrincipalName.NT_PRINCIPAL, p.nameType());
    assertEquals("host/a\\/b\\@c", p.toString());
    assertEquals(p, PrincipalName.parse(p.toString()));
    assertEquals(p, PrincipalName.decode(p.encode()));
    assertEquals(PrincipalName.NT_SRV_INST, PrincipalName.parse("krbtgt/X").nameType());
    PrincipalName enterprise = PrincipalName.parse("alice@contoso.example", PrincipalName.NT_ENTERPRISE);
    assertEquals(List.of("alice@contoso.example"), enterprise.components());
    assertThrows(IllegalArgumentException.class, () -> PrincipalName.parse("a//b"));
    assertThrows(IllegalArgumentException.class, () -> PrincipalName.parse("a\\"));
    assertThrows(IllegalArgumentException.class, () -> PrincipalName.parse(""));
  }

  @Test
  void ticketKeepsItsExactBytes() throws Exception {
    Ticket t = ticket();
    Ticket back = Ticket.decode(t.der());
    assertEquals(t, back);
    assertEquals("WHFB.TEST", back.realm());
    assertEquals(PrincipalName.krbtgt("WHFB.TEST"), back.sname());
    assertEquals(2, back.encPart().kvno());
    assertArrayEquals(t.der(), back.der());
  }

  @Test
  void ticketWithLargeKvnoRoundTrips() throws Exception {
    EncryptedData d = new EncryptedData(18, -1, new byte[] {1}); // kvno 4294967295
    assertTrue(HexFormat.of().formatHex(d.encode()).contains("020500ffffffff"));
    assertEquals(-1, EncryptedData.decode(d.encode()).kvno());
    assertNull(EncryptedData.decode(new EncryptedData(1, null, new byte[0]).encode()).kvno());
  }

  @Test
  void asRepAndTgsRepRoundTripAndAreToldApart() throws Exception {
    KdcRep rep = asRep();
    assertEquals(MessageType.AS_REP, MessageType.of(rep.der()));
    KdcRep back = KdcRep.decodeAsRep(rep.der());
    assertEquals(rep, back);
    assertEquals("alice", back.cname().toString());
    assertEquals(ticket(), back.ticket());
    assertEquals(PaDataType.PA_PK_AS_REP, back.padata().get(0).type());
    String message = String.valueOf(
        assertThrows(KrbMessageException.class, () -> KdcRep.decodeTgsRep(rep.der())).getMessage());
    assertTrue(message.contains("[APPLICATION 13]"), message);

    KdcRep tgs = new KdcRep(MessageType.TGS_REP, List.of(), "WHFB.TEST", PrincipalName.parse("alice"), ticket(),
        new EncryptedData(18, null, new byte[] {7}));
    assertEquals(tgs, KdcRep.decode(tgs.der(), MessageType.TGS_REP));
    assertTrue(KdcRep.decodeTgsRep(tgs.der()).padata().isEmpty());
  }

  @Test
  void encKdcRepPartAcceptsBothApplicationTags() throws Exception {
    for (int tag : new int[] {EncKdcRepPart.ENC_AS_REP_PART, EncKdcRepPart.ENC_TGS_REP_PART}) {
      EncKdcRepPart part = EncKdcRepPart.builder()
          .applicationTag(tag)
          .key(new EncryptionKey(18, new byte[32]))
          .lastReq(List.of(new LastReqEntry(0, T0)))
          .nonce(0x7fff_fff0)
          .flags(KerberosFlags.of(TicketFlags.INITIAL, TicketFlags.PRE_AUTHENT, TicketFlags.ENC_PA_REP))
          .authtime(T0)
          .starttime(T0)
          .endtime(T0.plusSeconds(36000))
          .renewTill(T0.plusSeconds(86400))
          .srealm("WHFB.TEST")
          .sname(PrincipalName.krbtgt("WHFB.TEST"))
          .encryptedPaData(List.of(new PaData(PaDataType.PA_REQ_ENC_PA_REP, new byte[] {1})))
          .build();
      EncKdcRepPart back = EncKdcRepPart.decode(part.encode());
      assertEquals(tag, back.applicationTag());
      assertEquals(part.key(), back.key());
      assertEquals(0x7fff_fff0, back.nonce());
      assertTrue(KerberosFlags.isSet(back.flags(), TicketFlags.ENC_PA_REP));
      assertFalse(KerberosFlags.isSet(back.flags(), TicketFlags.FORWARDABLE));
      assertEquals(T0.plusSeconds(86400), back.renewTill());
      assertEquals(List.of(new LastReqEntry(0, T0)), back.lastReq());
      assertNotNull(back.encryptedPaData());
      assertArrayEquals(part.encode(), back.encode());
      assertFalse(back.toString().contains("0000000000"), "the session key must not be printed");
    }
  }

  @Test
  void encKdcRepPartSkipsLaterExtensionFieldsButNotUnknownOnesInside() throws Exception {
    EncKdcRepPart part = EncKdcRepPart.builder()
        .key(new EncryptionKey(17, new byte[16])).nonce(1).authtime(T0).endtime(T0).srealm("R")
        .sname(PrincipalName.krbtgt("R")).build();
    byte[] der = part.encode();
    // append a [13] field inside the SEQUENCE: rebuild the application and sequence headers by hand
    HexFormat hex = HexFormat.of();
    String s = hex.formatHex(der);
    String seqContent = s.substring(s.indexOf("a0", 4)); // after 7a LL 30 LL
    String extended = seqContent + "ad03020101";
    String seq = "30" + String.format("%02x", extended.length() / 2) + extended;
    String app = "7a" + String.format("%02x", seq.length() / 2) + seq;
    assertEquals(1, EncKdcRepPart.decode(hex.parseHex(app)).nonce());
    // a repeated [12]-or-lower field is not an extension
    String bad = seqContent + "a903" + "1b0152";
    String badSeq = "30" + String.format("%02x", bad.length() / 2) + bad;
    assertThrows(KrbMessageException.class,
        () -> EncKdcRepPart.decode(hex.parseHex("7a" + String.format("%02x", badSeq.length() / 2) + badSeq)));
  }

  @Test
  void krbErrorRoundTripsWithMethodData() throws Exception {
    KrbError err = preauthRequired();
    KrbError back = KrbError.decode(err.der());
    assertEquals(err, back);
    assertEquals(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED, back.errorCode());
    assertEquals("KDC_ERR_PREAUTH_REQUIRED", KrbErrorCode.name(back.errorCode()));
    assertEquals(T0, back.stime());
    assertEquals(123, back.susec());
    assertNull(back.ctime());
    List<Integer> types = back.methodData().stream().map(PaData::type).toList();
    assertEquals(List.of(16, 150, 19), types);
    assertArrayEquals(new byte[] {'t', 'o', 'k'}, back.methodData().get(1).value());
    List<EtypeInfo2Entry> info = EtypeInfo2Entry.decodeList(back.methodData().get(2).value());
    assertEquals("WHFB.TESTalice", info.get(0).salt());
    assertTrue(back.typedData().isEmpty(), "METHOD-DATA is not TYPED-DATA");
    assertEquals(MessageType.KRB_ERROR, MessageType.of(err.der()));
  }

  @Test
  void krbErrorWithTdDhParameters() throws Exception {
    byte[] td = TypedData.encodeList(List.of(new TypedData(TypedData.TD_DH_PARAMETERS, HexFormat.of().parseHex(
        "3016" + "3014" + "06072a8648ce3e0201" + "3009" + "020117" + "020105" + "02010b"))));
    KrbError err = KrbError.builder()
        .ctime(T0, 5)
        .stime(T0, 0)
        .errorCode(KrbErrorCode.KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED)
        .service("WHFB.TEST", PrincipalName.krbtgt("WHFB.TEST"))
        .eText("DH group too small")
        .eData(td)
        .build();
    KrbError back = KrbError.decode(err.der());
    assertEquals("DH group too small", back.eText());
    assertEquals(Integer.valueOf(5), back.cusec());
    assertTrue(back.methodData().isEmpty(), "TYPED-DATA is not METHOD-DATA");
    assertEquals(23, back.dhParameters().get(0).p().intValueExact());
    assertEquals("KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED", KrbErrorCode.name(back.errorCode()));
    assertEquals("KDC_ERR_NO_ACCEPTABLE_KDF", KrbErrorCode.name(100));
    assertEquals("UNKNOWN_ERROR_999", KrbErrorCode.name(999));
  }

  @Test
  void apReqAndAuthenticatorRoundTrip() throws Exception {
    Authenticator auth = new Authenticator("WHFB.TEST", PrincipalName.parse("alice"),
        new Checksum(16, new byte[12]), 999_999, T0, new EncryptionKey(18, new byte[32]), 0x80000001);
    Authenticator back = Authenticator.decode(auth.encode());
    assertEquals(auth, back);
    assertTrue(HexFormat.of().formatHex(auth.encode()).startsWith("62"), "[APPLICATION 2]");
    ApReq ap = new ApReq(0, ticket(), new EncryptedData(18, null, auth.encode()));
    ApReq apBack = ApReq.decode(ap.encode());
    assertEquals(ap, apBack);
    assertArrayEquals(ticket().der(), apBack.ticket().der());
    assertTrue(HexFormat.of().formatHex(ap.encode()).startsWith("6e"), "[APPLICATION 14]");
  }

  @Test
  void kdcReqBodyWithEveryOptionalFieldRoundTrips() throws Exception {
    KdcReqBody body = KdcReqBody.builder()
        .kdcOptions(KerberosFlags.of(KdcOptions.ENC_TKT_IN_SKEY))
        .realm("WHFB.TEST")
        .sname(PrincipalName.parse("host/localhost"))
        .from(T0)
        .till(T0.plusSeconds(60))
        .rtime(T0.plusSeconds(120))
        .nonce(0)
        .etypes(List.of(18))
        .addresses(List.of(new HostAddress(HostAddress.IPV4, new byte[] {127, 0, 0, 1})))
        .encAuthorizationData(new EncryptedData(18, null, new byte[] {1}))
        .additionalTickets(List.of(ticket()))
        .build();
    KdcReqBody back = KdcReqBody.decode(body.der());
    assertEquals(body, back);
    assertNull(back.cname());
    assertEquals(T0, back.from());
    assertEquals(List.of(ticket()), back.additionalTickets());
    assertEquals(1, java.util.Objects.requireNonNull(back.addresses()).size());
    TgsReq tgs = new TgsReq(List.of(new PaData(PaDataType.PA_TGS_REQ, new byte[] {1})), body);
    assertEquals(tgs, TgsReq.decode(tgs.der()));
    assertThrows(KrbMessageException.class, () -> AsReq.decode(tgs.der()));
    assertThrows(IllegalStateException.class, () -> KdcReqBody.builder().realm("R").nonce(1).till(T0).build());
    assertThrows(IllegalArgumentException.class, () -> KdcReqBody.builder().nonce(-1));
  }

  @Test
  void pkinitStructuresRoundTrip() throws Exception {
    PkAuthenticator auth = new PkAuthenticator(0, T0, 42, new byte[20], null,
        new PaChecksum2(new byte[32], Der.algorithmIdentifier("2.16.840.1.101.3.4.2.1", null)));
    PkAuthenticator authBack = PkAuthenticator.decode(auth.encode());
    assertEquals(auth, authBack);
    assertNotNull(authBack.paChecksum2());
    assertNull(authBack.freshnessToken());
    AuthPack pack = new AuthPack(auth, null, List.of(), null, List.of());
    assertEquals(pack, AuthPack.decode(pack.encode()));
    assertThrows(IllegalArgumentException.class, () -> new AuthPack(auth, new byte[] {4, 0}, List.of(), null,
        List.of()));
    ReplyKeyPack rkp = new ReplyKeyPack(new EncryptionKey(18, new byte[32]), new Checksum(16, new byte[12]));
    ReplyKeyPack rkpBack = ReplyKeyPack.decode(rkp.encode());
    assertEquals(rkp, rkpBack);
    KdcDhKeyInfo info = KdcDhKeyInfo.of(java.math.BigInteger.TWO.pow(2047).add(java.math.BigInteger.ONE), -5, T0);
    KdcDhKeyInfo infoBack = KdcDhKeyInfo.decode(info.encode());
    assertEquals(-5, infoBack.nonce());
    assertEquals(T0, infoBack.dhKeyExpiration());
    assertEquals(2048, infoBack.dhPublicValue().bitLength());
    assertThrows(KrbMessageException.class,
        () -> KdcDhKeyInfo.of(java.math.BigInteger.valueOf(-3), 1, null).dhPublicValue());
  }

  @Test
  void encryptionKeyNeverPrintsItsBytesAndCanBeDestroyed() {
    EncryptionKey key = new EncryptionKey(18, new byte[] {0x41, 0x42, 0x43});
    assertEquals("EncryptionKey[keytype=18, 3 bytes]", key.toString());
    key.destroy();
    assertTrue(key.isDestroyed());
    assertThrows(IllegalStateException.class, key::value);
  }

  @Test
  void messageTypePeekRefusesNonApplicationTags() {
    assertThrows(KrbMessageException.class, () -> MessageType.of(new byte[] {0x30, 0}));
    assertThrows(KrbMessageException.class, () -> MessageType.of(new byte[0]));
    assertThrows(KrbMessageException.class, () -> MessageType.of(new byte[] {0x7f, 0}));
  }
}
