package dev.ngc4j.provider.tpm.internal.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The session cryptography of TPM 2.0 Library Part 1: HMAC, KDFa (§11.4.10, SP 800-108 counter mode with HMAC),
 * AES-128-CFB parameter encryption (§21, "Session-based encryption") and authValue normalisation.
 *
 * <p>HMAC is computed here over {@link MessageDigest} rather than through {@code javax.crypto.Mac}, so that every
 * buffer derived from the key (the padded key blocks) can be zeroed; the JDK's {@code SecretKeySpec} keeps a copy
 * that cannot be wiped on Java 17. The AES key of parameter encryption still goes through {@code SecretKeySpec}
 * (zeroing there is best effort: the JCA copy lives until garbage collection).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class SessionCrypto {
  /** AES-128: key bits. */
  static final int AES_KEY_BITS = 128;

  /** AES block: IV bits. */
  static final int AES_BLOCK_BITS = 128;

  /**
   * One AES/CFB cipher per thread: {@code Cipher.getInstance} (a provider look-up) cost more than the rest of a
   * command's session cryptography together; each use re-initialises it with its own key and IV.
   */
  private static final ThreadLocal<Cipher> AES_CFB = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/CFB/NoPadding");
    } catch (GeneralSecurityException e) {
      // AES/CFB/NoPadding is in every Java SE runtime.
      throw new IllegalStateException("AES-128-CFB is not available in this Java runtime", e);
    }
  });

  private SessionCrypto() {}

  /**
   * HMAC (RFC 2104) of the concatenated parts.
   *
   * @param key any length, empty allowed; not modified
   */
  static byte[] hmac(HashAlg alg, byte[] key, byte[]... parts) {
    MessageDigest md = alg.newDigest();
    byte[] k = key.length > alg.blockLength() ? md.digest(key) : key;
    byte[] pad = new byte[alg.blockLength()];
    byte[] inner = new byte[0];
    try {
      for (int i = 0; i < pad.length; i++) {
        pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
      }
      md.update(pad);
      for (byte[] part : parts) {
        md.update(part);
      }
      inner = md.digest();
      for (int i = 0; i < pad.length; i++) {
        pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
      }
      md.update(pad);
      md.update(inner);
      return md.digest();
    } finally {
      Arrays.fill(pad, (byte) 0);
      Arrays.fill(inner, (byte) 0);
      if (k != key) {
        Arrays.fill(k, (byte) 0);
      }
    }
  }

  /**
   * KDFa: {@code HMAC(key, [i]32 || label || 0x00 || contextU || contextV || [bits]32)} for i = 1, 2, ..., truncated
   * to {@code bits}. A label that does not end with a zero byte gets one (Part 1 §11.4.10).
   *
   * @param bits a positive multiple of 8 (the TPM's own uses always are)
   * @return {@code bits / 8} bytes, which the caller must zero when they are a key
   */
  static byte[] kdfa(HashAlg alg, byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
    if (bits <= 0 || bits % 8 != 0) {
      throw new IllegalArgumentException("KDFa output must be a positive multiple of 8 bits, not " + bits);
    }
    byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
    if (labelBytes.length == 0 || labelBytes[labelBytes.length - 1] != 0) {
      labelBytes = Arrays.copyOf(labelBytes, labelBytes.length + 1);
    }
    byte[] out = new byte[bits / 8];
    byte[] bitsBytes = int32(bits);
    int offset = 0;
    for (int counter = 1; offset < out.length; counter++) {
      byte[] block = hmac(alg, key, int32(counter), labelBytes, contextU, contextV, bitsBytes);
      int n = Math.min(block.length, out.length - offset);
      System.arraycopy(block, 0, out, offset, n);
      Arrays.fill(block, (byte) 0);
      offset += n;
    }
    return out;
  }

  /**
   * Encrypts or decrypts {@code data[offset, offset + length)} in place with AES-128-CFB (full-block feedback, a
   * final partial block allowed), key and IV being {@code KDFa(alg, sessionValue, "CFB", nonceNewer, nonceOlder,
   * 256)}. An empty range is left alone.
   */
  static void cfb(
      boolean encrypt,
      HashAlg alg,
      byte[] sessionValue,
      byte[] nonceNewer,
      byte[] nonceOlder,
      byte[] data,
      int offset,
      int length) {
    if (length == 0) {
      return;
    }
    byte[] keyAndIv = kdfa(alg, sessionValue, "CFB", nonceNewer, nonceOlder, AES_KEY_BITS + AES_BLOCK_BITS);
    try {
      aesCfb(encrypt, keyAndIv, data, offset, length);
    } finally {
      Arrays.fill(keyAndIv, (byte) 0);
    }
  }

  /**
   * AES-128 in CFB mode with full-block (128-bit) feedback, in place; a final partial block is allowed.
   *
   * @param keyAndIv the 16-byte key followed by the 16-byte IV; not modified
   */
  static void aesCfb(boolean encrypt, byte[] keyAndIv, byte[] data, int offset, int length) {
    if (keyAndIv.length != (AES_KEY_BITS + AES_BLOCK_BITS) / 8) {
      throw new IllegalArgumentException("AES-128-CFB needs a 16-byte key and a 16-byte IV");
    }
    byte[] out = new byte[0];
    try {
      Cipher cipher = AES_CFB.get();
      cipher.init(
          encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
          new SecretKeySpec(keyAndIv, 0, AES_KEY_BITS / 8, "AES"),
          new IvParameterSpec(keyAndIv, AES_KEY_BITS / 8, AES_BLOCK_BITS / 8));
      out = cipher.doFinal(data, offset, length);
      if (out.length != length) {
        throw new IllegalStateException("AES-CFB changed the length of the data");
      }
      System.arraycopy(out, 0, data, offset, length);
    } catch (GeneralSecurityException e) {
      // AES/CFB/NoPadding with a 16-byte key and IV is in every Java SE runtime.
      throw new IllegalStateException("AES-128-CFB is not available in this Java runtime", e);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * Returns a copy of an authValue without its trailing zero bytes: the TPM removes them before using an authValue
   * as (part of) an HMAC key (Part 1 §19, "Authorizations and Acknowledgments"). The caller must zero the copy.
   */
  static byte[] trimAuth(byte[] authValue) {
    int n = authValue.length;
    while (n > 0 && authValue[n - 1] == 0) {
      n--;
    }
    return Arrays.copyOf(authValue, n);
  }

  /** Concatenates two arrays into a new one, which the caller must zero when it holds a secret. */
  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] int32(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }
}
