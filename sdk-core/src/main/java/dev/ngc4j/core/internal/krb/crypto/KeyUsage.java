package dev.ngc4j.core.internal.krb.crypto;

/**
 * Kerberos key usage numbers (RFC 4120 §7.5.1) that the PKINIT client needs. A key usage is mixed into every
 * derived key, so a ciphertext or checksum made for one usage never verifies under another.
 *
 * <p>Thread safety: constants only.
 */
public final class KeyUsage {
  /** AS-REQ PA-ENC-TIMESTAMP padata timestamp, encrypted with the client key. */
  public static final int PA_ENC_TIMESTAMP = 1;

  /** AS-REP and TGS-REP Ticket (the ticket's enc-part), encrypted with the service key. */
  public static final int KDC_REP_TICKET = 2;

  /** AS-REP encrypted part, encrypted with the client key (with PKINIT: the reply key). */
  public static final int AS_REP_ENC_PART = 3;

  /** TGS-REQ KDC-REQ-BODY AuthorizationData, encrypted with the TGS session key. */
  public static final int TGS_REQ_AUTHDATA_SESSION_KEY = 4;

  /** TGS-REQ PA-TGS-REQ padata AP-REQ Authenticator cksum, keyed with the TGS session key. */
  public static final int TGS_REQ_AUTH_CKSUM = 6;

  /** TGS-REQ PA-TGS-REQ padata AP-REQ Authenticator, encrypted with the TGS session key. */
  public static final int TGS_REQ_AUTH = 7;

  /** TGS-REP encrypted part, encrypted with the TGS session key. */
  public static final int TGS_REP_ENC_PART_SESSION_KEY = 8;

  /** TGS-REP encrypted part, encrypted with the TGS authenticator subkey. */
  public static final int TGS_REP_ENC_PART_SUB_KEY = 9;

  /** AP-REQ Authenticator cksum, keyed with the application session key. */
  public static final int AP_REQ_AUTH_CKSUM = 10;

  /** AP-REQ Authenticator, encrypted with the application session key. */
  public static final int AP_REQ_AUTH = 11;

  /** AP-REP encrypted part, encrypted with the application session key. */
  public static final int AP_REP_ENC_PART = 12;

  private KeyUsage() {}
}
