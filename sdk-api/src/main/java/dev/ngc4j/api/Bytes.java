package dev.ngc4j.api;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes: copied in on creation and copied out on every access, compared by value in
 * constant time. Use it for public data (key ids, nonces, encoded keys); never for secrets, which have their own
 * destroyable types.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class Bytes {
  private static final Bytes EMPTY = new Bytes(new byte[0]);
  private final byte[] value;

  private Bytes(byte[] value) {
    this.value = value;
  }

  /**
   * Returns a copy of the given array as {@code Bytes}; the caller keeps its array.
   *
   * @param value the bytes to copy
   * @return an immutable copy
   * @since 0.1.0
   */
  public static Bytes of(byte[] value) {
    Objects.requireNonNull(value, "value");
    return value.length == 0 ? EMPTY : new Bytes(value.clone());
  }

  /**
   * Returns the empty sequence.
   *
   * @return the empty sequence
   * @since 0.1.0
   */
  public static Bytes empty() {
    return EMPTY;
  }

  /**
   * Decodes lower- or upper-case hexadecimal.
   *
   * @param hex an even number of hexadecimal digits
   * @return the decoded bytes
   * @throws IllegalArgumentException if {@code hex} is not hexadecimal
   * @since 0.1.0
   */
  public static Bytes fromHex(String hex) {
    return new Bytes(HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex")));
  }

  /**
   * Decodes unpadded base64url (RFC 4648 §5) strictly: no padding, no other alphabet, no white space and
   * canonical trailing bits.
   *
   * @param text the encoded text
   * @return the decoded bytes
   * @throws IllegalArgumentException if {@code text} is not strict unpadded base64url
   * @since 0.1.0
   */
  public static Bytes fromBase64Url(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() % 4 == 1) {
      throw new IllegalArgumentException("not base64url: impossible length");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        throw new IllegalArgumentException("not base64url: character at index " + i);
      }
    }
    byte[] decoded = Base64.getUrlDecoder().decode(text);
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(text)) {
      throw new IllegalArgumentException("not base64url: non-canonical trailing bits");
    }
    return new Bytes(decoded);
  }

  /**
   * Returns a copy of the bytes.
   *
   * @return a fresh array the caller owns
   * @since 0.1.0
   */
  public byte[] toByteArray() {
    return value.clone();
  }

  /**
   * Returns the number of bytes.
   *
   * @return the length
   * @since 0.1.0
   */
  public int length() {
    return value.length;
  }

  /**
   * Returns the bytes as lower-case hexadecimal.
   *
   * @return hexadecimal text
   * @since 0.1.0
   */
  public String toHex() {
    return HexFormat.of().formatHex(value);
  }

  /**
   * Returns the bytes as unpadded base64url.
   *
   * @return base64url text without padding
   * @since 0.1.0
   */
  public String toBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  /**
   * Compares in time that depends only on the lengths.
   *
   * @param o the other object
   * @return true when {@code o} is {@code Bytes} with the same content
   */
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof Bytes other && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** Returns the length and the first bytes in hexadecimal, for logs and debugging. */
  @Override
  public String toString() {
    String hex = toHex();
    return "Bytes[" + value.length + "]" + (hex.length() > 16 ? hex.substring(0, 16) + "…" : hex);
  }
}
