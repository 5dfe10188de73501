package dev.ngc4j.provider.pkcs11.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the provider keeps of a PIN the token accepted at C_Login, to check later PINs while the token stays logged
 * in (a token answers C_Login with CKR_USER_ALREADY_LOGGED_IN then, whatever the PIN): HMAC-SHA256 of the PIN's UTF-8
 * bytes under a random key drawn for this login. The PIN itself is not kept; the key and the MAC are zeroed when
 * the login ends. A compare is constant-time.
 *
 * <p>Thread safety: the owner ({@link SharedToken}) guards it with its login lock.
 */
final class PinVerifier {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key = new byte[32];
  private final byte[] mac;

  PinVerifier(char[] pin) {
    RANDOM.nextBytes(key);
    mac = mac(pin);
  }

  boolean matches(char[] pin) {
    byte[] candidate = mac(pin);
    try {
      return MessageDigest.isEqual(mac, candidate);
    } finally {
      Arrays.fill(candidate, (byte) 0);
    }
  }

  void destroy() {
    Arrays.fill(key, (byte) 0);
    Arrays.fill(mac, (byte) 0);
  }

  private byte[] mac(char[] pin) {
    byte[] bytes = utf8(pin);
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return hmac.doFinal(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The PIN's UTF-8 bytes; the caller zeroes them. */
  static byte[] utf8(char[] pin) {
    ByteBuffer buffer = ByteBuffer.allocate(pin.length * 3 + 1);
    StandardCharsets.UTF_8.newEncoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
        .encode(CharBuffer.wrap(pin), buffer, true);
    byte[] out = Arrays.copyOf(buffer.array(), buffer.position());
    Arrays.fill(buffer.array(), (byte) 0);
    return out;
  }
}
