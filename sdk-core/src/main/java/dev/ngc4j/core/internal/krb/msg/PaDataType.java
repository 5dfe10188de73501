package dev.ngc4j.core.internal.krb.msg;

import java.util.Map;

/**
 * Pre-authentication data types (the IANA "Kerberos Pre-authentication and Typed Data" registry) that the
 * client sends, receives or must recognise in METHOD-DATA.
 *
 * <p>Thread safety: constants and a stateless lookup.
 */
public final class PaDataType {
  /** PA-TGS-REQ: the AP-REQ of a TGS-REQ (RFC 4120). */
  public static final int PA_TGS_REQ = 1;
  /** PA-ENC-TIMESTAMP: encrypted timestamp (RFC 4120). */
  public static final int PA_ENC_TIMESTAMP = 2;
  /** PA-PW-SALT (RFC 4120). */
  public static final int PA_PW_SALT = 3;
  /** PA-ETYPE-INFO (RFC 4120). */
  public static final int PA_ETYPE_INFO = 11;
  /** PA-PK-AS-REQ_OLD: draft-9 PKINIT request (obsolete). */
  public static final int PA_PK_AS_REQ_OLD = 14;
  /** PA-PK-AS-REP_OLD: draft-9 PKINIT reply (obsolete). */
  public static final int PA_PK_AS_REP_OLD = 15;
  /** PA-PK-AS-REQ: PKINIT request (RFC 4556). */
  public static final int PA_PK_AS_REQ = 16;
  /** PA-PK-AS-REP: PKINIT reply (RFC 4556). */
  public static final int PA_PK_AS_REP = 17;
  /** PA-ETYPE-INFO2 (RFC 4120). */
  public static final int PA_ETYPE_INFO2 = 19;
  /** PA-SVR-REFERRAL-INFO (RFC 6806). */
  public static final int PA_SVR_REFERRAL_INFO = 20;
  /** PA-PAC-REQUEST (MS-KILE). */
  public static final int PA_PAC_REQUEST = 128;
  /** PA-FOR-USER (MS-SFU). */
  public static final int PA_FOR_USER = 129;
  /** PA-FOR-X509-USER (MS-SFU). */
  public static final int PA_FOR_X509_USER = 130;
  /** PA-AS-CHECKSUM (RFC 4556, reserved). */
  public static final int PA_AS_CHECKSUM = 132;
  /** PA-FX-COOKIE (RFC 6113). */
  public static final int PA_FX_COOKIE = 133;
  /** PA-AUTHENTICATION-SET (RFC 6113). */
  public static final int PA_AUTHENTICATION_SET = 134;
  /** PA-AUTH-SET-SELECTED (RFC 6113). */
  public static final int PA_AUTH_SET_SELECTED = 135;
  /** PA-FX-FAST (RFC 6113). */
  public static final int PA_FX_FAST = 136;
  /** PA-FX-ERROR (RFC 6113). */
  public static final int PA_FX_ERROR = 137;
  /** PA-ENCRYPTED-CHALLENGE (RFC 6113). */
  public static final int PA_ENCRYPTED_CHALLENGE = 138;
  /** PA-OTP-CHALLENGE (RFC 6560). */
  public static final int PA_OTP_CHALLENGE = 141;
  /** PA-OTP-REQUEST (RFC 6560). */
  public static final int PA_OTP_REQUEST = 142;
  /** PA-OTP-PIN-CHANGE (RFC 6560). */
  public static final int PA_OTP_PIN_CHANGE = 144;
  /** PA-PKINIT-KX: anonymous PKINIT key exchange (RFC 8062). */
  public static final int PA_PKINIT_KX = 147;
  /** PA-REQ-ENC-PA-REP (RFC 6806). */
  public static final int PA_REQ_ENC_PA_REP = 149;
  /** PA_AS_FRESHNESS: PKINIT freshness token (RFC 8070). */
  public static final int PA_AS_FRESHNESS = 150;
  /** PA-SPAKE (draft-ietf-kitten-krb-spake-preauth, MIT). */
  public static final int PA_SPAKE = 151;
  /** PA-SUPPORTED-ENCTYPES (MS-KILE). */
  public static final int PA_SUPPORTED_ENCTYPES = 165;
  /** PA-EXTENDED-ERROR (MS-KILE). */
  public static final int PA_EXTENDED_ERROR = 166;
  /** PA-PAC-OPTIONS (MS-KILE). */
  public static final int PA_PAC_OPTIONS = 167;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(PA_TGS_REQ, "PA-TGS-REQ"),
      Map.entry(PA_ENC_TIMESTAMP, "PA-ENC-TIMESTAMP"),
      Map.entry(PA_PW_SALT, "PA-PW-SALT"),
      Map.entry(PA_ETYPE_INFO, "PA-ETYPE-INFO"),
      Map.entry(PA_PK_AS_REQ_OLD, "PA-PK-AS-REQ_OLD"),
      Map.entry(PA_PK_AS_REP_OLD, "PA-PK-AS-REP_OLD"),
      Map.entry(PA_PK_AS_REQ, "PA-PK-AS-REQ"),
      Map.entry(PA_PK_AS_REP, "PA-PK-AS-REP"),
      Map.entry(PA_ETYPE_INFO2, "PA-ETYPE-INFO2"),
      Map.entry(PA_SVR_REFERRAL_INFO, "PA-SVR-REFERRAL-INFO"),
      Map.entry(PA_PAC_REQUEST, "PA-PAC-REQUEST"),
      Map.entry(PA_FOR_USER, "PA-FOR-USER"),
      Map.entry(PA_FOR_X509_USER, "PA-FOR-X509-USER"),
      Map.entry(PA_AS_CHECKSUM, "PA-AS-CHECKSUM"),
      Map.entry(PA_FX_COOKIE, "PA-FX-COOKIE"),
      Map.entry(PA_AUTHENTICATION_SET, "PA-AUTHENTICATION-SET"),
      Map.entry(PA_AUTH_SET_SELECTED, "PA-AUTH-SET-SELECTED"),
      Map.entry(PA_FX_FAST, "PA-FX-FAST"),
      Map.entry(PA_FX_ERROR, "PA-FX-ERROR"),
      Map.entry(PA_ENCRYPTED_CHALLENGE, "PA-ENCRYPTED-CHALLENGE"),
      Map.entry(PA_OTP_CHALLENGE, "PA-OTP-CHALLENGE"),
      Map.entry(PA_OTP_REQUEST, "PA-OTP-REQUEST"),
      Map.entry(PA_OTP_PIN_CHANGE, "PA-OTP-PIN-CHANGE"),
      Map.entry(PA_PKINIT_KX, "PA-PKINIT-KX"),
      Map.entry(PA_REQ_ENC_PA_REP, "PA-REQ-ENC-PA-REP"),
      Map.entry(PA_AS_FRESHNESS, "PA_AS_FRESHNESS"),
      Map.entry(PA_SPAKE, "PA-SPAKE"),
      Map.entry(PA_SUPPORTED_ENCTYPES, "PA-SUPPORTED-ENCTYPES"),
      Map.entry(PA_EXTENDED_ERROR, "PA-EXTENDED-ERROR"),
      Map.entry(PA_PAC_OPTIONS, "PA-PAC-OPTIONS"));

  private PaDataType() {}

  /**
   * Returns the registry name and number of a padata type, such as {@code PA-PK-AS-REQ(16)}.
   *
   * @param type the type number
   * @return the name, or {@code PA-UNKNOWN(n)}
   */
  public static String name(int type) {
    return NAMES.getOrDefault(type, "PA-UNKNOWN") + "(" + type + ")";
  }
}
