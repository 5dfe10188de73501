package dev.ngc4j.server.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class Base64StrictTest {
  @Test
  void urlRoundTripsEveryLengthAgainstTheJdk() throws Exception {
    Random random = new Random(42);
    for (int n = 0; n < 70; n++) {
      byte[] data = new byte[n];
      random.nextBytes(data);
      String text = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
      assertArrayEquals(data, Base64Strict.decodeUrl(text));
      assertArrayEquals(data, Base64Strict.decodeStd(Base64.getEncoder().encodeToString(data)));
      assertArrayEquals(data, Base64Strict.decodeUrl(Base64Strict.url(data)));
    }
  }

  @Test
  void urlRefusesPaddingOtherAlphabetsWhiteSpaceAndImpossibleLengths() {
    for (String bad : new String[] {"AA==", "A+", "A/", "A A", " AA", "AA\n", "A", "AAAAA", "é"}) {
      assertThrows(Malformed.class, () -> Base64Strict.decodeUrl(bad), bad);
    }
  }

  @Test
  void nonCanonicalTrailingBitsAreRefused() {
    assertThrows(Malformed.class, () -> Base64Strict.decodeUrl("AB"));
    assertThrows(Malformed.class, () -> Base64Strict.decodeUrl("AAB"));
    assertThrows(Malformed.class, () -> Base64Strict.decodeStd("AB=="));
    assertThrows(Malformed.class, () -> Base64Strict.decodeStd("AAB="));
  }

  @Test
  void standardRequiresExactPadding() {
    for (String bad : new String[] {"AA", "AAA", "AA=", "A===", "AA==AA==", "-_==", "AA=A"}) {
      assertThrows(Malformed.class, () -> Base64Strict.decodeStd(bad), bad);
    }
  }

  @Test
  void aRangeDecodesOnlyThatRange() throws Exception {
    assertArrayEquals(new byte[] {0, 0, 0}, Base64Strict.decodeUrl("xxAAAAyy", 2, 6));
  }

  @Test
  void paddingInsideAndCharactersBeyondLatin1AreRefused() {
    for (String bad : new String[] {"AA=A", "A=AA", "AAAA=AAA", "AAAA\u0100A", "AAA\u0141", "AAA\u00c1", "AA.A"}) {
      assertThrows(Malformed.class, () -> Base64Strict.decodeUrl(bad), bad);
    }
    byte[] text = "..AAAA..".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThrows(Malformed.class, () -> Base64Strict.decodeUrl(text, 0, 6));
  }

  @Test
  void byteRangesDecodeLikeText() throws Exception {
    byte[] text = "x.3q2-7w.y".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}, Base64Strict.decodeUrl(text, 2, 8));
    assertArrayEquals(new byte[0], Base64Strict.decodeUrl(text, 2, 2));
  }
}
