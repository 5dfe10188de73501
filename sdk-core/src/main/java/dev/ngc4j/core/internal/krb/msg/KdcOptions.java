package dev.ngc4j.core.internal.krb.msg;

/**
 * KDCOptions bit numbers (RFC 4120 §5.4.1, RFC 6806 canonicalize, RFC 6112 anonymous); combine them with
 * {@link KerberosFlags#of(int...)}.
 *
 * <p>Thread safety: constants only.
 */
public final class KdcOptions {
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
  /** allow-postdate(5). */
  public static final int ALLOW_POSTDATE = 5;
  /** postdated(6). */
  public static final int POSTDATED = 6;
  /** renewable(8). */
  public static final int RENEWABLE = 8;
  /** opt-hardware-auth(11). */
  public static final int OPT_HARDWARE_AUTH = 11;
  /** cname-in-addl-tkt(14), constrained delegation (MS-SFU). */
  public static final int CNAME_IN_ADDL_TKT = 14;
  /** canonicalize(15) (RFC 6806). */
  public static final int CANONICALIZE = 15;
  /** request-anonymous(16) (RFC 6112). */
  public static final int REQUEST_ANONYMOUS = 16;
  /** disable-transited-check(26). */
  public static final int DISABLE_TRANSITED_CHECK = 26;
  /** renewable-ok(27). */
  public static final int RENEWABLE_OK = 27;
  /** enc-tkt-in-skey(28). */
  public static final int ENC_TKT_IN_SKEY = 28;
  /** renew(30). */
  public static final int RENEW = 30;
  /** validate(31). */
  public static final int VALIDATE = 31;

  private KdcOptions() {}
}
