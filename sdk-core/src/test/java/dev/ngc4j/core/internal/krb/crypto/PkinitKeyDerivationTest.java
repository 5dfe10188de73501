package dev.ngc4j.core.internal.krb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERGeneralString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The PKINIT reply key: RFC 8636 Appendix A vectors, and RFC 4556 octetstring2key known answers. */
final class PkinitKeyDerivationTest {

  /** DER of KRB5PrincipalName (RFC 4556 §3.2.2) with name type NT-PRINCIPAL (1). */
  static byte[] krb5PrincipalName(String realm, String... components) throws IOException {
    ASN1EncodableVector names = new ASN1EncodableVector();
    for (String c : components) {
      names.add(new DERGeneralString(c));
    }
    ASN1EncodableVector principalName = new ASN1EncodableVector();
    principalName.add(new DERTaggedObject(true, 0, new ASN1Integer(1)));
    principalName.add(new DERTaggedObject(true, 1, new DERSequence(names)));
    ASN1EncodableVector krb5 = new ASN1EncodableVector();
    krb5.add(new DERTaggedObject(true, 0, new DERGeneralString(realm)));
    krb5.add(new DERTaggedObject(true, 1, new DERSequence(principalName)));
    return new DERSequence(krb5).getEncoded(ASN1Encoding.DER);
  }

  /**
   * RFC 8636 Appendix A: Z = 256 zero bytes, client lha@SU.SE, KDC krbtgt/SU.SE@SU.SE, as-REQ = 10 bytes of 0xAA,
   * pk-as-rep = 9 bytes of 0xBB.
   */
  @Nested
  final class Rfc8636AppendixA {
    private final byte[] z = new byte[256];
    private final byte[] asReq = filled(10, 0xAA);
    private final byte[] pkAsRep = filled(9, 0xBB);
    private final byte[] client;
    private final byte[] server;

    Rfc8636AppendixA() throws IOException {
      client = krb5PrincipalName("SU.SE", "lha");
      server = krb5PrincipalName("SU.SE", "krbtgt", "SU.SE");
    }

    /** A.2: id-pkinit-kdf-ah-sha1, aes256-cts-hmac-sha1-96. */
    @Test
    void sha1Aes256() {
      KerberosKey key =
          PkinitKeyDerivation.rfc8636Kdf(
              PkinitKeyDerivation.KDF_SHA1, EncType.AES256_CTS_HMAC_SHA1_96, z, client, server, asReq, pkAsRep);
      assertArrayEquals(
          Hex.bytes("e6 ab 38 c9 41 3e 03 5b b0 79 20 1e d0 b6 b7 3d 8d 49 a8 14 a7 37 c0 4e e6 64 96 14 20 6f 73 ad"),
          key.bytes());
      assertEquals(EncType.AES256_CTS_HMAC_SHA1_96, key.type());
    }

    /** A.3: id-pkinit-kdf-ah-sha256, aes256-cts-hmac-sha1-96. */
    @Test
    void sha256Aes256() {
      KerberosKey key =
          PkinitKeyDerivation.rfc8636Kdf(
              PkinitKeyDerivation.KDF_SHA256, EncType.AES256_CTS_HMAC_SHA1_96, z, client, server, asReq, pkAsRep);
      assertArrayEquals(
          Hex.bytes("77 ef 4e 48 c4 20 ae 3f ec 75 10 9d 79 81 69 7e ed 5d 29 5c 90 c6 25 64 f7 bf d1 01 fa 9b c1 d5"),
          key.bytes());
    }

    /**
     * A.4: id-pkinit-kdf-ah-sha512 with des3-cbc-sha1-kd (enctype 16): the 21-byte KDF output goes through DES3
     * random-to-key (RFC 3961 §6.3.1), done here in the test since ngc4j has no DES3.
     */
    @Test
    void sha512Des3() {
      byte[] seed =
          PkinitKeyDerivation.rfc8636KdfBytes(PkinitKeyDerivation.KDF_SHA512, 16, 21, z, client, server, asReq, pkAsRep);
      assertArrayEquals(
          Hex.bytes("D3 C7 8A 79 D6 52 13 EF E9 A8 26 F7 5D FB 01 F7 23 62 FB 16 FB 01 DA D6"), des3RandomToKey(seed));
    }

    @Test
    void theEnctypeAndEveryPartyInputChangeTheKey() throws IOException {
      byte[] base =
          PkinitKeyDerivation.rfc8636Kdf(
                  PkinitKeyDerivation.KDF_SHA256, EncType.AES256_CTS_HMAC_SHA1_96, z, client, server, asReq, pkAsRep)
              .bytes();
      byte[] sha384Type =
          PkinitKeyDerivation.rfc8636KdfBytes(
              PkinitKeyDerivation.KDF_SHA256, 20, 32, z, client, server, asReq, pkAsRep);
      byte[] otherClient =
          PkinitKeyDerivation.rfc8636Kdf(
                  PkinitKeyDerivation.KDF_SHA256,
                  EncType.AES256_CTS_HMAC_SHA1_96,
                  z,
                  krb5PrincipalName("SU.SE", "bob"),
                  server,
                  asReq,
                  pkAsRep)
              .bytes();
      byte[] otherReply =
          PkinitKeyDerivation.rfc8636Kdf(
                  PkinitKeyDerivation.KDF_SHA256,
                  EncType.AES256_CTS_HMAC_SHA1_96,
                  z,
                  client,
                  server,
                  asReq,
                  filled(9, 0xBC))
              .bytes();
      assertFalse(Arrays.equals(base, sha384Type));
      assertFalse(Arrays.equals(base, otherClient));
      assertFalse(Arrays.equals(base, otherReply));
    }

    @Test
    void aes128TakesTheFirstSixteenBytes() {
      byte[] seed32 =
          PkinitKeyDerivation.rfc8636KdfBytes(PkinitKeyDerivation.KDF_SHA256, 17, 32, z, client, server, asReq, pkAsRep);
      KerberosKey key =
          PkinitKeyDerivation.rfc8636Kdf(
              PkinitKeyDerivation.KDF_SHA256, EncType.AES128_CTS_HMAC_SHA1_96, z, client, server, asReq, pkAsRep);
      assertArrayEquals(Arrays.copyOf(seed32, 16), key.bytes());
    }

    @Test
    void refusesAnUnknownKdf() {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              PkinitKeyDerivation.rfc8636Kdf(
                  "1.3.6.1.5.2.3.6.4", EncType.AES256_CTS_HMAC_SHA1_96, z, client, server, asReq, pkAsRep));
    }
  }

  /**
   * RFC 4556 §3.2.3.1 octetstring2key has no official vectors. The expected values are written out here as the
   * explicit SHA-1 concatenation, and the fixed hex was computed independently (Python hashlib) from the RFC text.
   */
  @Nested
  final class Rfc4556OctetString2Key {
    @Test
    void isTheTruncatedCounterConcatenationOfSha1() throws Exception {
      byte[] x = new byte[32];
      for (int i = 0; i < x.length; i++) {
        x[i] = (byte) (i + 1);
      }
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteArrayOutputStream k = new ByteArrayOutputStream();
      sha1.update((byte) 0x00);
      sha1.update(x);
      k.write(sha1.digest());
      sha1.update((byte) 0x01);
      sha1.update(x);
      k.write(sha1.digest());
      byte[] stream = k.toByteArray(); // 40 bytes
      assertArrayEquals(
          Arrays.copyOf(stream, 32), PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, x).bytes());
      assertArrayEquals(
          Arrays.copyOf(stream, 16), PkinitKeyDerivation.octetString2Key(EncType.AES128_CTS_HMAC_SHA1_96, x).bytes());
      assertArrayEquals(
          Hex.bytes("eb90bce364635c4c23b49f493f0043579bc85c1780f2a338523eeae69967d48f"),
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA384_192, x).bytes());
    }

    @Test
    void knownAnswersForZeroSecrets() {
      assertArrayEquals(
          Hex.bytes("5ee50d675c809fe59e4a7762c54b65837547eafb159bd8cdc75ffca5911e4c41"),
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, new byte[256]).bytes());
      assertArrayEquals(
          Hex.bytes("acf7707c08973ddfdb27cd361442ccfba355c8884cb472f37da636d07d56787e"),
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, new byte[128]).bytes());
    }

    @Test
    void concatenatesTheSecretAndBothNonces() {
      byte[] secret = Hex.bytes("00112233");
      byte[] clientNonce = Hex.bytes("aabb");
      byte[] serverNonce = Hex.bytes("ccddee");
      byte[] expected = Hex.bytes("808e182a0ca1088a67beb161cb0e9ae5a447ac9d39360a996525e5528b8f020c");
      assertArrayEquals(
          expected,
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, secret, clientNonce, serverNonce)
              .bytes());
      assertArrayEquals(
          expected,
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, Hex.bytes("00112233aabbccddee"))
              .bytes());
      // No nonces: the secret alone.
      assertArrayEquals(
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, secret).bytes(),
          PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, secret, new byte[0], new byte[0])
              .bytes());
    }

    @Test
    void differsFromTheRfc8636Sha1Kdf() throws IOException {
      // Same Z as RFC 8636 A.2, but octetstring2key hashes 0x00 | Z without a counter word or OtherInfo.
      byte[] z = new byte[256];
      byte[] rfc4556 = PkinitKeyDerivation.octetString2Key(EncType.AES256_CTS_HMAC_SHA1_96, z).bytes();
      byte[] rfc8636 =
          PkinitKeyDerivation.rfc8636Kdf(
                  PkinitKeyDerivation.KDF_SHA1,
                  EncType.AES256_CTS_HMAC_SHA1_96,
                  z,
                  krb5PrincipalName("SU.SE", "lha"),
                  krb5PrincipalName("SU.SE", "krbtgt", "SU.SE"),
                  filled(10, 0xAA),
                  filled(9, 0xBB))
              .bytes();
      assertFalse(Arrays.equals(rfc4556, rfc8636));
    }
  }

  private static byte[] filled(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /**
   * DES3 random-to-key (RFC 3961 §6.3.1): each 7-byte group becomes 8 bytes, the eighth made of the low bits of the
   * seven, then every byte is set to odd parity.
   */
  private static byte[] des3RandomToKey(byte[] seed) {
    byte[] key = new byte[24];
    for (int g = 0; g < 3; g++) {
      int last = 0;
      for (int i = 0; i < 7; i++) {
        int b = seed[g * 7 + i] & 0xff;
        key[g * 8 + i] = (byte) b;
        last |= (b & 1) << (i + 1);
      }
      key[g * 8 + 7] = (byte) last;
    }
    for (int i = 0; i < key.length; i++) {
      int high = key[i] & 0xfe;
      key[i] = (byte) (Integer.bitCount(high) % 2 == 0 ? high | 1 : high);
    }
    return key;
  }
}
