package dev.ngc4j.provider.software.internal;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.jspecify.annotations.Nullable;

/**
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag, through BouncyCastle's lightweight API (no JCA provider is
 * installed). The lightweight API lets us zero the cipher's copy of the key afterwards, which
 * {@code javax.crypto.spec.SecretKeySpec} on Java 17 does not.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class Aead {
  static final int KEY_LENGTH = 32;
  static final int NONCE_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  private Aead() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    KeyParameter keyParameter = keyParameter(key);
    try {
      cipher.init(true, new AEADParameters(keyParameter, TAG_LENGTH * 8, nonce, aad));
      byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
      int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
      n += cipher.doFinal(out, n);
      if (n != out.length) {
        throw new IllegalStateException("AES-GCM produced an unexpected length");
      }
      return out;
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    } finally {
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  /**
   * Decrypts and authenticates.
   *
   * @return the plaintext, which the caller must zero, or {@code null} if the key, nonce, AAD or ciphertext is wrong
   */
  static byte @Nullable [] open(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    KeyParameter keyParameter = keyParameter(key);
    byte[] out = new byte[Math.max(0, ciphertext.length - TAG_LENGTH)];
    try {
      cipher.init(false, new AEADParameters(keyParameter, TAG_LENGTH * 8, nonce, aad));
      byte[] buffer = new byte[cipher.getOutputSize(ciphertext.length)];
      try {
        int n = cipher.processBytes(ciphertext, 0, ciphertext.length, buffer, 0);
        n += cipher.doFinal(buffer, n);
        if (n != out.length) {
          return null;
        }
        System.arraycopy(buffer, 0, out, 0, n);
        return out;
      } finally {
        Arrays.fill(buffer, (byte) 0);
      }
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      Arrays.fill(out, (byte) 0);
      return null;
    } finally {
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  private static KeyParameter keyParameter(byte[] key) {
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    return new KeyParameter(key);
  }
}
