package dev.ngc4j.core.internal.krb.crypto;

import java.util.HexFormat;

/** Hex as the RFCs print it: any white space between the digits. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
