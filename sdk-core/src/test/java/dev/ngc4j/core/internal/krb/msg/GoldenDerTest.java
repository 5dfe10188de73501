package dev.ngc4j.core.internal.krb.msg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Encodings compared with DER written out by hand from the ASN.1 of RFC 4120 and RFC 4556 (tag by tag, length by
 * length), so that a wrongly tagged, wrongly ordered or wrongly sized field fails.
 */
final class GoldenDerTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  private static String ascii(String s) {
    return HEX.formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The KDC-REQ-BODY of {@link #asReqBody()}, by hand. */
  private static final String BODY_HEX = "306f"
      + "a007" + "0305" + "00" + "40810010" // kdc-options [0]: forwardable, renewable, canonicalize, renewable-ok
      + "a112" + "3010" + "a003" + "020101" // cname [1]: name-type NT-PRINCIPAL
      + "a109" + "3007" + "1b05" + ascii("alice")
      + "a20b" + "1b09" + ascii("WHFB.TEST") // realm [2]
      + "a31e" + "301c" + "a003" + "020102" // sname [3]: NT-SRV-INST
      + "a115" + "3013" + "1b06" + ascii("krbtgt") + "1b09" + ascii("WHFB.TEST")
      + "a511" + "180f" + ascii("20370913024805Z") // till [5]
      + "a706" + "020412345678" // nonce [7]
      + "a808" + "3006" + "020112" + "020111"; // etype [8]: aes256, aes128

  private static KdcReqBody asReqBody() {
    return KdcReqBody.builder()
        .kdcOptions(KerberosFlags.of(KdcOptions.FORWARDABLE, KdcOptions.RENEWABLE, KdcOptions.CANONICALIZE,
            KdcOptions.RENEWABLE_OK))
        .cname(PrincipalName.parse("alice"))
        .realm("WHFB.TEST")
        .sname(PrincipalName.krbtgt("WHFB.TEST"))
        .till(Instant.parse("2037-09-13T02:48:05.999Z"))
        .nonce(0x12345678)
        .etypes(List.of(18, 17))
        .build();
  }

  @Test
  void kdcReqBodyMatchesTheHandWrittenDer() {
    KdcReqBody body = asReqBody();
    assertEquals(BODY_HEX, hex(body.der()));
    assertEquals(BODY_HEX, hex(body.encode()));
  }

  @Test
  void asReqMatchesTheHandWrittenDerAndEmbedsTheBodyBytes() throws Exception {
    KdcReqBody body = asReqBody();
    AsReq req = new AsReq(List.of(PaPacRequest.of(true)), body);
    String expected = "6a8197" + "308194" // [APPLICATION 10] SEQUENCE, long-form lengths 0x97 and 0x94
        + "a103" + "020105" // pvno [1]
        + "a203" + "02010a" // msg-type [2]: 10
        + "a315" + "3013" + "3011" // padata [3]: METHOD-DATA with one PA-DATA
        + "a104" + "02020080" // padata-type [1]: 128 PA-PAC-REQUEST (a leading zero octet keeps it positive)
        + "a209" + "0407" + "3005a0030101ff" // padata-value [2]: KERB-PA-PAC-REQUEST { include-pac TRUE }
        + "a471" + BODY_HEX; // req-body [4]
    assertEquals(expected, hex(req.der()));
    // the AS-REQ carries the body's exact bytes, so a checksum over body.der() covers what is sent
    String sent = hex(req.der());
    assertEquals(sent.length() - BODY_HEX.length(), sent.indexOf(BODY_HEX));
    AsReq back = AsReq.decode(req.der());
    assertArrayEquals(body.der(), back.body().der());
    assertEquals(128, back.padata().get(0).type());
  }

  @Test
  void tgsReqUsesApplicationTwelveAndMsgTypeTwelve() {
    TgsReq req = new TgsReq(List.of(), asReqBody());
    String der = hex(req.der());
    assertEquals("6c7f" + "307d" + "a103020105" + "a20302010c" + "a471" + BODY_HEX, der);
  }

  @Test
  void pkAuthenticatorAuthPackAndPaPkAsReqMatchTheHandWrittenDer() throws Exception {
    byte[] checksum = new byte[20];
    java.util.Arrays.fill(checksum, (byte) 0x11);
    PkAuthenticator auth = new PkAuthenticator(123456, Instant.parse("2024-01-02T03:04:05Z"), 0x12345678,
        checksum, "tok".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null);
    String authHex = "3041"
        + "a005" + "020301e240" // cusec [0] 123456
        + "a111" + "180f" + ascii("20240102030405Z") // ctime [1]
        + "a206" + "020412345678" // nonce [2]
        + "a316" + "0414" + "11".repeat(20) // paChecksum [3]
        + "a405" + "0403" + ascii("tok"); // freshnessToken [4] (RFC 8070)
    assertEquals(authHex, hex(auth.encode()));

    byte[] spki = HEX.parseHex("3003020107");
    byte[] sha256WithRsa = HEX.parseHex("300d06092a864886f70d01010b0500");
    AuthPack pack = new AuthPack(auth, spki, List.of(sha256WithRsa), HEX.parseHex("deadbeef"),
        List.of(PkinitOids.KDF_SHA256, PkinitOids.KDF_SHA1));
    String packHex = "30818" + "7"
        + "a043" + authHex // pkAuthenticator [0], explicit
        + "a105" + "3003020107" // clientPublicValue [1], explicit around the SubjectPublicKeyInfo
        + "a211" + "300f" + "300d06092a864886f70d01010b0500" // supportedCMSTypes [2]
        + "a306" + "0404deadbeef" // clientDHNonce [3]
        + "a41e" + "301c" // supportedKDFs [4]
        + "300c" + "a00a" + "0608" + "2b06010502030602" // KDFAlgorithmId { kdf-id [0] sha256 }
        + "300c" + "a00a" + "0608" + "2b06010502030601"; // sha1
    assertEquals(packHex, hex(pack.encode()));
    assertEquals(pack, AuthPack.decode(pack.encode()));

    ExternalPrincipalIdentifier ca = new ExternalPrincipalIdentifier(HEX.parseHex("ccdd"), null, null);
    PaPkAsReq req = new PaPkAsReq(HEX.parseHex("0102030405"), List.of(ca), HEX.parseHex("aabb"));
    assertEquals("3015"
        + "80050102030405" // signedAuthPack [0] IMPLICIT OCTET STRING: primitive
        + "a108" + "3006" + "3004" + "8002ccdd" // trustedCertifiers [1] explicit; subjectName [0] IMPLICIT
        + "8202aabb", // kdcPkId [2] IMPLICIT OCTET STRING
        hex(req.encode()));
    assertEquals(PaDataType.PA_PK_AS_REQ, req.toPaData().type());
    assertEquals(req, PaPkAsReq.decode(req.encode()));
  }

  @Test
  void paPkAsRepWithDhInfoDecodesFromHandWrittenDer() throws Exception {
    String der = "a01d" + "301b" // dhInfo [0] explicit around DHRepInfo
        + "8003" + "010203" // dhSignedData [0] IMPLICIT OCTET STRING
        + "a106" + "0404cafebabe" // serverDHNonce [1]
        + "a20c" + "300a" + "a008" + "0606" + "2b0601050203"; // kdf [2] KDFAlgorithmId { kdf-id 1.3.6.1.5.2.3 }
    PaPkAsRep rep = PaPkAsRep.decode(HEX.parseHex(der));
    assertNotNull(rep.dhInfo());
    DhRepInfo info = java.util.Objects.requireNonNull(rep.dhInfo());
    assertNull(rep.encKeyPack());
    assertArrayEquals(HEX.parseHex("010203"), info.dhSignedData());
    assertArrayEquals(HEX.parseHex("cafebabe"), info.serverDhNonce());
    assertEquals("1.3.6.1.5.2.3", info.kdf());
    assertEquals(der, hex(rep.der()));
    assertEquals(der, hex(PaPkAsRep.ofDhInfo(info).der()));
    assertEquals(PaDataType.PA_PK_AS_REP, rep.toPaData().type());

    PaPkAsRep rsa = PaPkAsRep.decode(HEX.parseHex("8102abcd")); // encKeyPack [1] IMPLICIT OCTET STRING
    assertArrayEquals(HEX.parseHex("abcd"), rsa.encKeyPack());
    assertNull(rsa.dhInfo());
  }

  @Test
  void kdcDhKeyInfoDecodesFromHandWrittenDer() throws Exception {
    String der = "3010"
        + "a006" + "0304" + "00" + "020105" // subjectPublicKey [0] BIT STRING holding the DER of INTEGER 5
        + "a106" + "020412345678"; // nonce [1]
    KdcDhKeyInfo info = KdcDhKeyInfo.decode(HEX.parseHex(der));
    assertEquals(BigInteger.valueOf(5), info.dhPublicValue());
    assertEquals(0x12345678, info.nonce());
    assertNull(info.dhKeyExpiration());
    assertEquals(der, hex(KdcDhKeyInfo.of(BigInteger.valueOf(5), 0x12345678, null).encode()));
  }

  @Test
  void krb5PrincipalNameUsesExplicitTags() throws Exception {
    Krb5PrincipalName name = new Krb5PrincipalName("WHFB.TEST", PrincipalName.krbtgt("WHFB.TEST"));
    String expected = "302d"
        + "a00b" + "1b09" + ascii("WHFB.TEST") // realm [0]
        + "a11e" + "301c" + "a003020102" // principalName [1]: NT-SRV-INST
        + "a115" + "3013" + "1b06" + ascii("krbtgt") + "1b09" + ascii("WHFB.TEST");
    assertEquals(expected, hex(name.encode()));
    assertEquals(name, Krb5PrincipalName.decode(name.encode()));
    assertEquals("krbtgt/WHFB.TEST@WHFB.TEST", name.toString());
  }

  @Test
  void tdDhParametersParseIntoTriples() throws Exception {
    String alg = "3014" + "0607" + "2a8648ce3e0201" // dhpublicnumber 1.2.840.10046.2.1
        + "3009" + "020117" + "020105" + "02010b"; // DomainParameters p = 23, g = 5, q = 11
    String other = "300d06092a864886f70d01010b0500"; // some other algorithm: skipped
    byte[] value = HEX.parseHex("3025" + other + alg);
    TypedData td = new TypedData(TypedData.TD_DH_PARAMETERS, value);
    List<DhDomainParameters> params = td.dhParameters();
    assertEquals(1, params.size());
    assertEquals(BigInteger.valueOf(23), params.get(0).p());
    assertEquals(BigInteger.valueOf(5), params.get(0).g());
    assertEquals(BigInteger.valueOf(11), params.get(0).q());
  }
}
