package dev.ngc4j.core.internal.krb.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AES in CBC mode with ciphertext stealing as Kerberos uses it (RFC 3962 §5): for input longer than one block the
 * last two ciphertext blocks are swapped and the final one truncated to the length of the last plaintext block,
 * so the output is as long as the input; exactly one block is plain AES (CBC with the given IV).
 *
 * <p>Built on the JDK's {@code AES/CBC/NoPadding} and {@code AES/ECB/NoPadding}: the input is zero-padded to whole
 * blocks, CBC-encrypted, and the last two blocks swapped and truncated; decryption rebuilds the standard CBC
 * ciphertext from the stolen bytes with one ECB block decryption.
 *
 * <p>Thread safety: stateless.
 */
final class AesCts {
  static final int BLOCK = 16;

  private AesCts() {}

  /**
   * Encrypts {@code input} (at least one block) under {@code key} with the initial vector {@code iv}.
   *
   * @return a fresh array as long as {@code input}
   */
  static byte[] encrypt(byte[] key, byte[] iv, byte[] input) {
    checkArguments(key, iv, input);
    int len = input.length;
    int blocks = (len + BLOCK - 1) / BLOCK;
    byte[] padded = Arrays.copyOf(input, blocks * BLOCK);
    try {
      byte[] cbc = cipher("AES/CBC/NoPadding", Cipher.ENCRYPT_MODE, key, iv).doFinal(padded);
      Arrays.fill(padded, (byte) 0);
      if (blocks == 1) {
        return cbc;
      }
      int last = len - (blocks - 1) * BLOCK; // 1..16 bytes in the final plaintext block
      byte[] out = new byte[len];
      System.arraycopy(cbc, 0, out, 0, (blocks - 2) * BLOCK);
      // C(n-1) of the output is the last CBC block; the final, partial output block is the head of the one before.
      System.arraycopy(cbc, (blocks - 1) * BLOCK, out, (blocks - 2) * BLOCK, BLOCK);
      System.arraycopy(cbc, (blocks - 2) * BLOCK, out, (blocks - 1) * BLOCK, last);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES failed", e);
    }
  }

  /**
   * Decrypts {@code input} (at least one block) under {@code key} with the initial vector {@code iv}.
   *
   * @return a fresh array as long as {@code input}
   */
  static byte[] decrypt(byte[] key, byte[] iv, byte[] input) {
    checkArguments(key, iv, input);
    int len = input.length;
    int blocks = (len + BLOCK - 1) / BLOCK;
    try {
      Cipher cbc = cipher("AES/CBC/NoPadding", Cipher.DECRYPT_MODE, key, iv);
      if (blocks == 1) {
        return cbc.doFinal(input);
      }
      int last = len - (blocks - 1) * BLOCK;
      int fullOffset = (blocks - 2) * BLOCK; // the full block holding the CBC cipher block of the last plaintext
      int partialOffset = (blocks - 1) * BLOCK;
      // Decrypting that block gives (last plaintext block, zero-padded) XOR (the CBC block whose head was stolen);
      // that XOR's tail is the stolen block's tail, which completes the stolen block.
      byte[] d =
          cipher("AES/ECB/NoPadding", Cipher.DECRYPT_MODE, key, null).doFinal(input, fullOffset, BLOCK);
      byte[] standard = new byte[blocks * BLOCK];
      System.arraycopy(input, 0, standard, 0, fullOffset);
      System.arraycopy(input, partialOffset, standard, fullOffset, last);
      System.arraycopy(d, last, standard, fullOffset + last, BLOCK - last);
      System.arraycopy(input, fullOffset, standard, partialOffset, BLOCK);
      Arrays.fill(d, (byte) 0);
      byte[] plain = cbc.doFinal(standard);
      byte[] out = Arrays.copyOf(plain, len);
      Arrays.fill(plain, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES failed", e);
    }
  }

  /** Encrypts exactly one block with AES (no chaining), as RFC 3961's DR function does. */
  static byte[] encryptBlock(byte[] key, byte[] block) {
    if (block.length != BLOCK) {
      throw new IllegalArgumentException("one AES block is 16 bytes");
    }
    try {
      return cipher("AES/ECB/NoPadding", Cipher.ENCRYPT_MODE, key, null).doFinal(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES failed", e);
    }
  }

  private static void checkArguments(byte[] key, byte[] iv, byte[] input) {
    if (key.length != 16 && key.length != 32) {
      throw new IllegalArgumentException("AES keys here are 16 or 32 bytes");
    }
    if (iv.length != BLOCK) {
      throw new IllegalArgumentException("the initial vector is one block (16 bytes)");
    }
    if (input.length < BLOCK) {
      throw new IllegalArgumentException("ciphertext stealing needs at least one block (16 bytes)");
    }
  }

  private static Cipher cipher(String transformation, int mode, byte[] key, byte @Nullable [] iv)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance(transformation);
    SecretKeySpec spec = new SecretKeySpec(key, "AES");
    if (iv == null) {
      cipher.init(mode, spec);
    } else {
      cipher.init(mode, spec, new IvParameterSpec(iv));
    }
    return cipher;
  }
}
