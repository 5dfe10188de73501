package dev.ngc4j.server.internal.util;

import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64: the URL-safe alphabet without padding (JOSE segments) and the standard alphabet with exact
 * padding (x5c, ctx, kngc, TransportKey, CSR). Anything else is refused: other characters, white space, wrong
 * padding and non-canonical trailing bits (encodings that differ from what an encoder would produce).
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Base64Strict {
  private static final byte[] URL = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  private static final byte[] STD = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Encoder STD_ENCODER = Base64.getEncoder();

  private Base64Strict() {}

  private static byte[] table(String alphabet) {
    byte[] t = new byte[128];
    Arrays.fill(t, (byte) -1);
    for (int i = 0; i < alphabet.length(); i++) {
      t[alphabet.charAt(i)] = (byte) i;
    }
    return t;
  }

  /**
   * Decodes unpadded base64url from {@code s[from, to)}.
   *
   * @param s the text
   * @param from the first index
   * @param to the index after the last
   * @return the bytes
   * @throws Malformed if the range is not canonical unpadded base64url
   */
  public static byte[] decodeUrl(CharSequence s, int from, int to) throws Malformed {
    return decode(s, from, to, URL);
  }

  /**
   * Decodes unpadded base64url.
   *
   * @param s the text
   * @return the bytes
   * @throws Malformed if {@code s} is not canonical unpadded base64url
   */
  public static byte[] decodeUrl(CharSequence s) throws Malformed {
    return decode(s, 0, s.length(), URL);
  }

  /**
   * Decodes standard base64 with exact padding.
   *
   * @param s the text
   * @return the bytes
   * @throws Malformed if {@code s} is not canonical padded standard base64
   */
  public static byte[] decodeStd(CharSequence s) throws Malformed {
    int length = s.length();
    if (length % 4 != 0) {
      throw new Malformed("base64 length is not a multiple of 4");
    }
    int end = length;
    if (end > 0 && s.charAt(end - 1) == '=') {
      end--;
      if (s.charAt(end - 1) == '=') {
        end--;
      }
    }
    if (end % 4 == 1) {
      throw new Malformed("base64 padding is wrong");
    }
    return decode(s, 0, end, STD);
  }

  private static byte[] decode(CharSequence s, int from, int to, byte[] table) throws Malformed {
    int n = to - from;
    if (n < 0 || n % 4 == 1) {
      throw new Malformed("base64 has an impossible length");
    }
    byte[] out = new byte[n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1)];
    int o = 0;
    int i = from;
    int fullEnd = from + n / 4 * 4;
    int bad = 0; // becomes negative if any character is outside the alphabet
    while (i < fullEnd) {
      int a = lookup(s.charAt(i), table);
      int b = lookup(s.charAt(i + 1), table);
      int c = lookup(s.charAt(i + 2), table);
      int d = lookup(s.charAt(i + 3), table);
      bad |= a | b | c | d;
      int v = (a << 18) | (b << 12) | (c << 6) | d;
      out[o] = (byte) (v >> 16);
      out[o + 1] = (byte) (v >> 8);
      out[o + 2] = (byte) v;
      o += 3;
      i += 4;
    }
    int rest = to - i;
    if (rest == 2) {
      int a = lookup(s.charAt(i), table);
      int b = lookup(s.charAt(i + 1), table);
      bad |= a | b | -(b & 0x0f); // non-zero unused bits are refused too
      out[o] = (byte) ((a << 2) | (b >> 4));
    } else if (rest == 3) {
      int a = lookup(s.charAt(i), table);
      int b = lookup(s.charAt(i + 1), table);
      int c = lookup(s.charAt(i + 2), table);
      bad |= a | b | c | -(c & 0x03);
      out[o] = (byte) ((a << 2) | (b >> 4));
      out[o + 1] = (byte) ((b << 4) | (c >> 2));
    }
    if (bad < 0) {
      throw new Malformed("base64 has a character outside its alphabet or non-canonical trailing bits");
    }
    return out;
  }

  /** The 6-bit value of a character, or -1 (all bits set) outside the alphabet. */
  private static int lookup(char c, byte[] table) {
    return c < 128 ? table[c] : -1;
  }

  /**
   * Encodes unpadded base64url.
   *
   * @param bytes the bytes
   * @return the text
   */
  public static String url(byte[] bytes) {
    return URL_ENCODER.encodeToString(bytes);
  }

  /**
   * Encodes padded standard base64.
   *
   * @param bytes the bytes
   * @return the text
   */
  public static String std(byte[] bytes) {
    return STD_ENCODER.encodeToString(bytes);
  }
}
