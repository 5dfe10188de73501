package dev.ngc4j.core.internal.krb.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AES-CBC with ciphertext stealing: RFC 3962 Appendix B ("test vectors for CBC with ciphertext stealing"). */
final class AesCtsTest {
  /** RFC 3962 Appendix B: the AES 128-bit key "chicken teriyaki". */
  private static final byte[] KEY = Hex.bytes("63 68 69 63 6b 65 6e 20 74 65 72 69 79 61 6b 69");
  private static final byte[] ZERO_IV = new byte[16];

  @ParameterizedTest(name = "{index}: {0} bytes")
  @CsvSource(
      delimiter = '|',
      value = {
        // Input | Output, as printed in RFC 3962 Appendix B (IV = 0)
        "17|4920776f756c64206c696b6520746865 20"
            + "|c6353568f2bf8cb4d8a580362da7ff7f97",
        "31|4920776f756c64206c696b65207468652047656e6572616c20476175277320"
            + "|fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5",
        "32|4920776f756c64206c696b65207468652047656e6572616c2047617527732043"
            + "|39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584",
        "47|4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c"
            + "|97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5",
        "48|4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20"
            + "|97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8",
        "64|4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20"
            + "616e6420776f6e746f6e20736f75702e"
            + "|97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc840"
            + "9dad8bbb96c4cdc03bc103e1a194bbd8"
      })
  void matchesRfc3962AppendixB(int length, String input, String output) {
    byte[] plain = Hex.bytes(input);
    byte[] cipher = Hex.bytes(output);
    assertArrayEquals(cipher, AesCts.encrypt(KEY, ZERO_IV, plain));
    assertArrayEquals(plain, AesCts.decrypt(KEY, ZERO_IV, cipher));
    assertEquals(length, plain.length);
    assertEquals(length, cipher.length);
  }

  @Test
  void oneBlockIsPlainAes() {
    byte[] block = Hex.bytes("4920776f756c64206c696b6520746865");
    byte[] ecb = AesCts.encryptBlock(KEY, block);
    assertArrayEquals(ecb, AesCts.encrypt(KEY, ZERO_IV, block));
    assertArrayEquals(block, AesCts.decrypt(KEY, ZERO_IV, ecb));
  }

  @Test
  void roundTripsEveryLengthUpToFiveBlocks() {
    Random random = new Random(3962);
    byte[] key = new byte[32];
    random.nextBytes(key);
    for (int len = 16; len <= 80; len++) {
      byte[] plain = new byte[len];
      random.nextBytes(plain);
      byte[] cipher = AesCts.encrypt(key, ZERO_IV, plain);
      assertArrayEquals(plain, AesCts.decrypt(key, ZERO_IV, cipher), "length " + len);
    }
  }

  @Test
  void refusesLessThanOneBlock() {
    assertThrows(IllegalArgumentException.class, () -> AesCts.encrypt(KEY, ZERO_IV, new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> AesCts.decrypt(KEY, ZERO_IV, new byte[15]));
  }
}
