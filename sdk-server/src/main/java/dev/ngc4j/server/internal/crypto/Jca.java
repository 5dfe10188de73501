package dev.ngc4j.server.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cached JCA engines for the hot paths: one {@code SHA256withRSA} {@link Signature}, {@code SHA-256}
 * {@link MessageDigest}, {@code HmacSHA256} {@link Mac} and {@code AES/GCM} {@link Cipher} per thread, each from a
 * provider resolved once, so that a sign-in does no provider look-ups. Every engine is initialised before each use.
 *
 * <p>Thread safety: safe for concurrent use (each thread has its own engines).
 */
public final class Jca {
  /** The service's one source of randomness: a DRBG per thread, so that request threads never wait on a lock. */
  public static final SecureRandom RANDOM = new PerThreadRandom();

  /** The GCM tag length in bytes. */
  public static final int GCM_TAG_BYTES = 16;

  /** The GCM IV length in bytes. */
  public static final int GCM_IV_BYTES = 12;

  private static final Provider RSA_SIGNATURE_PROVIDER = provider(() -> Signature.getInstance("SHA256withRSA"));
  private static final Provider DIGEST_PROVIDER = provider(() -> MessageDigest.getInstance("SHA-256"));
  private static final Provider MAC_PROVIDER = provider(() -> Mac.getInstance("HmacSHA256"));
  private static final Provider AES_PROVIDER = provider(() -> Cipher.getInstance("AES/GCM/NoPadding"));

  private static final ThreadLocal<Signature> RS256 =
      ThreadLocal.withInitial(() -> engine(() -> Signature.getInstance("SHA256withRSA", RSA_SIGNATURE_PROVIDER)));
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(() -> engine(() -> MessageDigest.getInstance("SHA-256", DIGEST_PROVIDER)));
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(() -> engine(() -> Mac.getInstance("HmacSHA256", MAC_PROVIDER)));
  private static final ThreadLocal<Cipher> GCM =
      ThreadLocal.withInitial(() -> engine(() -> Cipher.getInstance("AES/GCM/NoPadding", AES_PROVIDER)));

  private Jca() {}

  private interface Factory<T> {
    T create() throws GeneralSecurityException;
  }

  private static <T> Provider provider(Factory<T> factory) {
    T engine = engine(factory);
    if (engine instanceof Signature s) {
      return s.getProvider();
    } else if (engine instanceof MessageDigest d) {
      return d.getProvider();
    } else if (engine instanceof Mac m) {
      return m.getProvider();
    }
    return ((Cipher) engine).getProvider();
  }

  private static <T> T engine(Factory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks a required algorithm", e);
    }
  }

  /**
   * Verifies an RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature. The signature must be exactly as long as the
   * modulus. Every failure, including a key the engine refuses, is {@code false}.
   *
   * @param key the RSA public key
   * @param data the signed bytes
   * @param signature the signature
   * @return whether the signature is valid
   */
  public static boolean verifyRs256(PublicKey key, byte[] data, byte[] signature) {
    return verifyRs256(key, data, 0, data.length, signature);
  }

  /**
   * Verifies an RS256 signature over {@code data[offset, offset + length)}.
   *
   * @param key the RSA public key
   * @param data the buffer holding the signed bytes
   * @param offset where they start
   * @param length how many there are
   * @param signature the signature
   * @return whether the signature is valid
   */
  public static boolean verifyRs256(PublicKey key, byte[] data, int offset, int length, byte[] signature) {
    if (!(key instanceof RSAKey rsa) || signature.length != (rsa.getModulus().bitLength() + 7) / 8) {
      return false;
    }
    Signature verifier = RS256.get();
    try {
      verifier.initVerify(key);
      verifier.update(data, offset, length);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Signs with RS256.
   *
   * @param key the RSA private key
   * @param data the bytes to sign
   * @return the signature
   */
  public static byte[] signRs256(PrivateKey key, byte[] data) {
    Signature signer = RS256.get();
    try {
      signer.initSign(key);
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed", e);
    }
  }

  /**
   * Returns SHA-256 of the bytes.
   *
   * @param data the bytes
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /**
   * Returns HMAC-SHA256 of the bytes.
   *
   * @param key the key
   * @param data the bytes
   * @return the 32-byte tag
   */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 failed", e);
    }
  }

  /**
   * Encrypts with AES-256-GCM under a fresh random IV.
   *
   * @param key the 32-byte key
   * @param aad the additional authenticated data
   * @param plaintext the plaintext
   * @param prefix bytes to put before the IV in the output (a version tag), may be empty
   * @return {@code prefix || iv || ciphertext || tag}
   */
  public static byte[] gcmSeal(byte[] key, byte[] aad, byte[] plaintext, byte[] prefix) {
    byte[] iv = new byte[GCM_IV_BYTES];
    RANDOM.nextBytes(iv);
    Cipher aes = GCM.get();
    try {
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, iv));
      aes.updateAAD(aad);
      byte[] out = new byte[prefix.length + GCM_IV_BYTES + plaintext.length + GCM_TAG_BYTES];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(iv, 0, out, prefix.length, GCM_IV_BYTES);
      aes.doFinal(plaintext, 0, plaintext.length, out, prefix.length + GCM_IV_BYTES);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts what {@link #gcmSeal} produced.
   *
   * @param key the 32-byte key
   * @param aad the additional authenticated data
   * @param sealed {@code prefix || iv || ciphertext || tag}
   * @param prefixLength the length of the prefix, which the caller has checked
   * @return the plaintext, or null if the input is too short or does not authenticate
   */
  public static byte @org.jspecify.annotations.Nullable [] gcmOpen(
      byte[] key, byte[] aad, byte[] sealed, int prefixLength) {
    if (sealed.length < prefixLength + GCM_IV_BYTES + GCM_TAG_BYTES) {
      return null;
    }
    Cipher aes = GCM.get();
    try {
      aes.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(GCM_TAG_BYTES * 8, sealed, prefixLength, GCM_IV_BYTES));
      aes.updateAAD(aad);
      int offset = prefixLength + GCM_IV_BYTES;
      return aes.doFinal(sealed, offset, sealed.length - offset);
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }
}
