package dev.ngc4j.server.internal.keytrust;

import dev.ngc4j.server.KeyCredentialLinkException;
import dev.ngc4j.server.KeyCredentialLinkException.Reason;
import java.util.Objects;

/**
 * The Object(DN-Binary) string syntax of an attribute value (MS-ADTS 3.1.1.2.2.2, MS-DVRJ 2.3.4):
 * {@code B:<count of hex digits>:<hex digits>:<DN>}. Hex digits are written upper case and read in either case;
 * the count is decimal without leading zeros and must equal the number of hex digits, which must be even.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class DnBinary {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** The most hex digits accepted: twice the largest possible KEYCREDENTIALLINK_BLOB (9 entries of 65,535 bytes). */
  static final int MAX_HEX_DIGITS = 2 * (4 + 9 * (3 + LinkBlob.MAX_VALUE_BYTES));

  /** A parsed value. */
  @SuppressWarnings("ArrayRecordComponent") // internal value; the caller takes ownership of the array
  public record Value(byte[] binary, String dn) {}

  private DnBinary() {}

  /**
   * Writes a value.
   *
   * @param binary the binary part
   * @param dn the DN (RFC 4514 string form)
   * @return {@code B:<count>:<HEX>:<dn>}
   */
  public static String format(byte[] binary, String dn) {
    StringBuilder out = new StringBuilder(16 + 2 * binary.length + dn.length());
    out.append("B:").append(2 * binary.length).append(':');
    for (byte b : binary) {
      out.append(HEX[(b >>> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return out.append(':').append(dn).toString();
  }

  /**
   * Parses a value strictly.
   *
   * @param text the attribute value
   * @return the binary part and the DN
   * @throws KeyCredentialLinkException ({@link Reason#DN_BINARY}) if it is not of that form or the DN is empty
   */
  public static Value parse(String text) throws KeyCredentialLinkException {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith("B:")) {
      throw bad("it does not start with \"B:\"");
    }
    int countEnd = text.indexOf(':', 2);
    if (countEnd < 0) {
      throw bad("there is no ':' after the digit count");
    }
    String countText = text.substring(2, countEnd);
    if (countText.isEmpty() || countText.length() > 7 || (countText.length() > 1 && countText.charAt(0) == '0')) {
      throw bad("the digit count is empty, too long or has a leading zero");
    }
    int count = 0;
    for (int i = 0; i < countText.length(); i++) {
      char c = countText.charAt(i);
      if (c < '0' || c > '9') {
        throw bad("the digit count is not a decimal number");
      }
      count = count * 10 + (c - '0');
    }
    if (count % 2 != 0 || count > MAX_HEX_DIGITS) {
      throw bad("the digit count " + count + " is odd or too large");
    }
    int hexStart = countEnd + 1;
    int hexEnd = hexStart + count;
    if (hexEnd >= text.length() || text.charAt(hexEnd) != ':') {
      throw bad("the binary part does not have " + count + " digits followed by ':'");
    }
    byte[] binary = new byte[count / 2];
    for (int i = 0; i < binary.length; i++) {
      int hi = hexDigit(text.charAt(hexStart + 2 * i));
      int lo = hexDigit(text.charAt(hexStart + 2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw bad("the binary part has a character that is not a hex digit");
      }
      binary[i] = (byte) (hi << 4 | lo);
    }
    String dn = text.substring(hexEnd + 1);
    if (dn.isEmpty()) {
      throw bad("the DN is empty");
    }
    for (int i = 0; i < dn.length(); i++) {
      if (Character.isISOControl(dn.charAt(i))) {
        throw bad("the DN has a control character");
      }
    }
    return new Value(binary, dn);
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static KeyCredentialLinkException bad(String detail) {
    return new KeyCredentialLinkException(Reason.DN_BINARY, "not a DN-Binary value: " + detail);
  }
}
