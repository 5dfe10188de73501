package dev.ngc4j.core.internal.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Encoding and strict decoding of the "RSA1" public key blob. */
final class Rsa1KeyBlobTest {

  private static final BigInteger F4 = BigInteger.valueOf(65537);

  /** A fixed 2048-bit odd modulus: bytes 0x81, 0x02, 0x03, ..., with the top and bottom bits set. */
  private static BigInteger knownModulus(int bytes) {
    byte[] n = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      n[i] = (byte) (i + 1);
    }
    n[0] |= (byte) 0x80;
    n[bytes - 1] |= 1;
    return new BigInteger(1, n);
  }

  private static RSAPublicKey key(BigInteger n, BigInteger e) throws Exception {
    return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
  }

  private static byte[] blob() throws Exception {
    return Rsa1KeyBlob.encode(key(knownModulus(256), F4));
  }

  private static void assertRefused(byte[] blob) {
    NgcException e = assertThrows(NgcException.class, () -> Rsa1KeyBlob.decode(blob));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
  }

  /** Writes the little-endian u32 at header field {@code index} (0 = magic ... 5 = cbPrime2). */
  private static byte[] withField(byte[] blob, int index, int value) {
    byte[] copy = blob.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(index * 4, value);
    return copy;
  }

  @Test
  void encodesTheKnownKeyWithTheDocumentedLayout() throws Exception {
    BigInteger n = knownModulus(256);
    byte[] blob = Rsa1KeyBlob.encode(key(n, F4));
    assertEquals(283, blob.length);
    String header = HexFormat.of().formatHex(Arrays.copyOf(blob, 24));
    assertEquals(
        "52534131" // "RSA1"
            + "00080000" // BitLength 2048
            + "03000000" // cbPublicExp 3
            + "00010000" // cbModulus 256
            + "00000000" // cbPrime1
            + "00000000", // cbPrime2
        header);
    assertEquals("010001", HexFormat.of().formatHex(Arrays.copyOfRange(blob, 24, 27)));
    byte[] modulus = Arrays.copyOfRange(blob, 27, 283);
    assertEquals((byte) 0x81, modulus[0]);
    assertEquals((byte) 0x02, modulus[1]);
    assertArrayEquals(Arrays.copyOfRange(n.toByteArray(), 1, 257), modulus);
  }

  @Test
  void roundTripsAGeneratedKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    RSAPublicKey pub = (RSAPublicKey) g.generateKeyPair().getPublic();
    RSAPublicKey back = Rsa1KeyBlob.decode(Rsa1KeyBlob.encode(pub));
    assertEquals(pub.getModulus(), back.getModulus());
    assertEquals(pub.getPublicExponent(), back.getPublicExponent());
    assertArrayEquals(pub.getEncoded(), back.getEncoded());
  }

  @Test
  void roundTripsA3072BitKeyWithALongerExponent() throws Exception {
    BigInteger e = BigInteger.valueOf(0x1_0000_0001L); // 5 bytes, odd
    RSAPublicKey pub = key(knownModulus(384), e);
    byte[] blob = Rsa1KeyBlob.encode(pub);
    assertEquals(24 + 5 + 384, blob.length);
    RSAPublicKey back = Rsa1KeyBlob.decode(blob);
    assertEquals(pub.getModulus(), back.getModulus());
    assertEquals(e, back.getPublicExponent());
  }

  @Test
  void encodeRefusesAModulusBelow2048Bits() throws Exception {
    RSAPublicKey small = key(knownModulus(128), F4);
    NgcException e = assertThrows(NgcException.class, () -> Rsa1KeyBlob.encode(small));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
  }

  @Test
  void refusesShortInput() throws Exception {
    assertRefused(new byte[0]);
    assertRefused(Arrays.copyOf(blob(), 23));
    assertRefused(Arrays.copyOf(blob(), 24));
  }

  @Test
  void refusesWrongMagic() throws Exception {
    assertRefused(withField(blob(), 0, 0x32415352)); // "RSA2", the private blob
    assertRefused(withField(blob(), 0, 0x31534B45)); // "EKS1"
    byte[] lower = blob();
    lower[0] = 'r';
    assertRefused(lower);
  }

  @Test
  void refusesNonZeroPrimeLengths() throws Exception {
    assertRefused(withField(blob(), 4, 128));
    assertRefused(withField(blob(), 5, 128));
    byte[] withPrimes = Arrays.copyOf(withField(withField(blob(), 4, 1), 5, 1), 285);
    assertRefused(withPrimes);
  }

  @Test
  void refusesLengthsThatDoNotMatchTheRemainingBytes() throws Exception {
    assertRefused(withField(blob(), 2, 4)); // exponent claims one byte more than there is
    assertRefused(withField(blob(), 2, 2)); // exponent claims one byte less: modulus misaligned
    assertRefused(withField(blob(), 3, 257)); // modulus longer than the bit length allows
    assertRefused(withField(blob(), 3, 255));
    assertRefused(Arrays.copyOf(blob(), 282)); // truncated modulus
    assertRefused(withField(blob(), 2, -1)); // 0xFFFFFFFF: no overflow into a small number
    assertRefused(withField(blob(), 3, -1));
    assertRefused(withField(blob(), 2, 0));
    assertRefused(withField(blob(), 2, 9));
  }

  @Test
  void refusesTrailingBytes() throws Exception {
    assertRefused(Arrays.copyOf(blob(), 284));
    assertRefused(Arrays.copyOf(blob(), 283 + 256));
  }

  @Test
  void refusesBitLengthMismatches() throws Exception {
    assertRefused(withField(blob(), 1, 2047)); // same byte count, wrong bit count
    assertRefused(withField(blob(), 1, 2056));
    assertRefused(withField(blob(), 1, 0));
    assertRefused(withField(blob(), 1, -1));
  }

  @Test
  void refusesAModulusBelow2048Bits() throws Exception {
    byte[] small = new byte[24 + 3 + 128];
    ByteBuffer b = ByteBuffer.wrap(small).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x31415352).putInt(1024).putInt(3).putInt(128).putInt(0).putInt(0);
    b.put(new byte[] {1, 0, 1});
    byte[] n = Arrays.copyOfRange(knownModulus(128).toByteArray(), 1, 129);
    b.put(n);
    assertRefused(small);
  }

  @Test
  void refusesNonMinimalOrUnusableNumbers() throws Exception {
    byte[] leadingZeroExponent = blob();
    leadingZeroExponent[24] = 0;
    assertRefused(leadingZeroExponent);
    byte[] evenModulus = blob();
    evenModulus[282] &= (byte) 0xFE;
    assertRefused(evenModulus);
    byte[] evenExponent = blob();
    evenExponent[26] = 0;
    assertRefused(evenExponent);
    byte[] exponentThree = Rsa1KeyBlob.encode(key(knownModulus(256), BigInteger.valueOf(3)));
    assertEquals(24 + 1 + 256, exponentThree.length);
    assertRefused(exponentThree); // well formed, but e = 3 is below the 65537 floor
    byte[] leadingZeroModulus = blob();
    leadingZeroModulus[27] = 0;
    assertRefused(leadingZeroModulus);
  }

  @Test
  void refusesEverySingleByteTruncationWithoutAnUncheckedException() throws Exception {
    byte[] blob = blob();
    for (int len = 0; len < blob.length; len++) {
      assertRefused(Arrays.copyOf(blob, len));
    }
  }
}
