package dev.ngc4j.core.internal.krb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 3962 encryption types (aes128/aes256-cts-hmac-sha1-96): the RFC's Appendix B string-to-key vectors, and
 * MIT krb5's known answers for key derivation, decryption of MIT-made ciphertexts and keyed checksums (the values
 * of krb5/krb5 {@code src/lib/crypto/crypto_tests/t_derive.c}, {@code t_decrypt.c} and {@code t_cksums.c}), which
 * pin the parts RFC 3962 has no vectors for: DK with usage constants, the HMAC over the plaintext, and the
 * confounder layout.
 */
final class Rfc3962VectorsTest {

  private static final byte[] ATHENA = "ATHENA.MIT.EDUraeburn".getBytes(StandardCharsets.US_ASCII);

  /** RFC 3962 Appendix B: iterations, pass phrase, salt, 128-bit PBKDF2 output, 128-bit key, 256-bit PBKDF2, 256-bit key. */
  static Stream<Arguments> appendixB() {
    String x64 = "X".repeat(64);
    return Stream.of(
        Arguments.of(1, "password", ATHENA,
            "cd ed b5 28 1b b2 f8 01 56 5a 11 22 b2 56 35 15",
            "42 26 3c 6e 89 f4 fc 28 b8 df 68 ee 09 79 9f 15",
            "cd ed b5 28 1b b2 f8 01 56 5a 11 22 b2 56 35 15 0a d1 f7 a0 4b b9 f3 a3 33 ec c0 e2 e1 f7 08 37",
            "fe 69 7b 52 bc 0d 3c e1 44 32 ba 03 6a 92 e6 5b bb 52 28 09 90 a2 fa 27 88 39 98 d7 2a f3 01 61"),
        Arguments.of(2, "password", ATHENA,
            "01 db ee 7f 4a 9e 24 3e 98 8b 62 c7 3c da 93 5d",
            "c6 51 bf 29 e2 30 0a c2 7f a4 69 d6 93 bd da 13",
            "01 db ee 7f 4a 9e 24 3e 98 8b 62 c7 3c da 93 5d a0 53 78 b9 32 44 ec 8f 48 a9 9e 61 ad 79 9d 86",
            "a2 e1 6d 16 b3 60 69 c1 35 d5 e9 d2 e2 5f 89 61 02 68 56 18 b9 59 14 b4 67 c6 76 22 22 58 24 ff"),
        Arguments.of(1200, "password", ATHENA,
            "5c 08 eb 61 fd f7 1e 4e 4e c3 cf 6b a1 f5 51 2b",
            "4c 01 cd 46 d6 32 d0 1e 6d be 23 0a 01 ed 64 2a",
            "5c 08 eb 61 fd f7 1e 4e 4e c3 cf 6b a1 f5 51 2b a7 e5 2d db c5 e5 14 2f 70 8a 31 e2 e6 2b 1e 13",
            "55 a6 ac 74 0a d1 7b 48 46 94 10 51 e1 e8 b0 a7 54 8d 93 b0 ab 30 a8 bc 3f f1 62 80 38 2b 8c 2a"),
        Arguments.of(5, "password", Hex.bytes("1234567878563412"),
            "d1 da a7 86 15 f2 87 e6 a1 c8 b1 20 d7 06 2a 49",
            "e9 b2 3d 52 27 37 47 dd 5c 35 cb 55 be 61 9d 8e",
            "d1 da a7 86 15 f2 87 e6 a1 c8 b1 20 d7 06 2a 49 3f 98 d2 03 e6 be 49 a6 ad f4 fa 57 4b 6e 64 ee",
            "97 a4 e7 86 be 20 d8 1a 38 2d 5e bc 96 d5 90 9c ab cd ad c8 7c a4 8f 57 45 04 15 9f 16 c3 6e 31"),
        Arguments.of(1200, x64, "pass phrase equals block size".getBytes(StandardCharsets.US_ASCII),
            "13 9c 30 c0 96 6b c3 2b a5 5f db f2 12 53 0a c9",
            "59 d1 bb 78 9a 82 8b 1a a5 4e f9 c2 88 3f 69 ed",
            "13 9c 30 c0 96 6b c3 2b a5 5f db f2 12 53 0a c9 c5 ec 59 f1 a4 52 f5 cc 9a d9 40 fe a0 59 8e d1",
            "89 ad ee 36 08 db 8b c7 1f 1b fb fe 45 94 86 b0 56 18 b7 0c ba e2 20 92 53 4e 56 c5 53 ba 4b 34"),
        Arguments.of(1200, x64 + "X", "pass phrase exceeds block size".getBytes(StandardCharsets.US_ASCII),
            "9c ca d6 d4 68 77 0c d5 1b 10 e6 a6 87 21 be 61",
            "cb 80 05 dc 5f 90 17 9a 7f 02 10 4c 00 18 75 1d",
            "9c ca d6 d4 68 77 0c d5 1b 10 e6 a6 87 21 be 61 1a 8b 4d 28 26 01 db 3b 36 be 92 46 91 5e c8 2a",
            "d7 8c 5c 9c b8 72 a8 c9 da d4 69 7f 0b b5 b2 d2 14 96 c8 2b eb 2c ae da 21 12 fc ee a0 57 40 1b"),
        // g-clef, U+1D11E: UTF-8 f0 9d 84 9e
        Arguments.of(50, "\uD834\uDD1E", "EXAMPLE.COMpianist".getBytes(StandardCharsets.US_ASCII),
            "6b 9c f2 6d 45 45 5a 43 a5 b8 bb 27 6a 40 3b 39",
            "f1 49 c1 f2 e1 54 a7 34 52 d4 3e 7f e6 2a 56 e5",
            "6b 9c f2 6d 45 45 5a 43 a5 b8 bb 27 6a 40 3b 39 e7 fe 37 a0 c4 1e 02 c2 81 ff 30 69 e1 e9 4f 52",
            "4b 6d 98 39 f8 44 06 df 1f 09 cc 16 6d b4 b8 3c 57 18 48 b7 84 a3 d6 bd c3 46 58 9a 3e 39 3f 9e"));
  }

  @ParameterizedTest(name = "{index}: {0} iterations")
  @MethodSource("appendixB")
  void stringToKeyMatchesAppendixB(
      int iterations, String passPhrase, byte[] salt, String pbkdf128, String key128, String pbkdf256,
      String key256) {
    byte[] password = passPhrase.getBytes(StandardCharsets.UTF_8);
    assertEquals(pbkdf128, spaced(KeyDerivation.pbkdf2("HmacSHA1", password, salt, iterations, 16)));
    assertEquals(pbkdf256, spaced(KeyDerivation.pbkdf2("HmacSHA1", password, salt, iterations, 32)));
    KerberosKey k128 =
        KerberosCrypto.stringToKey(EncType.AES128_CTS_HMAC_SHA1_96, passPhrase.toCharArray(), salt, iterations);
    KerberosKey k256 =
        KerberosCrypto.stringToKey(EncType.AES256_CTS_HMAC_SHA1_96, passPhrase.toCharArray(), salt, iterations);
    assertEquals(key128, spaced(k128.bytes()));
    assertEquals(key256, spaced(k256.bytes()));
  }

  private static String spaced(byte[] bytes) {
    String hex = Hex.hex(bytes);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }

  /** MIT krb5 t_derive.c: Kc, Ke, Ki for usage 2 of the RFC 3962 keys above (constants 0000000299/AA/55). */
  @Nested
  final class MitKeyDerivation {
    @Test
    void aes128() {
      byte[] base = Hex.bytes("42263C6E89F4FC28B8DF68EE09799F15");
      EncType t = EncType.AES128_CTS_HMAC_SHA1_96;
      assertArrayEquals(Hex.bytes("34280A382BC92769B2DA2F9EF066854B"), KeyDerivation.usageKey(t, base, 2, 0x99));
      assertArrayEquals(Hex.bytes("5B14FC4E250E14DDF9DCCF1AF6674F53"), KeyDerivation.usageKey(t, base, 2, 0xAA));
      assertArrayEquals(Hex.bytes("4ED31063621684F09AE8D89991AF3E8F"), KeyDerivation.usageKey(t, base, 2, 0x55));
    }

    @Test
    void aes256() {
      byte[] base = Hex.bytes("FE697B52BC0D3CE14432BA036A92E65BBB52280990A2FA27883998D72AF30161");
      EncType t = EncType.AES256_CTS_HMAC_SHA1_96;
      assertArrayEquals(
          Hex.bytes("BFAB388BDCB238E9F9C98D6A878304F04D30C82556375AC507A7A852790F4674"),
          KeyDerivation.usageKey(t, base, 2, 0x99));
      assertArrayEquals(
          Hex.bytes("C7CFD9CD75FE793A586A542D87E0D1396F1134A104BB1A9190B8C90ADA3DDF37"),
          KeyDerivation.usageKey(t, base, 2, 0xAA));
      assertArrayEquals(
          Hex.bytes("97151B4C76945063E2EB0529DC067D97D7BBA90776D8126D91F34F3101AEA8BA"),
          KeyDerivation.usageKey(t, base, 2, 0x55));
    }
  }

  /** MIT krb5 t_decrypt.c: ciphertexts MIT's krb5_c_encrypt made with random confounders, decrypted here. */
  static Stream<Arguments> mitCiphertexts() {
    return Stream.of(
        Arguments.of(EncType.AES128_CTS_HMAC_SHA1_96, "", 0,
            "5A5C0F0BA54F3828B2195E66CA24A289",
            "49FF8E11C173D9583A3254FBE7B1F1DF36C538E8416784A1672E6676"),
        Arguments.of(EncType.AES128_CTS_HMAC_SHA1_96, "1", 1,
            "98450E3F3BAA13F5C99BEB936981B06F",
            "F86742F537B35DC2174A4DBAA920FAF9042090B065E1EBB1CAD9A65394"),
        Arguments.of(EncType.AES128_CTS_HMAC_SHA1_96, "9 bytesss", 2,
            "9062430C8CDA3388922E6D6A509F5B7A",
            "68FB9679601F45C78857B2BF820FD6E53ECA8D42FD4B1D7024A09205ABB7CD2EC26C355D2F"),
        Arguments.of(EncType.AES128_CTS_HMAC_SHA1_96, "13 bytes byte", 3,
            "033EE6502C54FD23E27791E987983827",
            "EC366D0327A933BF49330E650E49BC6B974637FE80BF532FE51795B4809718E6194724DB948D1FD637"),
        Arguments.of(EncType.AES128_CTS_HMAC_SHA1_96, "30 bytes bytes bytes bytes byt", 4,
            "DCEEB70B3DE76562E689226C76429148",
            "C96081032D5D8EEB7E32B4089F789D0FAA481DEA74C0F97CBF3146DDFCF8E800156ECB532FC203E30FF600B63B350939"
                + "FECE510F02D7FF1E7BAC"),
        Arguments.of(EncType.AES256_CTS_HMAC_SHA1_96, "", 0,
            "17F275F2954F2ED1F90C377BA7F4D6A369AA0136E0BF0C927AD6133C693759A9",
            "E5094C55EE7B38262E2B044280B069379A95BF95BD8376FB3281B435"),
        Arguments.of(EncType.AES256_CTS_HMAC_SHA1_96, "1", 1,
            "B9477E1FF0329C0050E20CE6C72D2DFF27E8FE541AB0954429A9CB5B4F7B1E2A",
            "406150B97AEB76D43B36B62CC1ECDFBE6F40E95755E0BEB5C27825F3A4"),
        Arguments.of(EncType.AES256_CTS_HMAC_SHA1_96, "9 bytesss", 2,
            "B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7",
            "09957AA25FCAF88F7B39E4406E633012D5FEA21853F6478DA7065CAEF41FD454A40824EEC5"),
        Arguments.of(EncType.AES256_CTS_HMAC_SHA1_96, "13 bytes byte", 3,
            "E5A72BE9B7926C1225BAFEF9C1872E7BA4CDB2B17893D84ABD90ACDD8764D966",
            "D8F1AAFEEC84587CC3E700A774E56651A6D693E174EC4473B5E6D96F80297A653FB818AD893E719F96"),
        Arguments.of(EncType.AES256_CTS_HMAC_SHA1_96, "30 bytes bytes bytes bytes byt", 4,
            "F1C795E9248A09338D82C3F8D5B567040B0110736845041347235B1404231398",
            "D1137A4D634CFECE924DBC3BF6790648BD5CFF7DE0E7B99460211D0DAEF3D79A295C688858F3B34B9CBD6EEBAE81DAF6"
                + "B734D4D498B6714F1C1D"));
  }

  @ParameterizedTest(name = "{index}: {0} \"{1}\"")
  @MethodSource("mitCiphertexts")
  void decryptsMitCiphertexts(EncType type, String plaintext, int usage, String key, String ciphertext)
      throws KrbCryptoException {
    KerberosKey k = new KerberosKey(type, Hex.bytes(key));
    byte[] decrypted = KerberosCrypto.decrypt(k, usage, Hex.bytes(ciphertext));
    assertEquals(plaintext, new String(decrypted, StandardCharsets.US_ASCII));
    // The same key with the neighbouring usage must not verify.
    assertTrue(failsToDecrypt(k, usage + 1, Hex.bytes(ciphertext)));
  }

  private static boolean failsToDecrypt(KerberosKey key, int usage, byte[] ciphertext) {
    try {
      KerberosCrypto.decrypt(key, usage, ciphertext);
      return false;
    } catch (KrbCryptoException e) {
      return e.reason() == KrbCryptoException.Reason.INTEGRITY;
    }
  }

  /** MIT krb5 t_cksums.c: hmac-sha1-96-aes128 (15) and hmac-sha1-96-aes256 (16). */
  @Test
  void keyedChecksumsMatchMit() {
    KerberosKey k128 = new KerberosKey(EncType.AES128_CTS_HMAC_SHA1_96, Hex.bytes("9062430C8CDA3388922E6D6A509F5B7A"));
    byte[] data128 = "eight nine ten eleven twelve thirteen".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(Hex.bytes("01A4B088D45628F6946614E3"), KerberosCrypto.checksum(k128, 3, data128));
    assertTrue(KerberosCrypto.verifyChecksum(k128, 3, data128, Hex.bytes("01A4B088D45628F6946614E3")));

    KerberosKey k256 =
        new KerberosKey(
            EncType.AES256_CTS_HMAC_SHA1_96,
            Hex.bytes("B1AE4CD8462AFF1677053CC9279AAC30B796FB81CE21474DD3DDBCFEA4EC76D7"));
    byte[] data256 = "fourteen".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(Hex.bytes("E08739E3279E2903EC8E3836"), KerberosCrypto.checksum(k256, 4, data256));
    assertEquals(15, k128.type().checksumType());
    assertEquals(16, k256.type().checksumType());
  }

  /** MIT krb5 t_cksums.c: the unkeyed SHA-1 of the empty string (checksum type 14), plus FIPS 180 "abc". */
  @Test
  void sha1MatchesKnownAnswers() {
    assertArrayEquals(Hex.bytes("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"), KerberosCrypto.sha1(new byte[0]));
    assertArrayEquals(
        Hex.bytes("A9993E364706816ABA3E25717850C26C9CD0D89D"),
        KerberosCrypto.sha1("abc".getBytes(StandardCharsets.US_ASCII)));
  }
}
