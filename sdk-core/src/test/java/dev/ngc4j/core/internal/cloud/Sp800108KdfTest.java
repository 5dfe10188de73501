package dev.ngc4j.core.internal.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** SP 800-108 counter-mode HMAC-SHA256 and the Entra KDFv1 and KDFv2 contexts. */
final class Sp800108KdfTest {

  private static final byte[] SESSION_KEY = sequence(32, 0x10);
  private static final byte[] CTX = sequence(24, 0xA0);
  private static final byte[] PAYLOAD =
      "{\"client_id\":\"38aa3b87-a06d-4817-b275-7a316988d93b\",\"request_nonce\":\"n\"}"
          .getBytes(StandardCharsets.UTF_8);

  private static byte[] sequence(int length, int start) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  /** The fixed input of one block, assembled byte by byte as the protocol document writes it. */
  private static byte[] blockInput(int counter, byte[] context, int lengthBits) {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.write(counter >>> 24);
    in.write(counter >>> 16);
    in.write(counter >>> 8);
    in.write(counter);
    byte[] label = {
      'A', 'z', 'u', 'r', 'e', 'A', 'D', '-', 'S', 'e', 'c', 'u', 'r', 'e', 'C', 'o', 'n', 'v', 'e', 'r', 's', 'a',
      't', 'i', 'o', 'n'
    };
    in.write(label, 0, label.length);
    in.write(0x00);
    in.write(context, 0, context.length);
    in.write(lengthBits >>> 24);
    in.write(lengthBits >>> 16);
    in.write(lengthBits >>> 8);
    in.write(lengthBits);
    return in.toByteArray();
  }

  @Test
  void labelIsTheDocumentedTwentySixAsciiBytes() {
    assertEquals("AzureAD-SecureConversation", Sp800108Kdf.ENTRA_LABEL);
    assertEquals(26, Sp800108Kdf.ENTRA_LABEL.getBytes(StandardCharsets.US_ASCII).length);
  }

  @Test
  void kdfV1IsOneHmacBlockOverTheHandAssembledInput() throws Exception {
    byte[] input = blockInput(1, CTX, 256);
    assertEquals(
        "00000001" + HexFormat.of().formatHex("AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII))
            + "00" + HexFormat.of().formatHex(CTX) + "00000100",
        HexFormat.of().formatHex(input));
    byte[] expected = hmac(SESSION_KEY, input);
    byte[] derived = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    assertEquals(32, derived.length);
    assertArrayEquals(expected, derived);
  }

  @Test
  void kdfV2UsesTheSha256OfCtxAndPayloadAsContext() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(CTX);
    byte[] context = sha.digest(PAYLOAD);
    byte[] expected = hmac(SESSION_KEY, blockInput(1, context, 256));
    assertArrayEquals(expected, Sp800108Kdf.kdfV2(SESSION_KEY, CTX, PAYLOAD));
  }

  @Test
  void kdfV1AndKdfV2Differ() {
    byte[] v1 = Sp800108Kdf.kdfV1(SESSION_KEY, CTX);
    byte[] v2 = Sp800108Kdf.kdfV2(SESSION_KEY, CTX, PAYLOAD);
    assertFalse(Arrays.equals(v1, v2));
    assertFalse(Arrays.equals(v2, Sp800108Kdf.kdfV2(SESSION_KEY, CTX, "{}".getBytes(StandardCharsets.UTF_8))));
    assertFalse(Arrays.equals(v1, Sp800108Kdf.kdfV1(SESSION_KEY, sequence(24, 0xA1))));
  }

  @Test
  void longerOutputsConcatenateCountedBlocksWithTheirOwnLength() throws Exception {
    byte[] label = "L".getBytes(StandardCharsets.US_ASCII);
    byte[] context = sequence(5, 1);
    byte[] out = Sp800108Kdf.derive(SESSION_KEY, label, context, 40);
    byte[] first = hmac(SESSION_KEY, concat(new byte[] {0, 0, 0, 1}, label, new byte[] {0}, context,
        new byte[] {0, 0, 1, 0x40}));
    byte[] second = hmac(SESSION_KEY, concat(new byte[] {0, 0, 0, 2}, label, new byte[] {0}, context,
        new byte[] {0, 0, 1, 0x40}));
    assertArrayEquals(concat(first, Arrays.copyOf(second, 8)), out);
  }

  @Test
  void refusesMisuse() {
    assertThrows(IllegalArgumentException.class, () -> Sp800108Kdf.derive(new byte[0], CTX, CTX, 32));
    assertThrows(IllegalArgumentException.class, () -> Sp800108Kdf.derive(SESSION_KEY, CTX, CTX, 0));
    assertThrows(IllegalArgumentException.class, () -> Sp800108Kdf.derive(SESSION_KEY, CTX, CTX, 1025));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }
}
