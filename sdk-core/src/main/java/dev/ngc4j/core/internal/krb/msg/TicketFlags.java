package dev.ngc4j.core.internal.krb.msg;

/**
 * TicketFlags bit numbers (RFC 4120 §5.3, RFC 6806 enc-pa-rep, RFC 6112 anonymous); test them with
 * {@link KerberosFlags#isSet(int, int)}.
 *
 * <p>Thread safety: constants only.
 */
public final class TicketFlags {
  /** reserved(0). */
  public static final int RESERVED = 0;
  /** forwardable(1). */
  public static final int FORWARDABLE = 1;
  /** forwarded(2). */
  public static final int FORWARDED = 2;
  /** proxiable(3). */
  public static final int PROXIABLE = 3;
  /** proxy(4). */
  public static final int PROXY = 4;
  /** may-postdate(5). */
  public static final int MAY_POSTDATE = 5;
  /** postdated(6). */
  public static final int POSTDATED = 6;
  /** invalid(7). */
  public static final int INVALID = 7;
  /** renewable(8). */
  public static final int RENEWABLE = 8;
  /** initial(9). */
  public static final int INITIAL = 9;
  /** pre-authent(10). */
  public static final int PRE_AUTHENT = 10;
  /** hw-authent(11). */
  public static final int HW_AUTHENT = 11;
  /** transited-policy-checked(12). */
  public static final int TRANSITED_POLICY_CHECKED = 12;
  /** ok-as-delegate(13). */
  public static final int OK_AS_DELEGATE = 13;
  /** enc-pa-rep(15) (RFC 6806 §11): the reply's encrypted-pa-data must be checked. */
  public static final int ENC_PA_REP = 15;
  /** anonymous(16) (RFC 6112). */
  public static final int ANONYMOUS = 16;

  private TicketFlags() {}
}
