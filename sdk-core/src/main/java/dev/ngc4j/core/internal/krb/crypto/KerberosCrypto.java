package dev.ngc4j.core.internal.krb.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Kerberos encryption, decryption and checksums (RFC 3961) for the AES encryption types of RFC 3962 and RFC 8009.
 *
 * <p>Encryption with a key usage, where {@code N} is a random 16-byte confounder, {@code E} AES-CBC with
 * ciphertext stealing and a zero initial vector, and Ke/Ki the usage's derived keys:
 *
 * <ul>
 *   <li>RFC 3962 ({@code aes*-cts-hmac-sha1-96}): {@code E(Ke, N | plaintext) | HMAC-SHA1(Ki, N | plaintext)[0..12]};
 *   <li>RFC 8009 ({@code aes128-cts-hmac-sha256-128}, {@code aes256-cts-hmac-sha384-192}): {@code C | HMAC(Ki, IV |
 *       C)[0..h]} with {@code C = E(Ke, N | plaintext)}, {@code IV} sixteen zero bytes and {@code h} 16 or 24.
 * </ul>
 *
 * <p>Keyed checksums are {@code HMAC(Kc, data)} truncated to {@link EncType#checksumLength()}.
 *
 * <p>Security: decryption checks the integrity tag with a constant-time comparison and returns nothing unless it
 * matches. For RFC 8009 types the tag covers the ciphertext and is checked before decrypting; for RFC 3962 types it
 * covers the plaintext, so the ciphertext is decrypted into a private buffer first, which is cleared on failure.
 * Derived keys and intermediate buffers are cleared after use (best effort).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class KerberosCrypto {
  private static final int CONFOUNDER = AesCts.BLOCK;

  private KerberosCrypto() {}

  /**
   * Encrypts {@code plaintext} under {@code key} for {@code usage} with a fresh random confounder.
   *
   * @param key the protocol key
   * @param usage the key usage ({@link KeyUsage})
   * @param plaintext the data to encrypt (may be empty)
   * @param random the source of the confounder
   * @return the ciphertext: 16 + {@code plaintext.length} + {@code key.type().checksumLength()} bytes
   * @throws IllegalStateException if the key was destroyed
   */
  public static byte[] encrypt(KerberosKey key, int usage, byte[] plaintext, SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] confounder = new byte[CONFOUNDER];
    random.nextBytes(confounder);
    return encrypt(key, usage, plaintext, confounder);
  }

  /** Encryption with a given confounder, for the RFC 8009 test vectors. */
  static byte[] encrypt(KerberosKey key, int usage, byte[] plaintext, byte[] confounder) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plaintext, "plaintext");
    if (confounder.length != CONFOUNDER) {
      throw new IllegalArgumentException("the confounder is one block (16 bytes)");
    }
    EncType type = key.type();
    byte[] base = key.bytes();
    byte[] ke = KeyDerivation.usageKey(type, base, usage, KeyDerivation.KE);
    byte[] ki = KeyDerivation.usageKey(type, base, usage, KeyDerivation.KI);
    byte[] input = new byte[CONFOUNDER + plaintext.length];
    try {
      System.arraycopy(confounder, 0, input, 0, CONFOUNDER);
      System.arraycopy(plaintext, 0, input, CONFOUNDER, plaintext.length);
      byte[] c = AesCts.encrypt(ke, new byte[AesCts.BLOCK], input);
      byte[] tag = type.isRfc8009() ? integrityTag8009(type, ki, c, c.length) : integrityTag3962(type, ki, input);
      byte[] out = Arrays.copyOf(c, c.length + tag.length);
      System.arraycopy(tag, 0, out, c.length, tag.length);
      return out;
    } finally {
      Arrays.fill(base, (byte) 0);
      Arrays.fill(ke, (byte) 0);
      Arrays.fill(ki, (byte) 0);
      Arrays.fill(input, (byte) 0);
    }
  }

  /**
   * Decrypts and verifies a ciphertext made by {@link #encrypt}.
   *
   * @param key the protocol key
   * @param usage the key usage the ciphertext was made for
   * @param ciphertext the ciphertext (the {@code cipher} of an EncryptedData)
   * @return the plaintext, without the confounder
   * @throws KrbCryptoException if the ciphertext is too short ({@link KrbCryptoException.Reason#MALFORMED}) or its
   *     integrity tag does not match ({@link KrbCryptoException.Reason#INTEGRITY})
   * @throws IllegalStateException if the key was destroyed
   */
  public static byte[] decrypt(KerberosKey key, int usage, byte[] ciphertext) throws KrbCryptoException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ciphertext, "ciphertext");
    EncType type = key.type();
    int h = type.checksumLength();
    int cLen = ciphertext.length - h;
    if (cLen < CONFOUNDER) {
      throw new KrbCryptoException(
          KrbCryptoException.Reason.MALFORMED,
          "the " + type.mitName() + " ciphertext is " + ciphertext.length + " bytes, shorter than the minimum "
              + (CONFOUNDER + h));
    }
    byte[] base = key.bytes();
    byte[] ke = KeyDerivation.usageKey(type, base, usage, KeyDerivation.KE);
    byte[] ki = KeyDerivation.usageKey(type, base, usage, KeyDerivation.KI);
    byte[] c = Arrays.copyOf(ciphertext, cLen);
    byte[] tag = Arrays.copyOfRange(ciphertext, cLen, ciphertext.length);
    byte[] plain = null;
    try {
      if (type.isRfc8009()) {
        byte[] expected = integrityTag8009(type, ki, c, cLen);
        if (!MessageDigest.isEqual(expected, tag)) {
          throw integrityFailure(type);
        }
        plain = AesCts.decrypt(ke, new byte[AesCts.BLOCK], c);
      } else {
        plain = AesCts.decrypt(ke, new byte[AesCts.BLOCK], c);
        byte[] expected = integrityTag3962(type, ki, plain);
        if (!MessageDigest.isEqual(expected, tag)) {
          throw integrityFailure(type);
        }
      }
      return Arrays.copyOfRange(plain, CONFOUNDER, plain.length);
    } finally {
      Arrays.fill(base, (byte) 0);
      Arrays.fill(ke, (byte) 0);
      Arrays.fill(ki, (byte) 0);
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /**
   * Computes the keyed checksum of {@code data}: checksum type {@code key.type().checksumType()}.
   *
   * @param key the protocol key
   * @param usage the key usage ({@link KeyUsage})
   * @param data the checksummed data
   * @return {@code key.type().checksumLength()} bytes
   * @throws IllegalStateException if the key was destroyed
   */
  public static byte[] checksum(KerberosKey key, int usage, byte[] data) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
    EncType type = key.type();
    byte[] base = key.bytes();
    byte[] kc = KeyDerivation.usageKey(type, base, usage, KeyDerivation.KC);
    try {
      Mac mac = KeyDerivation.mac(type.hmacAlgorithm(), kc);
      byte[] full = mac.doFinal(data);
      byte[] out = Arrays.copyOf(full, type.checksumLength());
      Arrays.fill(full, (byte) 0);
      return out;
    } finally {
      Arrays.fill(base, (byte) 0);
      Arrays.fill(kc, (byte) 0);
    }
  }

  /**
   * Verifies a keyed checksum in constant time.
   *
   * @param key the protocol key
   * @param usage the key usage the checksum was made for
   * @param data the checksummed data
   * @param checksum the checksum to verify
   * @return whether it matches (false also for a wrong length)
   * @throws IllegalStateException if the key was destroyed
   */
  public static boolean verifyChecksum(KerberosKey key, int usage, byte[] data, byte[] checksum) {
    Objects.requireNonNull(checksum, "checksum");
    byte[] expected = checksum(key, usage, data);
    return MessageDigest.isEqual(expected, checksum);
  }

  /**
   * RFC 3961 random-to-key: for AES the identity, so {@code random} must be exactly the key length.
   *
   * @param type the encryption type
   * @param random {@code type.keyLength()} random (or derived) bytes; copied
   * @return the key
   * @throws IllegalArgumentException if the length does not match
   */
  public static KerberosKey randomToKey(EncType type, byte[] random) {
    return new KerberosKey(type, random);
  }

  /**
   * String-to-key (RFC 3962 §4, RFC 8009 §4): PBKDF2 over the password (as UTF-8) and salt, then the key
   * derivation with the constant {@code "kerberos"}. For the RFC 8009 types the salt is prefixed with the enctype
   * name and a zero byte, as that RFC requires; pass the plain Kerberos salt (usually realm + principal name).
   * ngc4j's PKINIT client has no passwords; this exists so the RFC test vectors can be checked and tests can make
   * keys that MIT tools also derive.
   *
   * @param type the encryption type
   * @param password the password, not empty; not modified, and the UTF-8 copy is cleared
   * @param salt the salt
   * @param iterations the PBKDF2 iteration count, at least 1 ({@link EncType#defaultIterations()} if the KDC sent no
   *     string-to-key parameters)
   * @return the key
   * @throws IllegalArgumentException if the password is empty or not valid UTF-16, or {@code iterations < 1}
   */
  public static KerberosKey stringToKey(EncType type, char[] password, byte[] salt, int iterations) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(salt, "salt");
    byte[] utf8 = utf8(password);
    byte[] keyBytes = null;
    try {
      keyBytes = KeyDerivation.stringToKey(type, utf8, salt, iterations);
      return new KerberosKey(type, keyBytes);
    } finally {
      Arrays.fill(utf8, (byte) 0);
      if (keyBytes != null) {
        Arrays.fill(keyBytes, (byte) 0);
      }
    }
  }

  /**
   * Unkeyed SHA-1 (checksum type 14, {@code sha1}), as the PKINIT {@code PKAuthenticator.paChecksum} over the
   * DER of the KDC-REQ-BODY requires (RFC 4556 §3.2.1).
   *
   * @param data the data
   * @return 20 bytes
   */
  public static byte[] sha1(byte[] data) {
    Objects.requireNonNull(data, "data");
    try {
      return MessageDigest.getInstance("SHA-1").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }

  private static byte[] integrityTag3962(EncType type, byte[] ki, byte[] confounderAndPlaintext) {
    byte[] full = KeyDerivation.mac(type.hmacAlgorithm(), ki).doFinal(confounderAndPlaintext);
    byte[] tag = Arrays.copyOf(full, type.checksumLength());
    Arrays.fill(full, (byte) 0);
    return tag;
  }

  private static byte[] integrityTag8009(EncType type, byte[] ki, byte[] c, int cLen) {
    Mac mac = KeyDerivation.mac(type.hmacAlgorithm(), ki);
    mac.update(new byte[AesCts.BLOCK]); // the initial cipher state: all zero
    mac.update(c, 0, cLen);
    byte[] full = mac.doFinal();
    byte[] tag = Arrays.copyOf(full, type.checksumLength());
    Arrays.fill(full, (byte) 0);
    return tag;
  }

  private static KrbCryptoException integrityFailure(EncType type) {
    return new KrbCryptoException(
        KrbCryptoException.Reason.INTEGRITY,
        "the " + type.mitName() + " ciphertext failed its integrity check (wrong key or key usage, or modified)");
  }

  private static byte[] utf8(char[] password) {
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder(); // reports malformed input
    ByteBuffer out = ByteBuffer.allocate((int) Math.ceil(encoder.maxBytesPerChar() * password.length));
    try {
      CoderResult result = encoder.encode(CharBuffer.wrap(password), out, true);
      if (!result.isError()) {
        result = encoder.flush(out);
      }
      if (result.isError()) {
        throw new IllegalArgumentException("the password is not valid UTF-16 (unpaired surrogate)");
      }
      return Arrays.copyOf(out.array(), out.position());
    } finally {
      Arrays.fill(out.array(), (byte) 0);
    }
  }
}
