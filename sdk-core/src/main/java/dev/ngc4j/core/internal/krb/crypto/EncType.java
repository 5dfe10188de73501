package dev.ngc4j.core.internal.krb.crypto;

import java.util.Optional;

/**
 * The Kerberos encryption types ngc4j speaks: the AES types of RFC 3962 (simplified profile of RFC 3961, with
 * HMAC-SHA1-96) and RFC 8009 (HMAC-SHA-256-128 and HMAC-SHA-384-192, SP 800-108 key derivation).
 *
 * <p>For every type here the key-generation seed length equals the key length and random-to-key is the identity.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
public enum EncType {
  /** {@code aes128-cts-hmac-sha1-96}, RFC 3962: 16-byte keys, checksum type 15 (hmac-sha1-96-aes128). */
  AES128_CTS_HMAC_SHA1_96(17, 16),
  /** {@code aes256-cts-hmac-sha1-96}, RFC 3962: 32-byte keys, checksum type 16 (hmac-sha1-96-aes256). */
  AES256_CTS_HMAC_SHA1_96(18, 32),
  /** {@code aes128-cts-hmac-sha256-128}, RFC 8009: 16-byte keys, checksum type 19 (hmac-sha256-128-aes128). */
  AES128_CTS_HMAC_SHA256_128(19, 16),
  /** {@code aes256-cts-hmac-sha384-192}, RFC 8009: 32-byte keys, checksum type 20 (hmac-sha384-192-aes256). */
  AES256_CTS_HMAC_SHA384_192(20, 32);

  private final int id;
  private final int keyLength;

  EncType(int id, int keyLength) {
    this.id = id;
    this.keyLength = keyLength;
  }

  /**
   * Returns the IANA enctype number (17 to 20).
   *
   * @return the enctype number
   */
  public int id() {
    return id;
  }

  /**
   * Returns the key length in bytes, which is also the key-generation seed length (RFC 3961 §3).
   *
   * @return 16 or 32
   */
  public int keyLength() {
    return keyLength;
  }

  /**
   * Returns the checksum type used with this enctype's keys: 15 (hmac-sha1-96-aes128), 16 (hmac-sha1-96-aes256),
   * 19 (hmac-sha256-128-aes128) or 20 (hmac-sha384-192-aes256).
   *
   * @return the checksum type number
   */
  public int checksumType() {
    return switch (this) {
      case AES128_CTS_HMAC_SHA1_96 -> 15;
      case AES256_CTS_HMAC_SHA1_96 -> 16;
      case AES128_CTS_HMAC_SHA256_128 -> 19;
      case AES256_CTS_HMAC_SHA384_192 -> 20;
    };
  }

  /**
   * Returns the length of this type's keyed checksums and integrity tags in bytes: 12 for the RFC 3962 types, 16
   * for {@code aes128-cts-hmac-sha256-128} and 24 for {@code aes256-cts-hmac-sha384-192}.
   *
   * @return the checksum length
   */
  public int checksumLength() {
    return switch (this) {
      case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 -> 12;
      case AES128_CTS_HMAC_SHA256_128 -> 16;
      case AES256_CTS_HMAC_SHA384_192 -> 24;
    };
  }

  /**
   * Returns the PBKDF2 iteration count string-to-key uses when the KDC sends no parameters: 4096 for RFC 3962,
   * 32768 for RFC 8009.
   *
   * @return the default iteration count
   */
  public int defaultIterations() {
    return isRfc8009() ? 32768 : 4096;
  }

  /**
   * Returns the name MIT krb5 uses ({@code klist -e}, {@code krb5.conf}), for example
   * {@code aes256-cts-hmac-sha1-96}. RFC 8009 also uses it as the string-to-key salt prefix.
   *
   * @return the MIT name
   */
  public String mitName() {
    return switch (this) {
      case AES128_CTS_HMAC_SHA1_96 -> "aes128-cts-hmac-sha1-96";
      case AES256_CTS_HMAC_SHA1_96 -> "aes256-cts-hmac-sha1-96";
      case AES128_CTS_HMAC_SHA256_128 -> "aes128-cts-hmac-sha256-128";
      case AES256_CTS_HMAC_SHA384_192 -> "aes256-cts-hmac-sha384-192";
    };
  }

  /**
   * Looks an enctype up by its number.
   *
   * @param id the enctype number
   * @return the enctype, or empty if ngc4j does not support it
   */
  public static Optional<EncType> byId(int id) {
    for (EncType type : values()) {
      if (type.id == id) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** True for the RFC 8009 types (SP 800-108 key derivation, encrypt-then-MAC over the ciphertext). */
  boolean isRfc8009() {
    return this == AES128_CTS_HMAC_SHA256_128 || this == AES256_CTS_HMAC_SHA384_192;
  }

  /** The JCA name of the HMAC of the integrity tags, checksums and (RFC 8009) key derivation. */
  String hmacAlgorithm() {
    return switch (this) {
      case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 -> "HmacSHA1";
      case AES128_CTS_HMAC_SHA256_128 -> "HmacSHA256";
      case AES256_CTS_HMAC_SHA384_192 -> "HmacSHA384";
    };
  }

  /**
   * The length of the derived integrity key Ki and checksum key Kc in bytes: the key length for RFC 3962, 16 for
   * {@code aes128-cts-hmac-sha256-128} and 24 for {@code aes256-cts-hmac-sha384-192} (RFC 8009 §5).
   */
  int macKeyLength() {
    return this == AES256_CTS_HMAC_SHA384_192 ? 24 : keyLength;
  }
}
