package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** KDFa against values computed independently (Python's hmac module, and BouncyCastle's SP 800-108 KDF). */
final class KdfaTest {
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < 32; i++) {
      KEY[i] = (byte) i;
    }
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void knownAnswersComputedWithPythonHmac() {
    byte[] akName = new byte[34];
    akName[1] = 0x0B;
    java.util.Arrays.fill(akName, 2, 34, (byte) 0xAA);
    assertArrayEquals(hex("0415b32b6f43896a87e7b29be8f2ac14"), Kdfa.sha256(KEY, "STORAGE", akName, new byte[0], 128));
    assertArrayEquals(hex("bacf689f634ece301e1f1b15b072d9c87db6a69585db42b1a0cb8f73ebe2692e"),
        Kdfa.sha256(KEY, "INTEGRITY", new byte[0], new byte[0], 256));
    assertArrayEquals(hex("aa24afe9810b975c8393463515e1f31bd01f0ba46ca22cd5459fe4bc87e5270a13208470894a536e02e1e54c"
            + "845e270aebcf9d271fe4744771aace8ff6ce226ba9"),
        Kdfa.sha256(KEY, "TEST", "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "de".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 520));
  }

  @Test
  void agreesWithBouncyCastlesCounterModeKdf() {
    byte[] seed = new byte[32];
    for (int bits : new int[] {8, 128, 256, 264, 1024}) {
      new java.security.SecureRandom().nextBytes(seed);
      byte[] u = SoftTpm.sha256(seed);
      assertArrayEquals(SoftTpm.kdfa(seed, "STORAGE", u, new byte[0], bits),
          Kdfa.sha256(seed, "STORAGE", u, new byte[0], bits), "bits=" + bits);
    }
  }

  @Test
  void onlyWholeBytesAreProduced() {
    assertThrows(IllegalArgumentException.class, () -> Kdfa.sha256(KEY, "X", new byte[0], new byte[0], 12));
    assertThrows(IllegalArgumentException.class, () -> Kdfa.sha256(KEY, "X", new byte[0], new byte[0], 0));
  }
}
