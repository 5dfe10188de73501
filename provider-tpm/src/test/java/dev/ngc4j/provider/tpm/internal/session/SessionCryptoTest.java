package dev.ngc4j.provider.tpm.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests. Sources of the expected values: the KDFa self-test vector of the TPM 2.0 reference
 * implementation (libtpms {@code KdfTestData.h}: key, label "KDFSELFTESTLABEL", contexts, 160-bit outputs for SHA-1
 * and SHA-256); further KDFa values computed for this test with Python's {@code hmac} module from the Part 1
 * definition; RFC 4231 for HMAC-SHA-256; NIST SP 800-38A F.3.13 (CFB128-AES128) for AES-CFB, its partial last block
 * checked with {@code openssl enc -aes-128-cfb}.
 */
class SessionCryptoTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  private static byte[] range(int from, int count) {
    byte[] b = new byte[count];
    for (int i = 0; i < count; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  @Nested
  class Kdfa {
    private final byte[] selfTestKey = hex("271FA08BBDC5060EC3DFA928FF9B73123A12DA0C");
    private final byte[] selfTestU = hex("CE244F395DCA7391");
    private final byte[] selfTestV = hex("DA504031DDF12E83");

    @Test
    void matchesTheReferenceImplementationSelfTestVectorForSha256() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, selfTestKey, "KDFSELFTESTLABEL", selfTestU, selfTestV, 160);
      assertEquals("bb0259e1c8ba607e6a2cd704b69a902e9ade84c4", HEX.formatHex(out));
    }

    @Test
    void matchesTheReferenceImplementationSelfTestVectorForSha1() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA1, selfTestKey, "KDFSELFTESTLABEL", selfTestU, selfTestV, 160);
      assertEquals("55b5a7184aa07423c47dae766c26a2377d7cf851", HEX.formatHex(out));
    }

    @Test
    void aLabelThatAlreadyEndsWithZeroIsNotTerminatedTwice() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, selfTestKey, "KDFSELFTESTLABEL\0", selfTestU, selfTestV, 160);
      assertEquals("bb0259e1c8ba607e6a2cd704b69a902e9ade84c4", HEX.formatHex(out));
    }

    @Test
    void derivesASessionKeyLikeStartAuthSession() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, range(0, 32), "ATH", range(0x40, 32), range(0x80, 32), 256);
      assertEquals("4cfbf4144b94620cadfb0b65f86d9772cd5c3fd3adb70f6cdf5ac455e51b0485", HEX.formatHex(out));
    }

    @Test
    void derivesTheCfbKeyAndIvFromSessionKeyAndAuthValue() {
      byte[] sessionValue = SessionCrypto.concat(range(0, 32), new byte[] {(byte) 0xaa, (byte) 0xaa, (byte) 0xaa,
          (byte) 0xaa, (byte) 0xaa});
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, sessionValue, "CFB", range(0x40, 32), range(0x80, 32), 256);
      assertEquals("68dd8088e761c8e1b672f453f1b7945bca68bf893cd0625a6f84508105c6c352", HEX.formatHex(out));
    }

    @Test
    void concatenatesCounterBlocksAndTruncatesForLongOutputs() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, range(0, 32), "XYZ", range(0x40, 32), range(0x80, 32), 600);
      assertEquals(
          "5e13befc322a12c2725d8ccf340a93f39433dc72694d2eafc05a0e22640078a7942471063636d2fcd312c5b775bcffa367ebbfd7aa"
              + "12bc1fb40911f3982f98f77156940f4f5c27cfa43fd3",
          HEX.formatHex(out));
    }

    @Test
    void acceptsEmptyContexts() {
      byte[] out = SessionCrypto.kdfa(HashAlg.SHA256, range(0, 32), "ATH", new byte[0], new byte[0], 256);
      assertEquals("b55a59ce55ee2b5d81667560355fd8fb3c9817a173d3ffaf7b6b502c94c42415", HEX.formatHex(out));
    }

    @Test
    void refusesBitCountsThatAreNotWholeBytes() {
      assertThrows(
          IllegalArgumentException.class,
          () -> SessionCrypto.kdfa(HashAlg.SHA256, new byte[1], "A", new byte[0], new byte[0], 12));
      assertThrows(
          IllegalArgumentException.class,
          () -> SessionCrypto.kdfa(HashAlg.SHA256, new byte[1], "A", new byte[0], new byte[0], 0));
    }
  }

  @Nested
  class Hmac {
    @Test
    void matchesRfc4231TestCase1() {
      byte[] key = new byte[20];
      Arrays.fill(key, (byte) 0x0b);
      byte[] mac = SessionCrypto.hmac(HashAlg.SHA256, key, "Hi There".getBytes(StandardCharsets.US_ASCII));
      assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", HEX.formatHex(mac));
    }

    @Test
    void matchesRfc4231TestCase6WithAKeyLongerThanTheBlock() {
      byte[] key = new byte[131];
      Arrays.fill(key, (byte) 0xaa);
      byte[] mac = SessionCrypto.hmac(
          HashAlg.SHA256,
          key,
          "Test Using Larger Than Block-Size Key - ".getBytes(StandardCharsets.US_ASCII),
          "Hash Key First".getBytes(StandardCharsets.US_ASCII));
      assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", HEX.formatHex(mac));
    }

    @Test
    void agreesWithTheJcaMacForEveryHashAndKeyLength() throws Exception {
      SecureRandom random = new SecureRandom();
      for (HashAlg alg : HashAlg.values()) {
        for (int keyLength : new int[] {1, 20, 32, 64, 65, 128, 129, 200}) {
          byte[] key = new byte[keyLength];
          byte[] data = new byte[77];
          random.nextBytes(key);
          random.nextBytes(data);
          Mac mac = Mac.getInstance("Hmac" + alg.jcaName().replace("-", ""));
          mac.init(new SecretKeySpec(key, "HMAC"));
          assertArrayEquals(
              mac.doFinal(data),
              SessionCrypto.hmac(alg, key, Arrays.copyOf(data, 10), Arrays.copyOfRange(data, 10, 77)),
              alg + " key length " + keyLength);
        }
      }
    }

    @Test
    void acceptsAnEmptyKeyAsTheTpmDoesForAnUnsaltedUnboundSession() throws Exception {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[1], "HMAC")); // zero padding makes {0} equivalent to the empty key
      assertArrayEquals(mac.doFinal(new byte[] {1, 2, 3}), SessionCrypto.hmac(HashAlg.SHA256, new byte[0],
          new byte[] {1, 2, 3}));
    }

    @Test
    void leavesTheKeyUntouched() {
      byte[] key = range(1, 100);
      SessionCrypto.hmac(HashAlg.SHA256, key, new byte[] {1});
      assertArrayEquals(range(1, 100), key);
    }
  }

  @Nested
  class Cfb {
    private final byte[] nistKeyAndIv = hex("2b7e151628aed2a6abf7158809cf4f3c000102030405060708090a0b0c0d0e0f");

    @Test
    void matchesNistSp80038aCfb128Aes128IncludingAPartialLastBlock() {
      byte[] data = hex("ff6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81cff");
      SessionCrypto.aesCfb(true, nistKeyAndIv, data, 1, data.length - 2);
      assertEquals(
          "ff3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751fff", HEX.formatHex(data));
    }

    @Test
    void decryptsWhatItEncrypted() {
      byte[] data = hex("3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b26751f");
      SessionCrypto.aesCfb(false, nistKeyAndIv, data, 0, data.length);
      assertEquals(
          "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c", HEX.formatHex(data));
    }

    @Test
    void parameterEncryptionRoundTripsAndDependsOnNonceOrder() {
      byte[] sessionValue = range(0, 40);
      byte[] newer = range(0x40, 32);
      byte[] older = range(0x80, 32);
      byte[] plain = range(7, 33);
      byte[] data = plain.clone();
      SessionCrypto.cfb(true, HashAlg.SHA256, sessionValue, newer, older, data, 0, data.length);
      assertFalse(Arrays.equals(plain, data));
      byte[] swapped = data.clone();
      SessionCrypto.cfb(false, HashAlg.SHA256, sessionValue, older, newer, swapped, 0, swapped.length);
      assertFalse(Arrays.equals(plain, swapped));
      SessionCrypto.cfb(false, HashAlg.SHA256, sessionValue, newer, older, data, 0, data.length);
      assertArrayEquals(plain, data);
    }

    @Test
    void parameterEncryptionUsesKdfaCfbKeyThenIv() {
      byte[] sessionValue = range(0, 40);
      byte[] data = range(7, 20);
      byte[] expected = data.clone();
      byte[] keyAndIv = SessionCrypto.kdfa(HashAlg.SHA256, sessionValue, "CFB", range(1, 32), range(2, 32), 256);
      SessionCrypto.aesCfb(true, keyAndIv, expected, 0, expected.length);
      SessionCrypto.cfb(true, HashAlg.SHA256, sessionValue, range(1, 32), range(2, 32), data, 0, data.length);
      assertArrayEquals(expected, data);
    }
  }

  @Test
  void trimAuthRemovesOnlyTrailingZeros() {
    assertArrayEquals(new byte[] {0, 1, 0, 2}, SessionCrypto.trimAuth(new byte[] {0, 1, 0, 2, 0, 0}));
    assertArrayEquals(new byte[0], SessionCrypto.trimAuth(new byte[33]));
    assertArrayEquals(new byte[] {5}, SessionCrypto.trimAuth(new byte[] {5}));
  }
}
