package dev.ngc4j.core.internal.krb.msg;

/**
 * APOptions bit numbers (RFC 4120 §5.5.1); combine them with {@link KerberosFlags#of(int...)}.
 *
 * <p>Thread safety: constants only.
 */
public final class ApOptions {
  /** reserved(0). */
  public static final int RESERVED = 0;
  /** use-session-key(1). */
  public static final int USE_SESSION_KEY = 1;
  /** mutual-required(2). */
  public static final int MUTUAL_REQUIRED = 2;

  private ApOptions() {}
}
