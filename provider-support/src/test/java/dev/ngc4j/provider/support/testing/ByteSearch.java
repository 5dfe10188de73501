package dev.ngc4j.provider.support.testing;

/** Looks for secrets in bytes (files, TPM commands and responses). */
public final class ByteSearch {
  private ByteSearch() {}

  /**
   * Returns whether {@code needle} occurs in {@code haystack}.
   *
   * @param haystack where to look
   * @param needle what to look for (an empty needle is found everywhere)
   * @return whether it occurs
   */
  public static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
