package dev.ngc4j.core.internal.cloud;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * NIST SP 800-108 key derivation in counter mode with HMAC-SHA256, and the two Entra ID context derivations
 * built on it.
 *
 * <p>Block {@code i} (from 1) is {@code HMAC-SHA256(key, [i]32 || label || 0x00 || context || [L]32)}, where
 * {@code [x]32} is a 32-bit big-endian integer and {@code L} the output length in bits; the output is the first
 * {@code L/8} bytes of the concatenated blocks. Entra ID uses the label {@value #ENTRA_LABEL} and 32 output bytes
 * (one block) to derive the HS256 signing key and the response decryption key from the session key:
 *
 * <ul>
 *   <li>KDFv1: {@code context = ctx}, the raw random bytes the JWT header carries as {@code ctx};
 *   <li>KDFv2: {@code context = SHA-256(ctx || payload)}, where {@code payload} is the exact UTF-8 JSON of the JWT
 *       payload (the bytes that are base64url-encoded, not the base64 text).
 * </ul>
 *
 * <p>Thread safety: stateless and safe for concurrent use. Derived keys are returned in fresh arrays the caller
 * owns and should clear after use.
 */
public final class Sp800108Kdf {
  /** The label Entra ID uses for its session-key derivations (26 ASCII bytes, no terminator). */
  public static final String ENTRA_LABEL = "AzureAD-SecureConversation";

  /** The derived key length Entra ID uses, in bytes. */
  public static final int ENTRA_KEY_BYTES = 32;

  private static final int HMAC_BYTES = 32;
  private static final int MAX_OUTPUT_BYTES = 1024;

  private Sp800108Kdf() {}

  /**
   * Derives {@code lengthBytes} bytes with SP 800-108 counter-mode HMAC-SHA256.
   *
   * @param key the key derivation key; not empty
   * @param label the label
   * @param context the context
   * @param lengthBytes the output length, 1 to 1024 bytes
   * @return a fresh array of {@code lengthBytes} bytes
   * @throws IllegalArgumentException if the key is empty or the length is out of range
   */
  public static byte[] derive(byte[] key, byte[] label, byte[] context, int lengthBytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(context, "context");
    if (key.length == 0) {
      throw new IllegalArgumentException("the key derivation key is empty");
    }
    if (lengthBytes < 1 || lengthBytes > MAX_OUTPUT_BYTES) {
      throw new IllegalArgumentException("the output length must be 1 to " + MAX_OUTPUT_BYTES + " bytes");
    }
    Mac mac = hmacSha256(key);
    int blocks = (lengthBytes + HMAC_BYTES - 1) / HMAC_BYTES;
    byte[] out = new byte[blocks * HMAC_BYTES];
    byte[] lengthBits = ByteBuffer.allocate(4).putInt(lengthBytes * 8).array();
    for (int i = 1; i <= blocks; i++) {
      mac.update(ByteBuffer.allocate(4).putInt(i).array());
      mac.update(label);
      mac.update((byte) 0x00);
      mac.update(context);
      mac.update(lengthBits);
      byte[] block = mac.doFinal();
      System.arraycopy(block, 0, out, (i - 1) * HMAC_BYTES, HMAC_BYTES);
      Arrays.fill(block, (byte) 0);
    }
    if (out.length == lengthBytes) {
      return out;
    }
    byte[] result = Arrays.copyOf(out, lengthBytes);
    Arrays.fill(out, (byte) 0);
    return result;
  }

  /**
   * Entra ID KDFv1: derives the 32-byte key from the session key with the raw {@code ctx} bytes as context.
   *
   * @param sessionKey the session key (the unwrapped CEK of {@code session_key_jwe})
   * @param ctx the raw random context bytes (the header's {@code ctx}, base64-decoded)
   * @return a fresh 32-byte array
   */
  public static byte[] kdfV1(byte[] sessionKey, byte[] ctx) {
    return derive(sessionKey, entraLabel(), ctx, ENTRA_KEY_BYTES);
  }

  /**
   * Entra ID KDFv2: derives the 32-byte key from the session key with {@code SHA-256(ctx || payload)} as context.
   *
   * @param sessionKey the session key (the unwrapped CEK of {@code session_key_jwe})
   * @param ctx the raw random context bytes (the header's {@code ctx}, base64-decoded)
   * @param payload the exact UTF-8 JSON bytes of the JWT payload
   * @return a fresh 32-byte array
   */
  public static byte[] kdfV2(byte[] sessionKey, byte[] ctx, byte[] payload) {
    return derive(sessionKey, entraLabel(), kdfV2Context(ctx, payload), ENTRA_KEY_BYTES);
  }

  /**
   * Returns the KDFv2 context {@code SHA-256(ctx || payload)}.
   *
   * @param ctx the raw random context bytes
   * @param payload the exact UTF-8 JSON bytes of the JWT payload
   * @return a fresh 32-byte array
   */
  static byte[] kdfV2Context(byte[] ctx, byte[] payload) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(payload, "payload");
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ctx);
      sha256.update(payload);
      return sha256.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  private static byte[] entraLabel() {
    return ENTRA_LABEL.getBytes(StandardCharsets.US_ASCII);
  }

  private static Mac hmacSha256(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
    }
  }
}
