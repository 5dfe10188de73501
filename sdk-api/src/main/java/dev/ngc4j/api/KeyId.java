package dev.ngc4j.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Objects;

/**
 * The identifier of a credential key: the SHA-256 of its DER {@code SubjectPublicKeyInfo}. Two providers holding
 * the same public key report the same id, and the directory can compute it from the registered key.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param digest the 32-byte SHA-256 digest
 * @since 0.1.0
 */
public record KeyId(Bytes digest) {
  /**
   * Validates the digest length.
   *
   * @param digest the digest
   * @throws IllegalArgumentException if it is not 32 bytes
   */
  public KeyId {
    Objects.requireNonNull(digest, "digest");
    if (digest.length() != 32) {
      throw new IllegalArgumentException("key id must be a 32-byte SHA-256 digest, got " + digest.length());
    }
  }

  /**
   * Computes the id of a public key.
   *
   * @param key the public key (its {@code getEncoded()} must be an X.509 SubjectPublicKeyInfo)
   * @return the key id
   * @since 0.1.0
   */
  public static KeyId of(PublicKey key) {
    Objects.requireNonNull(key, "key");
    byte[] spki = key.getEncoded();
    if (spki == null || !"X.509".equals(key.getFormat())) {
      throw new IllegalArgumentException("public key has no X.509 encoding");
    }
    try {
      return new KeyId(Bytes.of(MessageDigest.getInstance("SHA-256").digest(spki)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Returns the id as unpadded base64url, the form used on the wire.
   *
   * @return base64url text
   * @since 0.1.0
   */
  public String toBase64Url() {
    return digest.toBase64Url();
  }

  /**
   * Returns the first 8 hex digits, the only form of a key id that may appear in logs.
   *
   * @return a short, non-identifying prefix
   * @since 0.1.0
   */
  public String shortForm() {
    return digest.toHex().substring(0, 8);
  }

  @Override
  public String toString() {
    return "KeyId[" + digest.toHex() + "]";
  }
}
