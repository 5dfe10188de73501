package dev.ngc4j.core.internal.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.StrictJwe.KeyAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jspecify.annotations.Nullable;

/** Round trips, tampering, algorithm pinning and the single failure of {@link StrictJwe}. */
final class StrictJweTest {

  private static final KeyPair KEY = generate();
  private static final KeyPair OTHER_KEY = generate();
  private static final byte[] CEK = sequence(32, 0x40);
  private static final byte[] PLAINTEXT = {0x20};
  private static final String OAEP_HEADER = "{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}";
  private static final OAEPParameterSpec SHA1 =
      new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
  private static final OAEPParameterSpec SHA256 =
      new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sequence(int length, int start) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  private static RSAPublicKey pub() {
    return (RSAPublicKey) KEY.getPublic();
  }

  private static String b64(byte[] b) {
    return Bytes.of(b).toBase64Url();
  }

  private static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String valid() throws NgcException {
    return StrictJwe.encrypt(PLAINTEXT, CEK, pub(), KeyAlgorithm.RSA_OAEP);
  }

  /** Wraps a key with any RSA transformation and parameters, independent of the code under test. */
  private static byte[] wrap(
      String transformation, java.security.spec.@Nullable AlgorithmParameterSpec params, byte[] cek)
      throws Exception {
    Cipher rsa = Cipher.getInstance(transformation);
    if (params == null) {
      rsa.init(Cipher.ENCRYPT_MODE, pub());
    } else {
      rsa.init(Cipher.ENCRYPT_MODE, pub(), params);
    }
    return rsa.doFinal(cek);
  }

  /** Builds a compact JWE with any header and encrypted key, sealing the content correctly under {@code cek}. */
  private static String build(String headerJson, byte[] encryptedKey, byte[] cek) throws Exception {
    String header = b64(headerJson);
    byte[] iv = sequence(12, 1);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, iv));
    aes.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
    byte[] sealed = aes.doFinal(PLAINTEXT);
    int ct = sealed.length - 16;
    return header + "." + b64(encryptedKey) + "." + b64(iv) + "." + b64(Arrays.copyOf(sealed, ct)) + "."
        + b64(Arrays.copyOfRange(sealed, ct, sealed.length));
  }

  private static String buildOaep(String headerJson) throws Exception {
    return build(headerJson, wrap("RSA/ECB/OAEPPadding", SHA1, CEK), CEK);
  }

  private static String[] parts(String compact) {
    return compact.split("\\.", -1);
  }

  private static String join(String... parts) {
    return String.join(".", parts);
  }

  private static String withPart(String compact, int index, String value) {
    String[] p = parts(compact);
    p[index] = value;
    return join(p);
  }

  /** Changes the first character of a segment to another base64url character (canonical either way). */
  private static String flipFirst(String segment) {
    char c = segment.charAt(0);
    return (c == 'A' ? 'B' : 'A') + segment.substring(1);
  }

  private static NgcException reference() {
    return assertThrows(
        NgcException.class, () -> StrictJwe.decrypt(valid(), OTHER_KEY.getPrivate(), KeyAlgorithm.RSA_OAEP));
  }

  private static void assertTheOneFailure(String compact, PrivateKey key, KeyAlgorithm pinned) {
    NgcException ref = reference();
    Throwable t = assertThrows(Throwable.class, () -> StrictJwe.decrypt(compact, key, pinned));
    assertSame(NgcException.class, t.getClass(), "exception class");
    assertEquals(ref.getMessage(), t.getMessage(), "message");
    assertEquals(ErrorCode.CLOUD_ERROR, ((NgcException) t).code());
    assertEquals(StrictJwe.FAILURE_DETAIL, ((NgcException) t).detail());
    assertNull(t.getCause(), "no cause may reveal which step failed");
  }

  @Test
  void roundTripsRsaOaep() throws Exception {
    String compact = valid();
    assertEquals(5, parts(compact).length);
    assertEquals(OAEP_HEADER, new String(Bytes.fromBase64Url(parts(compact)[0]).toByteArray(), StandardCharsets.UTF_8));
    assertEquals(256, Bytes.fromBase64Url(parts(compact)[1]).length());
    assertEquals(12, Bytes.fromBase64Url(parts(compact)[2]).length());
    assertEquals(1, Bytes.fromBase64Url(parts(compact)[3]).length());
    assertEquals(16, Bytes.fromBase64Url(parts(compact)[4]).length());
    StrictJwe.Decrypted d = StrictJwe.decrypt(compact, KEY.getPrivate(), KeyAlgorithm.RSA_OAEP);
    assertArrayEquals(CEK, d.contentKey());
    assertArrayEquals(PLAINTEXT, d.plaintext());
    assertFalse(d.toString().contains(Bytes.of(CEK).toHex()));
  }

  @Test
  void roundTripsRsaOaep256AndLongerContent() throws Exception {
    byte[] content = "{\"refresh_token\":\"0.A\"}".getBytes(StandardCharsets.UTF_8);
    String compact = StrictJwe.encrypt(content, CEK, pub(), KeyAlgorithm.RSA_OAEP_256);
    StrictJwe.Decrypted d = StrictJwe.decrypt(compact, KEY.getPrivate(), KeyAlgorithm.RSA_OAEP_256);
    assertArrayEquals(CEK, d.contentKey());
    assertArrayEquals(content, d.plaintext());
  }

  @Test
  void decryptsATokenBuiltIndependentlyOfTheEncryptor() throws Exception {
    StrictJwe.Decrypted d = StrictJwe.decrypt(buildOaep(OAEP_HEADER), KEY.getPrivate(), KeyAlgorithm.RSA_OAEP);
    assertArrayEquals(CEK, d.contentKey());
    assertArrayEquals(
        PLAINTEXT,
        StrictJwe.decrypt(
                buildOaep("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"k\"}"),
                KEY.getPrivate(),
                KeyAlgorithm.RSA_OAEP)
            .plaintext());
  }

  @Test
  void encryptRefusesAContentKeyOfTheWrongLength() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StrictJwe.encrypt(PLAINTEXT, new byte[16], pub(), KeyAlgorithm.RSA_OAEP));
  }

  @TestFactory
  List<DynamicTest> everyTamperedOrRefusedTokenGivesTheSameFailure() throws Exception {
    String v = valid();
    String[] p = parts(v);
    BigInteger n = pub().getModulus();
    Map<String, String> cases = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      cases.put("segment " + i + " modified", withPart(v, i, flipFirst(p[i])));
      cases.put("segment " + i + " empty", withPart(v, i, ""));
      cases.put("segment " + i + " padded with '='", withPart(v, i, p[i] + "="));
      cases.put("segment " + i + " with a '+' (base64, not base64url)", withPart(v, i, "+" + p[i].substring(1)));
    }
    cases.put("header re-encoded with members reordered (AAD changed)",
        withPart(v, 0, b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}")));
    byte[] tag = Bytes.fromBase64Url(p[4]).toByteArray();
    for (int cut : new int[] {1, 4, 8, 16}) {
      cases.put("tag truncated by " + cut, withPart(v, 4, b64(Arrays.copyOf(tag, 16 - cut))));
    }
    cases.put("tag longer", withPart(v, 4, b64(Arrays.copyOf(tag, 17))));
    cases.put("IV of 16 bytes", withPart(v, 2, b64(new byte[16])));
    cases.put("IV of 8 bytes", withPart(v, 2, b64(new byte[8])));
    cases.put("IV modified", withPart(v, 2, b64(new byte[12])));
    cases.put("4 segments", join(p[0], p[1], p[2], p[3]));
    cases.put("6 segments", v + "." + p[4]);
    cases.put("6 segments, trailing dot", v + ".");
    cases.put("header segment missing", join(p[1], p[2], p[3], p[4]));
    cases.put("separator missing", p[0] + p[1] + "." + p[2] + "." + p[3] + "." + p[4]);
    cases.put("empty string", "");
    cases.put("only dots", "....");
    cases.put("too long", v + "A".repeat(StrictJwe.MAX_COMPACT_CHARS));
    cases.put("white space", " " + v);
    cases.put("wrong alg pinned: RSA-OAEP-256 token",
        StrictJwe.encrypt(PLAINTEXT, CEK, pub(), KeyAlgorithm.RSA_OAEP_256));
    cases.put("header alg RSA-OAEP-256, key wrapped with SHA-1",
        build("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP-256\"}", wrap("RSA/ECB/OAEPPadding", SHA1, CEK), CEK));
    cases.put("header RSA-OAEP, key wrapped with SHA-256",
        build(OAEP_HEADER, wrap("RSA/ECB/OAEPPadding", SHA256, CEK), CEK));
    cases.put("header RSA-OAEP, key wrapped with PKCS#1 v1.5 (Pkcs15WithOaepKey)",
        build(OAEP_HEADER, wrap("RSA/ECB/PKCS1Padding", null, CEK), CEK));
    cases.put("non-empty OAEP label",
        build(OAEP_HEADER, wrap("RSA/ECB/OAEPPadding", new OAEPParameterSpec("SHA-1", "MGF1",
            MGF1ParameterSpec.SHA1, new PSource.PSpecified(new byte[] {1})), CEK), CEK));
    byte[] shortCek = sequence(16, 1);
    cases.put("content key of 16 bytes", build(OAEP_HEADER, wrap("RSA/ECB/OAEPPadding", SHA1, shortCek),
        sequence(32, 1)));
    byte[] wrapped = Bytes.fromBase64Url(p[1]).toByteArray();
    byte[] prepended = new byte[257];
    System.arraycopy(wrapped, 0, prepended, 1, 256);
    cases.put("encrypted key with a zero byte prepended", withPart(v, 1, b64(prepended)));
    cases.put("encrypted key one byte short", withPart(v, 1, b64(Arrays.copyOf(wrapped, 255))));
    cases.put("encrypted key 0", withPart(v, 1, b64(new byte[256])));
    byte[] one = new byte[256];
    one[255] = 1;
    cases.put("encrypted key 1", withPart(v, 1, b64(one)));
    cases.put("encrypted key = n", withPart(v, 1, b64(Arrays.copyOfRange(n.toByteArray(), 1, 257))));
    cases.put("encrypted key all ones (> n)", withPart(v, 1, b64(filled(256, 0xFF))));
    cases.put("header not JSON", withPart(v, 0, b64("not json")));
    cases.put("header a JSON array", withPart(v, 0, b64("[\"RSA-OAEP\"]")));
    cases.put("header not UTF-8", withPart(v, 0, b64(new byte[] {'{', (byte) 0xC3, '}'})));
    cases.put("header truncated JSON", withPart(v, 0, b64("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"")));
    cases.put("header alg missing", buildOaep("{\"enc\":\"A256GCM\"}"));
    cases.put("header alg not a string", buildOaep("{\"enc\":\"A256GCM\",\"alg\":1}"));
    cases.put("header alg null", buildOaep("{\"enc\":\"A256GCM\",\"alg\":null}"));
    cases.put("header alg lower case", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"rsa-oaep\"}"));
    cases.put("header enc A128GCM", buildOaep("{\"enc\":\"A128GCM\",\"alg\":\"RSA-OAEP\"}"));
    cases.put("header enc A256CBC-HS512", buildOaep("{\"enc\":\"A256CBC-HS512\",\"alg\":\"RSA-OAEP\"}"));
    cases.put("header enc missing", buildOaep("{\"alg\":\"RSA-OAEP\"}"));
    cases.put("header zip DEF", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"zip\":\"DEF\"}"));
    cases.put("header crit", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"crit\":[\"exp\"]}"));
    cases.put("header unknown member", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"x\":\"y\"}"));
    cases.put("header jwk", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"jwk\":{}}"));
    cases.put("header duplicate alg",
        buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA1_5\",\"alg\":\"RSA-OAEP\"}"));
    cases.put("header kid not a string", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"kid\":7}"));
    cases.put("wrong key: another transport key", "USE_OTHER_KEY");
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, String> c : cases.entrySet()) {
      tests.add(DynamicTest.dynamicTest(c.getKey(), () -> {
        if (c.getValue().equals("USE_OTHER_KEY")) {
          assertTheOneFailure(v, OTHER_KEY.getPrivate(), KeyAlgorithm.RSA_OAEP);
        } else {
          assertTheOneFailure(c.getValue(), KEY.getPrivate(), KeyAlgorithm.RSA_OAEP);
        }
      }));
    }
    return tests;
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @TestFactory
  List<DynamicTest> refusedAlgorithmsNeverReachTheRsaKey() throws Exception {
    byte[] pkcs1 = wrap("RSA/ECB/PKCS1Padding", null, CEK);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("RSA1_5", build("{\"enc\":\"A256GCM\",\"alg\":\"RSA1_5\"}", pkcs1, CEK));
    cases.put("dir", build("{\"enc\":\"A256GCM\",\"alg\":\"dir\"}", new byte[256], CEK));
    cases.put("zip DEF", buildOaep("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\",\"zip\":\"DEF\"}"));
    cases.put("PBES2 with a huge p2c",
        build("{\"enc\":\"A256GCM\",\"alg\":\"PBES2-HS256+A128KW\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":2000000000}",
            new byte[40], CEK));
    cases.put("ECDH-ES", build("{\"enc\":\"A256GCM\",\"alg\":\"ECDH-ES\",\"epk\":{\"kty\":\"EC\"}}",
        new byte[256], CEK));
    cases.put("RSA-OAEP-256 while RSA-OAEP is pinned",
        StrictJwe.encrypt(PLAINTEXT, CEK, pub(), KeyAlgorithm.RSA_OAEP_256));
    cases.put("enc A128CBC-HS256", buildOaep("{\"enc\":\"A128CBC-HS256\",\"alg\":\"RSA-OAEP\"}"));
    List<DynamicTest> tests = new ArrayList<>();
    for (Map.Entry<String, String> c : cases.entrySet()) {
      tests.add(DynamicTest.dynamicTest(c.getKey(), () -> {
        TripwireKey key = new TripwireKey((RSAPrivateKey) KEY.getPrivate());
        assertTheOneFailure(c.getValue(), key, KeyAlgorithm.RSA_OAEP);
        assertEquals(0, key.touches, "the RSA key was used before the header was refused");
      }));
    }
    return tests;
  }

  @Test
  void tripwireNoticesRsaWorkOnAnAcceptedHeader() throws Exception {
    TripwireKey key = new TripwireKey((RSAPrivateKey) KEY.getPrivate());
    assertArrayEquals(CEK, StrictJwe.decrypt(valid(), key, KeyAlgorithm.RSA_OAEP).contentKey());
    assertTrue(key.touches > 0);
  }

  @Test
  void unwrapHelperUsesExplicitParametersAndRefusesLabels() throws Exception {
    PrivateKey k = KEY.getPrivate();
    assertArrayEquals(CEK, StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP, wrap("RSA/ECB/OAEPPadding", SHA1, CEK)));
    assertArrayEquals(
        CEK, StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP_256, wrap("RSA/ECB/OAEPPadding", SHA256, CEK)));
    assertNull(StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP_256, wrap("RSA/ECB/OAEPPadding", SHA1, CEK)));
    OAEPParameterSpec sha256Mgf1Sha1 =
        new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
    assertNull(StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP_256, wrap("RSA/ECB/OAEPPadding", sha256Mgf1Sha1, CEK)));
    OAEPParameterSpec labelled = new OAEPParameterSpec(
        "SHA-1", "MGF1", MGF1ParameterSpec.SHA1, new PSource.PSpecified("label".getBytes(StandardCharsets.US_ASCII)));
    assertNull(StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP, wrap("RSA/ECB/OAEPPadding", labelled, CEK)));
    assertNull(StrictJwe.oaepUnwrap(k, KeyAlgorithm.RSA_OAEP, new byte[0]));
  }

  /**
   * Why the name-only SunJCE transformation is forbidden: "OAEPWithSHA-256AndMGF1Padding" without parameters
   * means SHA-256 with MGF1-SHA-1, so it cannot read a JOSE RSA-OAEP-256 key, and it reads a non-JOSE one.
   */
  @Test
  void nameOnlySunJceTransformationPairsSha256WithMgf1Sha1() throws Exception {
    byte[] jose256 = wrap("RSA/ECB/OAEPPadding", SHA256, CEK);
    Cipher nameOnly = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    nameOnly.init(Cipher.DECRYPT_MODE, KEY.getPrivate());
    assertThrows(BadPaddingException.class, () -> nameOnly.doFinal(jose256));
    Cipher nameOnlyEncrypt = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    nameOnlyEncrypt.init(Cipher.ENCRYPT_MODE, pub());
    byte[] mixed = nameOnlyEncrypt.doFinal(CEK);
    assertNull(StrictJwe.oaepUnwrap(KEY.getPrivate(), KeyAlgorithm.RSA_OAEP_256, mixed));
    assertNotNull(StrictJwe.oaepUnwrap(KEY.getPrivate(), KeyAlgorithm.RSA_OAEP_256, jose256));
  }

  /** An RSA private key that counts every use, to prove that refused headers never reach RSA. */
  private static final class TripwireKey implements RSAPrivateKey {
    private static final long serialVersionUID = 1L;
    private final transient RSAPrivateKey real;
    int touches;

    TripwireKey(RSAPrivateKey real) {
      this.real = real;
    }

    @Override
    public BigInteger getPrivateExponent() {
      touches++;
      return real.getPrivateExponent();
    }

    @Override
    public BigInteger getModulus() {
      touches++;
      return real.getModulus();
    }

    @Override
    public String getAlgorithm() {
      touches++;
      return real.getAlgorithm();
    }

    @Override
    public String getFormat() {
      touches++;
      return real.getFormat();
    }

    @Override
    public byte[] getEncoded() {
      touches++;
      return real.getEncoded();
    }
  }
}
