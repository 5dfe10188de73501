package dev.ngc4j.core.internal.krb.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;

/**
 * The codecs against the messages of a real MIT Kerberos PKINIT exchange ({@link MitCapture}): every message
 * decodes, and what the client sends re-encodes from its decoded fields to exactly MIT's bytes, so the tags, the
 * explicit/implicit choices and the field order of KDC-REQ-BODY, PA-PK-AS-REQ, AuthPack and PKAuthenticator
 * match MIT's encoder.
 */
final class MitCaptureTest {

  /** The eContent of a CMS SignedData ContentInfo, after checking its type. */
  private static byte[] eContent(byte[] contentInfo, String expectedType) throws Exception {
    CMSSignedData signed = new CMSSignedData(contentInfo);
    assertEquals(expectedType, signed.getSignedContentTypeOID());
    return (byte[]) signed.getSignedContent().getContent();
  }

  private static KdcReqBody rebuild(KdcReqBody b) {
    return KdcReqBody.builder().kdcOptions(b.kdcOptions()).cname(b.cname()).realm(b.realm()).sname(b.sname())
        .from(b.from()).till(b.till()).rtime(b.rtime()).nonce(b.nonce()).etypes(b.etypes()).addresses(b.addresses())
        .build();
  }

  @Test
  void firstAsReqReEncodesToMitsBytes() throws Exception {
    byte[] sent = MitCapture.bytes(MitCapture.AS_REQ_1);
    AsReq req = AsReq.decode(sent);
    assertEquals(List.of(PaDataType.PA_AS_FRESHNESS, PaDataType.PA_REQ_ENC_PA_REP),
        req.padata().stream().map(PaData::type).toList());
    KdcReqBody body = req.body();
    assertEquals(PrincipalName.parse("alice"), body.cname());
    assertEquals(PrincipalName.krbtgt("WHFB.TEST"), body.sname());
    assertEquals(KerberosFlags.of(KdcOptions.FORWARDABLE, KdcOptions.RENEWABLE_OK), body.kdcOptions());
    assertEquals(List.of(18, 17, 20, 19, 16, 23, 25, 26), body.etypes());
    assertArrayEquals(sent, new AsReq(req.padata(), rebuild(body)).der());
  }

  @Test
  void preauthRequiredListsPkinitAndAFreshnessToken() throws Exception {
    KrbError error = KrbError.decode(MitCapture.bytes(MitCapture.KRB_ERROR_1));
    assertEquals(KrbErrorCode.KDC_ERR_PREAUTH_REQUIRED, error.errorCode());
    assertEquals("NEEDED_PREAUTH", error.eText());
    assertEquals(List.of(PaDataType.PA_FX_FAST, PaDataType.PA_PK_AS_REQ, PaDataType.PA_PKINIT_KX,
        PaDataType.PA_AS_FRESHNESS, PaDataType.PA_FX_COOKIE), error.methodData().stream().map(PaData::type).toList());
    assertEquals(20, PaData.find(error.methodData(), PaDataType.PA_AS_FRESHNESS).orElseThrow().value().length);
    assertEquals(PrincipalName.krbtgt("WHFB.TEST"), error.sname());
  }

  @Test
  void pkinitAsReqReEncodesToMitsBytesAndItsChecksumCoversTheBody() throws Exception {
    byte[] sent = MitCapture.bytes(MitCapture.AS_REQ_2);
    AsReq req = AsReq.decode(sent);
    assertArrayEquals(sent, new AsReq(req.padata(), rebuild(req.body())).der());

    PaData pa = PaData.find(req.padata(), PaDataType.PA_PK_AS_REQ).orElseThrow();
    PaPkAsReq pkAsReq = PaPkAsReq.decode(pa.value());
    assertEquals(1, pkAsReq.trustedCertifiers().size());
    assertNull(pkAsReq.kdcPkId());
    assertArrayEquals(pa.value(), pkAsReq.encode());

    byte[] authPackDer = eContent(pkAsReq.signedAuthPack(), PkinitOids.AUTH_DATA);
    AuthPack pack = AuthPack.decode(authPackDer);
    assertArrayEquals(authPackDer, pack.encode(), "AuthPack re-encodes to MIT's bytes");
    assertEquals(List.of(PkinitOids.KDF_SHA256, PkinitOids.KDF_SHA1, PkinitOids.KDF_SHA512), pack.supportedKdfs());
    assertNotNull(pack.clientPublicValue());
    assertNull(pack.clientDhNonce());

    PkAuthenticator auth = pack.pkAuthenticator();
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(req.body().der());
    assertArrayEquals(sha1, auth.paChecksum(), "paChecksum is SHA-1 over the exact KDC-REQ-BODY bytes");
    byte[] token = PaData.find(KrbError.decode(MitCapture.bytes(MitCapture.KRB_ERROR_1)).methodData(),
        PaDataType.PA_AS_FRESHNESS).orElseThrow().value();
    assertArrayEquals(token, auth.freshnessToken(), "the freshness token of the KRB-ERROR is echoed");
    assertArrayEquals(auth.encode(), PkAuthenticator.decode(auth.encode()).encode());
  }

  @Test
  void mitsEncPartOfAnAsRepIsAnEncTgsRepPartAndDecodes() throws Exception {
    byte[] plain = MitCapture.bytes(MitCapture.ENC_AS_REP_PART);
    EncKdcRepPart part = EncKdcRepPart.decode(plain);
    assertEquals(EncKdcRepPart.ENC_TGS_REP_PART, part.applicationTag());
    assertEquals(0x01234567, part.nonce());
    assertEquals(18, part.key().keytype());
    assertEquals(List.of(new LastReqEntry(0, java.time.Instant.EPOCH)), part.lastReq());
    assertEquals(KerberosFlags.of(TicketFlags.INITIAL, TicketFlags.ENC_PA_REP), part.flags());
    assertEquals(java.time.Duration.ofHours(1), java.time.Duration.between(part.authtime(), part.endtime()));
    assertNull(part.starttime());
    assertNull(part.encryptedPaData());
    assertEquals(PrincipalName.krbtgt("WHFB.TEST"), part.sname());
    assertArrayEquals(plain, part.encode(), "re-encodes to MIT's bytes");
  }

  @Test
  void pkinitAsRepDecodesAndItsDhKeyInfoEchoesTheNonce() throws Exception {
    byte[] received = MitCapture.bytes(MitCapture.AS_REP_2);
    assertEquals(MessageType.AS_REP, MessageType.of(received));
    KdcRep rep = KdcRep.decodeAsRep(received);
    assertEquals("WHFB.TEST", rep.crealm());
    assertEquals(PrincipalName.parse("alice"), rep.cname());
    assertEquals(PrincipalName.krbtgt("WHFB.TEST"), rep.ticket().sname());

    byte[] value = PaData.find(rep.padata(), PaDataType.PA_PK_AS_REP).orElseThrow().value();
    PaPkAsRep pkAsRep = PaPkAsRep.decode(value);
    assertArrayEquals(value, pkAsRep.der());
    DhRepInfo info = Objects.requireNonNull(pkAsRep.dhInfo());
    assertEquals(PkinitOids.KDF_SHA256, info.kdf());
    assertNull(info.serverDhNonce());
    assertArrayEquals(value, PaPkAsRep.ofDhInfo(info).der());

    KdcDhKeyInfo keyInfo = KdcDhKeyInfo.decode(eContent(info.dhSignedData(), PkinitOids.DH_KEY_DATA));
    AsReq req = AsReq.decode(MitCapture.bytes(MitCapture.AS_REQ_2));
    PaPkAsReq pkAsReq = PaPkAsReq.decode(PaData.find(req.padata(), PaDataType.PA_PK_AS_REQ).orElseThrow().value());
    int nonce = AuthPack.decode(eContent(pkAsReq.signedAuthPack(), PkinitOids.AUTH_DATA)).pkAuthenticator().nonce();
    assertEquals(nonce, keyInfo.nonce());
    assertEquals(2048, keyInfo.dhPublicValue().bitLength(), "DH group 14");
  }
}
