package dev.ngc4j.core.internal.krb.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derivation of the per-usage keys Kc (checksum), Ke (encryption) and Ki (integrity) from a protocol key, and the
 * string-to-key functions.
 *
 * <ul>
 *   <li>RFC 3962 types: {@code DK(key, constant) = random-to-key(DR(key, constant))}, where DR encrypts
 *       {@code n-fold(constant, 128)} with AES and then keeps encrypting the previous block until there are enough
 *       bytes (RFC 3961 §5.1). Random-to-key is the identity for AES.
 *   <li>RFC 8009 types: {@code KDF-HMAC-SHA2(key, label, k) = k-truncate(HMAC(key, [1]32 | label | 0x00 | [k]32))},
 *       the SP 800-108 counter-mode KDF with one block ({@code [x]32} is a 32-bit big-endian integer, {@code k} the
 *       output length in bits).
 * </ul>
 *
 * <p>The constant (label) for a key usage is the usage as a 32-bit big-endian integer followed by 0x99 (Kc), 0xAA
 * (Ke) or 0x55 (Ki).
 *
 * <p>Thread safety: stateless. Every result is a fresh array the caller should clear.
 */
final class KeyDerivation {
  static final int KC = 0x99;
  static final int KE = 0xAA;
  static final int KI = 0x55;

  private static final byte[] KERBEROS = "kerberos".getBytes(StandardCharsets.US_ASCII);

  private KeyDerivation() {}

  /** Derives Kc, Ke or Ki ({@code kind} = {@link #KC}, {@link #KE}, {@link #KI}) for {@code usage}. */
  static byte[] usageKey(EncType type, byte[] baseKey, int usage, int kind) {
    byte[] constant = {
      (byte) (usage >>> 24), (byte) (usage >>> 16), (byte) (usage >>> 8), (byte) usage, (byte) kind
    };
    if (!type.isRfc8009()) {
      return dk(baseKey, constant, type.keyLength());
    }
    int length = kind == KE ? type.keyLength() : type.macKeyLength();
    return kdfHmacSha2(type.hmacAlgorithm(), baseKey, constant, length);
  }

  /** RFC 3961 DK for AES: the first {@code length} bytes of DR(key, constant); random-to-key is the identity. */
  static byte[] dk(byte[] key, byte[] constant, int length) {
    byte[] block = NFold.fold(constant, AesCts.BLOCK);
    byte[] out = new byte[length];
    int filled = 0;
    while (filled < length) {
      byte[] next = AesCts.encryptBlock(key, block);
      Arrays.fill(block, (byte) 0);
      block = next;
      int n = Math.min(AesCts.BLOCK, length - filled);
      System.arraycopy(block, 0, out, filled, n);
      filled += n;
    }
    Arrays.fill(block, (byte) 0);
    return out;
  }

  /** RFC 8009 §3 KDF-HMAC-SHA2 with an empty context, for outputs up to one HMAC block. */
  static byte[] kdfHmacSha2(String hmacAlgorithm, byte[] key, byte[] label, int lengthBytes) {
    Mac mac = mac(hmacAlgorithm, key);
    if (lengthBytes < 1 || lengthBytes > mac.getMacLength()) {
      throw new IllegalArgumentException("KDF-HMAC-SHA2 output must fit one HMAC block");
    }
    int bits = lengthBytes * 8;
    mac.update(new byte[] {0, 0, 0, 1});
    mac.update(label);
    mac.update((byte) 0x00);
    mac.update(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    byte[] full = mac.doFinal();
    byte[] out = Arrays.copyOf(full, lengthBytes);
    Arrays.fill(full, (byte) 0);
    return out;
  }

  /**
   * String-to-key: RFC 3962 §4 ({@code DK(PBKDF2-HMAC-SHA1(password, salt, iterations, keylength), "kerberos")})
   * or RFC 8009 §4 ({@code KDF-HMAC-SHA2(PBKDF2-HMAC-SHA2(password, name | 0x00 | salt, iterations, keylength),
   * "kerberos", keylength)}).
   */
  static byte[] stringToKey(EncType type, byte[] password, byte[] salt, int iterations) {
    byte[] tkey;
    if (type.isRfc8009()) {
      byte[] name = type.mitName().getBytes(StandardCharsets.US_ASCII);
      byte[] saltp = new byte[name.length + 1 + salt.length];
      System.arraycopy(name, 0, saltp, 0, name.length);
      System.arraycopy(salt, 0, saltp, name.length + 1, salt.length);
      tkey = pbkdf2(type.hmacAlgorithm(), password, saltp, iterations, type.keyLength());
      try {
        return kdfHmacSha2(type.hmacAlgorithm(), tkey, KERBEROS, type.keyLength());
      } finally {
        Arrays.fill(tkey, (byte) 0);
      }
    }
    tkey = pbkdf2("HmacSHA1", password, salt, iterations, type.keyLength());
    try {
      return dk(tkey, KERBEROS, type.keyLength());
    } finally {
      Arrays.fill(tkey, (byte) 0);
    }
  }

  /** PBKDF2 (RFC 8018 §5.2) with an HMAC pseudorandom function. */
  static byte[] pbkdf2(String hmacAlgorithm, byte[] password, byte[] salt, int iterations, int length) {
    if (iterations < 1) {
      throw new IllegalArgumentException("the iteration count must be at least 1");
    }
    Mac mac = mac(hmacAlgorithm, password);
    int hLen = mac.getMacLength();
    int blocks = (length + hLen - 1) / hLen;
    byte[] out = new byte[blocks * hLen];
    byte[] u = new byte[hLen];
    byte[] t = new byte[hLen];
    try {
      for (int i = 1; i <= blocks; i++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        mac.doFinal(u, 0);
        System.arraycopy(u, 0, t, 0, hLen);
        for (int c = 1; c < iterations; c++) {
          mac.update(u);
          mac.doFinal(u, 0);
          for (int j = 0; j < hLen; j++) {
            t[j] ^= u[j];
          }
        }
        System.arraycopy(t, 0, out, (i - 1) * hLen, hLen);
      }
      return Arrays.copyOf(out, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's " + hmacAlgorithm + " failed", e);
    } finally {
      Arrays.fill(u, (byte) 0);
      Arrays.fill(t, (byte) 0);
      Arrays.fill(out, (byte) 0);
    }
  }

  /** An initialized HMAC; {@code key} must not be empty (the JCA refuses empty keys). */
  static Mac mac(String algorithm, byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("an HMAC key (or PBKDF2 password) must not be empty");
    }
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key, algorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }
}
