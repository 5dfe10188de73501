package dev.ngc4j.core.internal.krb.msg;

/**
 * Kerberos message types (RFC 4120 §5.10), which are also the application tag numbers of the messages, and a
 * peek at the type of a received message.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class MessageType {
  /** AS-REQ [APPLICATION 10]. */
  public static final int AS_REQ = 10;
  /** AS-REP [APPLICATION 11]. */
  public static final int AS_REP = 11;
  /** TGS-REQ [APPLICATION 12]. */
  public static final int TGS_REQ = 12;
  /** TGS-REP [APPLICATION 13]. */
  public static final int TGS_REP = 13;
  /** AP-REQ [APPLICATION 14]. */
  public static final int AP_REQ = 14;
  /** AP-REP [APPLICATION 15]. */
  public static final int AP_REP = 15;
  /** KRB-ERROR [APPLICATION 30]. */
  public static final int KRB_ERROR = 30;

  private MessageType() {}

  /**
   * Returns the application tag number of a message without decoding it, so a reply can be dispatched to
   * {@link KdcRep} or {@link KrbError}. Only the first octet is looked at.
   *
   * @param der the message
   * @return the application tag number, 0 to 30
   * @throws KrbMessageException if the message is empty or does not start with an application constructed tag
   */
  public static int of(byte[] der) throws KrbMessageException {
    if (der.length == 0) {
      throw new KrbMessageException("Kerberos message: empty");
    }
    int identifier = der[0] & 0xFF;
    if ((identifier & 0xE0) != 0x60 || (identifier & 0x1F) == 0x1F) {
      throw new KrbMessageException("Kerberos message: does not start with an [APPLICATION n] tag (found "
          + DerReader.describe(identifier) + ")");
    }
    return identifier & 0x1F;
  }
}
