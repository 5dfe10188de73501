package dev.ngc4j.core.internal.krb.msg;

/**
 * KerberosFlags (RFC 4120 §5.2.8) as a Java {@code int}: flag bit {@code n} of the BIT STRING is
 * {@code 1 << (31 - n)}, so bit 0 is the most significant bit, as on the wire.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class KerberosFlags {
  private KerberosFlags() {}

  /**
   * Returns the mask of one flag bit.
   *
   * @param bit the bit number, 0 to 31
   * @return the mask
   */
  public static int bit(int bit) {
    if (bit < 0 || bit > 31) {
      throw new IllegalArgumentException("flag bit outside 0 to 31: " + bit);
    }
    return 1 << (31 - bit);
  }

  /**
   * Returns the flags with the given bits set.
   *
   * @param bits the bit numbers
   * @return the flags
   */
  public static int of(int... bits) {
    int flags = 0;
    for (int b : bits) {
      flags |= bit(b);
    }
    return flags;
  }

  /**
   * Tells whether a flag bit is set.
   *
   * @param flags the flags
   * @param bit the bit number
   * @return whether it is set
   */
  public static boolean isSet(int flags, int bit) {
    return (flags & bit(bit)) != 0;
  }
}
