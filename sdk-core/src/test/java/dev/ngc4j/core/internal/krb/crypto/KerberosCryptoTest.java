package dev.ngc4j.core.internal.krb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of encryption, decryption, checksums and keys beyond the vectors: tampering, misuse, lengths. */
final class KerberosCryptoTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static KerberosKey randomKey(EncType type) {
    byte[] bytes = new byte[type.keyLength()];
    RANDOM.nextBytes(bytes);
    return KerberosCrypto.randomToKey(type, bytes);
  }

  @Nested
  final class EncryptDecrypt {
    @ParameterizedTest
    @EnumSource(EncType.class)
    void roundTripsEveryLength(EncType type) throws KrbCryptoException {
      KerberosKey key = randomKey(type);
      for (int len : new int[] {0, 1, 15, 16, 17, 31, 32, 33, 100, 1000}) {
        byte[] plain = new byte[len];
        RANDOM.nextBytes(plain);
        byte[] cipher = KerberosCrypto.encrypt(key, KeyUsage.AS_REP_ENC_PART, plain, RANDOM);
        assertEquals(16 + len + type.checksumLength(), cipher.length);
        assertArrayEquals(plain, KerberosCrypto.decrypt(key, KeyUsage.AS_REP_ENC_PART, cipher));
      }
    }

    @ParameterizedTest
    @EnumSource(EncType.class)
    void aFreshConfounderMakesEveryCiphertextDifferent(EncType type) {
      KerberosKey key = randomKey(type);
      byte[] plain = "same plaintext".getBytes(StandardCharsets.US_ASCII);
      assertFalse(
          Arrays.equals(
              KerberosCrypto.encrypt(key, 3, plain, RANDOM), KerberosCrypto.encrypt(key, 3, plain, RANDOM)));
    }

    @ParameterizedTest
    @EnumSource(EncType.class)
    void flippingAnyBitOfAnyByteFailsTheIntegrityCheck(EncType type) {
      KerberosKey key = randomKey(type);
      byte[] cipher = KerberosCrypto.encrypt(key, KeyUsage.KDC_REP_TICKET, new byte[21], RANDOM);
      for (int i = 0; i < cipher.length; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
          byte[] tampered = cipher.clone();
          tampered[i] ^= (byte) (1 << bit);
          KrbCryptoException e =
              assertThrows(
                  KrbCryptoException.class, () -> KerberosCrypto.decrypt(key, KeyUsage.KDC_REP_TICKET, tampered));
          assertEquals(KrbCryptoException.Reason.INTEGRITY, e.reason());
        }
      }
    }

    @ParameterizedTest
    @EnumSource(EncType.class)
    void aWrongUsageOrKeyFails(EncType type) {
      KerberosKey key = randomKey(type);
      byte[] cipher = KerberosCrypto.encrypt(key, KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, new byte[40], RANDOM);
      KrbCryptoException usage =
          assertThrows(
              KrbCryptoException.class, () -> KerberosCrypto.decrypt(key, KeyUsage.AS_REP_ENC_PART, cipher));
      assertEquals(KrbCryptoException.Reason.INTEGRITY, usage.reason());
      assertTrue(String.valueOf(usage.getMessage()).contains(type.mitName()));
      assertThrows(
          KrbCryptoException.class,
          () -> KerberosCrypto.decrypt(randomKey(type), KeyUsage.TGS_REP_ENC_PART_SESSION_KEY, cipher));
    }

    @ParameterizedTest
    @EnumSource(EncType.class)
    void truncatedOrShortCiphertextsFail(EncType type) {
      KerberosKey key = randomKey(type);
      int minimum = 16 + type.checksumLength();
      for (int len = 0; len < minimum; len++) {
        byte[] shortCipher = new byte[len];
        KrbCryptoException e =
            assertThrows(KrbCryptoException.class, () -> KerberosCrypto.decrypt(key, 1, shortCipher));
        assertEquals(KrbCryptoException.Reason.MALFORMED, e.reason());
      }
      byte[] cipher = KerberosCrypto.encrypt(key, 1, new byte[5], RANDOM);
      byte[] truncated = Arrays.copyOf(cipher, cipher.length - 1);
      assertThrows(KrbCryptoException.class, () -> KerberosCrypto.decrypt(key, 1, truncated));
      byte[] minimal = KerberosCrypto.encrypt(key, 1, new byte[0], RANDOM);
      assertEquals(minimum, minimal.length);
    }

    @Test
    void aKeyOfAnotherTypeWithTheSameBytesFails() {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      KerberosKey sha1 = new KerberosKey(EncType.AES256_CTS_HMAC_SHA1_96, bytes);
      KerberosKey sha384 = new KerberosKey(EncType.AES256_CTS_HMAC_SHA384_192, bytes);
      byte[] cipher = KerberosCrypto.encrypt(sha1, 3, new byte[30], RANDOM);
      assertThrows(KrbCryptoException.class, () -> KerberosCrypto.decrypt(sha384, 3, cipher));
    }
  }

  @Nested
  final class Checksums {
    @ParameterizedTest
    @EnumSource(EncType.class)
    void verifiesOnlyTheSameDataKeyAndUsage(EncType type) {
      KerberosKey key = randomKey(type);
      byte[] data = "KDC-REQ-BODY".getBytes(StandardCharsets.US_ASCII);
      byte[] sum = KerberosCrypto.checksum(key, KeyUsage.TGS_REQ_AUTH_CKSUM, data);
      assertEquals(type.checksumLength(), sum.length);
      assertTrue(KerberosCrypto.verifyChecksum(key, KeyUsage.TGS_REQ_AUTH_CKSUM, data, sum));
      assertFalse(KerberosCrypto.verifyChecksum(key, KeyUsage.AP_REQ_AUTH_CKSUM, data, sum));
      assertFalse(KerberosCrypto.verifyChecksum(randomKey(type), KeyUsage.TGS_REQ_AUTH_CKSUM, data, sum));
      byte[] otherData = data.clone();
      otherData[0] ^= 1;
      assertFalse(KerberosCrypto.verifyChecksum(key, KeyUsage.TGS_REQ_AUTH_CKSUM, otherData, sum));
      assertFalse(
          KerberosCrypto.verifyChecksum(key, KeyUsage.TGS_REQ_AUTH_CKSUM, data, Arrays.copyOf(sum, sum.length - 1)));
      assertFalse(KerberosCrypto.verifyChecksum(key, KeyUsage.TGS_REQ_AUTH_CKSUM, data, new byte[0]));
    }
  }

  @Nested
  final class Keys {
    @Test
    void checksTheLengthAndCopiesInAndOut() {
      assertThrows(
          IllegalArgumentException.class, () -> new KerberosKey(EncType.AES256_CTS_HMAC_SHA1_96, new byte[16]));
      assertThrows(
          IllegalArgumentException.class, () -> KerberosCrypto.randomToKey(EncType.AES128_CTS_HMAC_SHA1_96, new byte[17]));
      byte[] bytes = new byte[16];
      bytes[0] = 7;
      KerberosKey key = new KerberosKey(EncType.AES128_CTS_HMAC_SHA256_128, bytes);
      bytes[0] = 8;
      byte[] out = key.bytes();
      assertEquals(7, out[0]);
      out[0] = 9;
      assertEquals(7, key.bytes()[0]);
    }

    @Test
    void destroyZeroesAndThenRefusesEveryUse() {
      KerberosKey key = randomKey(EncType.AES256_CTS_HMAC_SHA1_96);
      byte[] cipher = KerberosCrypto.encrypt(key, 3, new byte[3], RANDOM);
      assertFalse(key.isDestroyed());
      key.destroy();
      key.destroy();
      assertTrue(key.isDestroyed());
      assertThrows(IllegalStateException.class, key::bytes);
      assertThrows(IllegalStateException.class, () -> KerberosCrypto.encrypt(key, 3, new byte[3], RANDOM));
      assertThrows(IllegalStateException.class, () -> KerberosCrypto.decrypt(key, 3, cipher));
      assertThrows(IllegalStateException.class, () -> KerberosCrypto.checksum(key, 3, new byte[3]));
      assertTrue(key.toString().contains("destroyed"));
    }

    @Test
    void neverPrintsTheKeyAndComparesByIdentity() {
      byte[] bytes = new byte[16];
      Arrays.fill(bytes, (byte) 0xAB);
      KerberosKey a = new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, bytes);
      KerberosKey b = new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, bytes);
      assertFalse(a.toString().toLowerCase(java.util.Locale.ROOT).contains("abab"));
      assertTrue(a.toString().contains("aes128-cts-hmac-sha1-96"));
      assertNotEquals(a, b);
    }

    @Test
    void stringToKeyRefusesBadArguments() {
      byte[] salt = "EXAMPLE.COMuser".getBytes(StandardCharsets.US_ASCII);
      assertThrows(
          IllegalArgumentException.class,
          () -> KerberosCrypto.stringToKey(EncType.AES128_CTS_HMAC_SHA1_96, "pw".toCharArray(), salt, 0));
      assertThrows(
          IllegalArgumentException.class,
          () -> KerberosCrypto.stringToKey(EncType.AES128_CTS_HMAC_SHA1_96, new char[0], salt, 1));
      assertThrows(
          IllegalArgumentException.class,
          () -> KerberosCrypto.stringToKey(EncType.AES128_CTS_HMAC_SHA1_96, new char[] {'\uD834'}, salt, 1));
      char[] password = "pw".toCharArray();
      KerberosCrypto.stringToKey(EncType.AES128_CTS_HMAC_SHA1_96, password, salt, 1);
      assertArrayEquals("pw".toCharArray(), password);
    }
  }

  @Nested
  final class Types {
    @Test
    void numbersNamesAndLengths() {
      assertEquals(Optional.of(EncType.AES128_CTS_HMAC_SHA1_96), EncType.byId(17));
      assertEquals(Optional.of(EncType.AES256_CTS_HMAC_SHA1_96), EncType.byId(18));
      assertEquals(Optional.of(EncType.AES128_CTS_HMAC_SHA256_128), EncType.byId(19));
      assertEquals(Optional.of(EncType.AES256_CTS_HMAC_SHA384_192), EncType.byId(20));
      assertEquals(Optional.empty(), EncType.byId(23));
      assertEquals(Optional.empty(), EncType.byId(16));
      assertEquals("aes256-cts-hmac-sha1-96", EncType.AES256_CTS_HMAC_SHA1_96.mitName());
      assertEquals("aes128-cts-hmac-sha256-128", EncType.AES128_CTS_HMAC_SHA256_128.mitName());
      assertEquals("aes256-cts-hmac-sha384-192", EncType.AES256_CTS_HMAC_SHA384_192.mitName());
      assertEquals(16, EncType.AES128_CTS_HMAC_SHA1_96.keyLength());
      assertEquals(32, EncType.AES256_CTS_HMAC_SHA384_192.keyLength());
      assertEquals(4096, EncType.AES256_CTS_HMAC_SHA1_96.defaultIterations());
    }
  }
}
