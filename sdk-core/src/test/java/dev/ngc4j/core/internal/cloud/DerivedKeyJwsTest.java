package dev.ngc4j.core.internal.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws.KdfVersion;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws.Verified;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Round trips, downgrade refusal, tampering and the single failure of {@link DerivedKeyJws}. */
final class DerivedKeyJwsTest {

  private static final byte[] SESSION_KEY = sequence(32, 0x10);
  private static final byte[] OTHER_SESSION_KEY = sequence(32, 0x11);
  private static final byte[] CTX = sequence(24, 0x70);
  private static final byte[] PAYLOAD =
      "{\"refresh_token\":\"0.AXYZ\",\"is_primary\":\"true\",\"request_nonce\":\"n\"}".getBytes(StandardCharsets.UTF_8);

  private static byte[] sequence(int length, int start) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (start + i);
    }
    return out;
  }

  private static String[] parts(String compact) {
    return compact.split("\\.", -1);
  }

  private static String b64url(String text) {
    return Bytes.of(text.getBytes(StandardCharsets.UTF_8)).toBase64Url();
  }

  private static byte[] hmac(byte[] key, String input) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
  }

  /** Builds a token with an arbitrary header, correctly MACed with the given derived key. */
  private static String forge(String headerJson, byte[] payload, byte[] derivedKey) throws Exception {
    String input = b64url(headerJson) + '.' + Bytes.of(payload).toBase64Url();
    return input + '.' + Bytes.of(hmac(derivedKey, input)).toBase64Url();
  }

  private static String ctxText() {
    return Base64.getEncoder().encodeToString(CTX);
  }

  private static void assertTheOneFailure(String compact, boolean requireV2) {
    NgcException ref = assertThrows(NgcException.class, () -> DerivedKeyJws.verify("x", SESSION_KEY, false));
    Throwable t = assertThrows(Throwable.class, () -> DerivedKeyJws.verify(compact, SESSION_KEY, requireV2));
    assertSame(NgcException.class, t.getClass(), "exception class");
    assertEquals(ref.getMessage(), t.getMessage(), "message");
    assertEquals(ErrorCode.CLOUD_ERROR, ((NgcException) t).code());
    assertEquals(DerivedKeyJws.FAILURE_DETAIL, ((NgcException) t).detail());
    assertNull(t.getCause(), "no cause may reveal which step failed");
  }

  private static String flipFirst(String segment) {
    char c = segment.charAt(0);
    return (c == 'A' ? 'B' : 'A') + segment.substring(1);
  }

  @Test
  void roundTripsKdfV1() throws Exception {
    String compact = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V1);
    String header = new String(Bytes.fromBase64Url(parts(compact)[0]).toByteArray(), StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\""), header);
    assertFalse(header.contains("kdf_ver"), header);
    Verified v = DerivedKeyJws.verify(compact, SESSION_KEY, false);
    assertArrayEquals(PAYLOAD, v.payload());
    assertEquals(KdfVersion.V1, v.kdfVersion());
  }

  @Test
  void roundTripsKdfV2() throws Exception {
    String compact = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V2);
    String header = new String(Bytes.fromBase64Url(parts(compact)[0]).toByteArray(), StandardCharsets.UTF_8);
    assertTrue(header.endsWith(",\"kdf_ver\":2}"), header);
    Verified v = DerivedKeyJws.verify(compact, SESSION_KEY, true);
    assertArrayEquals(PAYLOAD, v.payload());
    assertEquals(KdfVersion.V2, v.kdfVersion());
    assertEquals(KdfVersion.V2, DerivedKeyJws.verify(compact, SESSION_KEY, false).kdfVersion());
  }

  @Test
  void ctxIsPaddedStandardBase64OfTwentyFourRandomBytes() throws Exception {
    String a = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V2);
    String b = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V2);
    assertFalse(parts(a)[0].equals(parts(b)[0]), "fresh ctx per signature");
    String header = new String(Bytes.fromBase64Url(parts(a)[0]).toByteArray(), StandardCharsets.UTF_8);
    int start = header.indexOf("\"ctx\":\"") + 7;
    String ctx = header.substring(start, header.indexOf('"', start));
    assertEquals(24, Base64.getDecoder().decode(ctx).length);
  }

  @Test
  void signatureMatchesTheDocumentedConstructionV1() throws Exception {
    String compact = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V1, CTX);
    String expectedHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\"}";
    String input = b64url(expectedHeader) + '.' + Bytes.of(PAYLOAD).toBase64Url();
    byte[] key = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    assertEquals(input + '.' + Bytes.of(hmac(key, input)).toBase64Url(), compact);
  }

  @Test
  void signatureMatchesTheDocumentedConstructionV2() throws Exception {
    String compact = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V2, CTX);
    String expectedHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\",\"kdf_ver\":2}";
    String input = b64url(expectedHeader) + '.' + Bytes.of(PAYLOAD).toBase64Url();
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(CTX);
    sha.update(PAYLOAD);
    byte[] key = Sp800108Kdf.derive(
        SESSION_KEY, Sp800108Kdf.ENTRA_LABEL.getBytes(StandardCharsets.US_ASCII), sha.digest(), 32);
    assertEquals(input + '.' + Bytes.of(hmac(key, input)).toBase64Url(), compact);
  }

  @Test
  void v1TokenIsRefusedWhenV2IsRequired() throws Exception {
    String v1 = DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V1);
    assertEquals(KdfVersion.V1, DerivedKeyJws.verify(v1, SESSION_KEY, false).kdfVersion());
    assertTheOneFailure(v1, true);
  }

  @Test
  void v2HeaderWithV1KeyIsRefused() throws Exception {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\",\"kdf_ver\":2}";
    assertTheOneFailure(forge(header, PAYLOAD, Sp800108Kdf.kdfV1(SESSION_KEY, CTX)), false);
  }

  @Test
  void wrongKdfVersionsAreRefused() throws Exception {
    byte[] v2Key = Sp800108Kdf.kdfV2(SESSION_KEY, CTX, PAYLOAD);
    byte[] v1Key = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    String prefix = "{\"alg\":\"HS256\",\"ctx\":\"" + ctxText() + "\",\"kdf_ver\":";
    for (String value : new String[] {"1", "3", "\"2\"", "2.0", "null", "[2]"}) {
      assertTheOneFailure(forge(prefix + value + "}", PAYLOAD, v2Key), false);
      assertTheOneFailure(forge(prefix + value + "}", PAYLOAD, v1Key), false);
    }
    assertEquals(KdfVersion.V2, DerivedKeyJws.verify(forge(prefix + "2}", PAYLOAD, v2Key), SESSION_KEY, true)
        .kdfVersion());
  }

  @Test
  void tamperedHeaderPayloadAndSignatureAreRefused() throws Exception {
    String[] p = parts(DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, KdfVersion.V2));
    assertTheOneFailure(flipFirst(p[0]) + '.' + p[1] + '.' + p[2], false);
    String otherPayload = b64url("{\"refresh_token\":\"0.AXYZ\",\"is_primary\":\"false\",\"request_nonce\":\"n\"}");
    assertTheOneFailure(p[0] + '.' + otherPayload + '.' + p[2], false);
    assertTheOneFailure(p[0] + '.' + p[1] + '.' + flipFirst(p[2]), false);
    assertTheOneFailure(p[0] + '.' + p[1] + '.' + p[2].substring(0, p[2].length() - 2), false);
    assertTheOneFailure(p[0] + '.' + p[1] + '.', false);
    assertTheOneFailure(p[0] + '.' + p[1], false);
    assertTheOneFailure(p[0] + '.' + p[1] + '.' + p[2] + '.', false);
    assertTheOneFailure(p[0] + '.' + p[1] + '.' + p[2] + "=", false);
    assertTheOneFailure(" " + p[0] + '.' + p[1] + '.' + p[2], false);
    // a changed ctx derives another key
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\",\"kdf_ver\":2}";
    String good = forge(header, PAYLOAD, Sp800108Kdf.kdfV2(SESSION_KEY, CTX, PAYLOAD));
    DerivedKeyJws.verify(good, SESSION_KEY, true);
    String otherCtx = Base64.getEncoder().encodeToString(sequence(24, 0x71));
    String swapped = b64url(header.replace(ctxText(), otherCtx));
    assertTheOneFailure(swapped + '.' + parts(good)[1] + '.' + parts(good)[2], false);
  }

  @Test
  void wrongSessionKeyIsRefused() throws Exception {
    String v1 = DerivedKeyJws.sign(PAYLOAD, OTHER_SESSION_KEY, KdfVersion.V1);
    String v2 = DerivedKeyJws.sign(PAYLOAD, OTHER_SESSION_KEY, KdfVersion.V2);
    assertTheOneFailure(v1, false);
    assertTheOneFailure(v2, false);
    assertTheOneFailure(v2, true);
  }

  @Test
  void otherAlgorithmsAreRefused() throws Exception {
    byte[] key = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    for (String alg : new String[] {"none", "RS256", "HS384", "HS512", "hs256", "ES256", ""}) {
      String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\"}";
      assertTheOneFailure(forge(header, PAYLOAD, key), false);
      String unsigned = b64url(header) + '.' + Bytes.of(PAYLOAD).toBase64Url() + '.';
      assertTheOneFailure(unsigned, false);
    }
    assertTheOneFailure(forge("{\"typ\":\"JWT\",\"ctx\":\"" + ctxText() + "\"}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":[\"HS256\"],\"ctx\":\"" + ctxText() + "\"}", PAYLOAD, key), false);
  }

  @Test
  void malformedHeadersAreRefused() throws Exception {
    byte[] key = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    String ctx = ctxText();
    // control: the forged form is otherwise accepted
    DerivedKeyJws.verify(forge("{\"alg\":\"HS256\",\"ctx\":\"" + ctx + "\"}", PAYLOAD, key), SESSION_KEY, false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"\"}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":null}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + ctx + "\",\"crit\":[\"x\"]}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + ctx + "\",\"kid\":\"k\"}", PAYLOAD, key), false);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + ctx + "\",\"typ\":1}", PAYLOAD, key), false);
    // ctx must be canonical padded standard base64
    String urlCtx = Base64.getUrlEncoder().encodeToString(sequence(24, 0xf8));
    byte[] urlKey = Sp800108Kdf.kdfV1(SESSION_KEY, sequence(24, 0xf8));
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + urlCtx + "\"}", PAYLOAD, urlKey), false);
    byte[] ctx20 = sequence(20, 0x01);
    String padded = Base64.getEncoder().encodeToString(ctx20);
    byte[] key20 = Sp800108Kdf.kdfV1(SESSION_KEY, ctx20);
    DerivedKeyJws.verify(forge("{\"alg\":\"HS256\",\"ctx\":\"" + padded + "\"}", PAYLOAD, key20), SESSION_KEY, false);
    String unpadded = padded.substring(0, padded.length() - 1);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + unpadded + "\"}", PAYLOAD, key20), false);
    // too short a ctx
    byte[] ctx8 = sequence(8, 0x01);
    assertTheOneFailure(forge("{\"alg\":\"HS256\",\"ctx\":\"" + Base64.getEncoder().encodeToString(ctx8) + "\"}",
        PAYLOAD, Sp800108Kdf.kdfV1(SESSION_KEY, ctx8)), false);
    // not JSON, not an object, not UTF-8
    assertTheOneFailure(forge("alg=HS256", PAYLOAD, key), false);
    assertTheOneFailure(forge("[\"HS256\"]", PAYLOAD, key), false);
    String badUtf8 = Bytes.of(new byte[] {'{', (byte) 0xc3, '}'}).toBase64Url();
    assertTheOneFailure(badUtf8 + '.' + Bytes.of(PAYLOAD).toBase64Url() + ".AAAA", false);
  }

  @Test
  void nonJsonPayloadIsRefused() throws Exception {
    byte[] notJson = "refresh_token=x".getBytes(StandardCharsets.UTF_8);
    String compact = DerivedKeyJws.sign(notJson, SESSION_KEY, KdfVersion.V2);
    assertTheOneFailure(compact, false);
  }

  @Test
  void sessionKeyMustBe32Bytes() {
    assertThrows(IllegalArgumentException.class, () -> DerivedKeyJws.sign(PAYLOAD, new byte[16], KdfVersion.V2));
    assertThrows(IllegalArgumentException.class, () -> DerivedKeyJws.verify("a.b.c", new byte[16], true));
  }
}
