package dev.ngc4j.core.internal.krb.ccache;

/**
 * Ticket flags (RFC 4120 §5.3 TicketFlags) as the 32-bit integer a credential cache stores: flag bit {@code n} of
 * the ASN.1 BIT STRING is {@code 0x80000000 >>> n}. The letters are those of MIT {@code klist -f}.
 *
 * <p>Thread safety: constants only.
 */
public final class TicketFlags {
  /** Bit 1, {@code F}. */
  public static final int FORWARDABLE = 0x40000000;

  /** Bit 2, {@code f}. */
  public static final int FORWARDED = 0x20000000;

  /** Bit 3, {@code P}. */
  public static final int PROXIABLE = 0x10000000;

  /** Bit 4, {@code p}. */
  public static final int PROXY = 0x08000000;

  /** Bit 5, {@code D}. */
  public static final int MAY_POSTDATE = 0x04000000;

  /** Bit 6, {@code d}. */
  public static final int POSTDATED = 0x02000000;

  /** Bit 7, {@code i}. */
  public static final int INVALID = 0x01000000;

  /** Bit 8, {@code R}. */
  public static final int RENEWABLE = 0x00800000;

  /** Bit 9, {@code I}: issued by an AS exchange. */
  public static final int INITIAL = 0x00400000;

  /** Bit 10, {@code A}: the client pre-authenticated (PKINIT does). */
  public static final int PRE_AUTHENT = 0x00200000;

  /** Bit 11, {@code H}. */
  public static final int HW_AUTHENT = 0x00100000;

  /** Bit 12, {@code T}. */
  public static final int TRANSITED_POLICY_CHECKED = 0x00080000;

  /** Bit 13, {@code O}. */
  public static final int OK_AS_DELEGATE = 0x00040000;

  private TicketFlags() {}

  /**
   * Converts the first 32 bits of a DER BIT STRING's content (after the unused-bits octet) to the ccache integer.
   *
   * @param bits the flag octets, most significant first; shorter input is zero-extended, longer is truncated
   * @return the flags
   */
  public static int fromBits(byte[] bits) {
    int flags = 0;
    for (int i = 0; i < 4; i++) {
      flags = (flags << 8) | (i < bits.length ? bits[i] & 0xff : 0);
    }
    return flags;
  }
}
