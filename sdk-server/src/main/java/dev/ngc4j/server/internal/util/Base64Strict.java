package dev.ngc4j.server.internal.util;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
  private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();
  private static final Base64.Decoder STD_DECODER = Base64.getDecoder();

  private Base64Strict() {}

  private static byte[] table(String alphabet) {
    byte[] t = new byte[256];
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
    return decode(latin1(s, from, to), 0, to - from, URL);
  }

  /**
   * Decodes unpadded base64url from {@code bytes[from, to)} (ASCII text).
   *
   * @param bytes the text as bytes
   * @param from the first index
   * @param to the index after the last
   * @return the bytes
   * @throws Malformed if the range is not canonical unpadded base64url
   */
  public static byte[] decodeUrl(byte[] bytes, int from, int to) throws Malformed {
    return decode(bytes, from, to, URL);
  }

  /**
   * Decodes unpadded base64url.
   *
   * @param s the text
   * @return the bytes
   * @throws Malformed if {@code s} is not canonical unpadded base64url
   */
  public static byte[] decodeUrl(CharSequence s) throws Malformed {
    return decodeUrl(s, 0, s.length());
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
    return decode(latin1(s, 0, end), 0, end, STD);
  }

  /**
   * The text as one byte per character: ISO-8859-1 maps every character above U+00FF to '?', and every character
   * outside the ASCII alphabets (including '?' and U+0080..U+00FF) is refused by the decoder, so nothing that was
   * not base64 can become base64 here. For a Latin-1 {@link String} this is one array copy.
   */
  private static byte[] latin1(CharSequence s, int from, int to) throws Malformed {
    if (from < 0 || to < from || to > s.length()) {
      throw new Malformed("base64 range outside the text");
    }
    return s.toString().substring(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Decodes {@code s[from, to)}, which holds no padding, with the JDK's decoder (intrinsic on common CPUs), after
   * the checks the JDK does not make: no '=' at all (the JDK accepts trailing padding, and refuses '=' anywhere
   * else) and zero unused bits in the last character. The JDK refuses every character outside the alphabet and
   * a one-character final group.
   */
  private static byte[] decode(byte[] s, int from, int to, byte[] table) throws Malformed {
    int n = to - from;
    if (n < 0 || n % 4 == 1) {
      throw new Malformed("base64 has an impossible length");
    }
    if (n == 0) {
      return new byte[0];
    }
    int last = table[s[to - 1] & 0xff];
    int unusedBits = n % 4 == 2 ? 0x0f : n % 4 == 3 ? 0x03 : 0;
    if (last < 0 || (last & unusedBits) != 0) {
      throw new Malformed("base64 has a character outside its alphabet or non-canonical trailing bits");
    }
    try {
      ByteBuffer decoded = (table == URL ? URL_DECODER : STD_DECODER).decode(ByteBuffer.wrap(s, from, n));
      byte[] array = decoded.array();
      return decoded.arrayOffset() == 0 && decoded.remaining() == array.length
          ? array
          : Arrays.copyOfRange(array, decoded.arrayOffset() + decoded.position(),
              decoded.arrayOffset() + decoded.limit());
    } catch (IllegalArgumentException e) {
      throw new Malformed("base64 has a character outside its alphabet");
    }
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
