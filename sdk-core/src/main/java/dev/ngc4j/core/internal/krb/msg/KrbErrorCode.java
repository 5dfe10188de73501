package dev.ngc4j.core.internal.krb.msg;

import java.util.Map;

/**
 * KRB-ERROR error codes: RFC 4120 §7.5.9, the PKINIT codes of RFC 4556 §3.1.3 (62 to 81), the FAST codes of RFC
 * 6113 (90 to 93) and RFC 8636's {@link #KDC_ERR_NO_ACCEPTABLE_KDF}.
 *
 * <p>Thread safety: constants and stateless lookups.
 */
public final class KrbErrorCode {
  /** 0: No error. */
  public static final int KDC_ERR_NONE = 0;
  /** 1: Client's entry in database has expired. */
  public static final int KDC_ERR_NAME_EXP = 1;
  /** 2: Server's entry in database has expired. */
  public static final int KDC_ERR_SERVICE_EXP = 2;
  /** 3: Requested protocol version number not supported. */
  public static final int KDC_ERR_BAD_PVNO = 3;
  /** 4: Client's key encrypted in old master key. */
  public static final int KDC_ERR_C_OLD_MAST_KVNO = 4;
  /** 5: Server's key encrypted in old master key. */
  public static final int KDC_ERR_S_OLD_MAST_KVNO = 5;
  /** 6: Client not found in Kerberos database. */
  public static final int KDC_ERR_C_PRINCIPAL_UNKNOWN = 6;
  /** 7: Server not found in Kerberos database. */
  public static final int KDC_ERR_S_PRINCIPAL_UNKNOWN = 7;
  /** 8: Multiple principal entries in database. */
  public static final int KDC_ERR_PRINCIPAL_NOT_UNIQUE = 8;
  /** 9: The client or server has a null key. */
  public static final int KDC_ERR_NULL_KEY = 9;
  /** 10: Ticket not eligible for postdating. */
  public static final int KDC_ERR_CANNOT_POSTDATE = 10;
  /** 11: Requested starttime is later than end time. */
  public static final int KDC_ERR_NEVER_VALID = 11;
  /** 12: KDC policy rejects request. */
  public static final int KDC_ERR_POLICY = 12;
  /** 13: KDC cannot accommodate requested option. */
  public static final int KDC_ERR_BADOPTION = 13;
  /** 14: KDC has no support for encryption type. */
  public static final int KDC_ERR_ETYPE_NOSUPP = 14;
  /** 15: KDC has no support for checksum type. */
  public static final int KDC_ERR_SUMTYPE_NOSUPP = 15;
  /** 16: KDC has no support for padata type. */
  public static final int KDC_ERR_PADATA_TYPE_NOSUPP = 16;
  /** 17: KDC has no support for transited type. */
  public static final int KDC_ERR_TRTYPE_NOSUPP = 17;
  /** 18: Clients credentials have been revoked. */
  public static final int KDC_ERR_CLIENT_REVOKED = 18;
  /** 19: Credentials for server have been revoked. */
  public static final int KDC_ERR_SERVICE_REVOKED = 19;
  /** 20: TGT has been revoked. */
  public static final int KDC_ERR_TGT_REVOKED = 20;
  /** 21: Client not yet valid; try again later. */
  public static final int KDC_ERR_CLIENT_NOTYET = 21;
  /** 22: Server not yet valid; try again later. */
  public static final int KDC_ERR_SERVICE_NOTYET = 22;
  /** 23: Password has expired; change password to reset. */
  public static final int KDC_ERR_KEY_EXPIRED = 23;
  /** 24: Pre-authentication information was invalid. */
  public static final int KDC_ERR_PREAUTH_FAILED = 24;
  /** 25: Additional pre-authentication required. */
  public static final int KDC_ERR_PREAUTH_REQUIRED = 25;
  /** 26: Requested server and ticket don't match. */
  public static final int KDC_ERR_SERVER_NOMATCH = 26;
  /** 27: Server principal valid for user2user only. */
  public static final int KDC_ERR_MUST_USE_USER2USER = 27;
  /** 28: KDC Policy rejects transited path. */
  public static final int KDC_ERR_PATH_NOT_ACCEPTED = 28;
  /** 29: A service is not available. */
  public static final int KDC_ERR_SVC_UNAVAILABLE = 29;
  /** 31: Integrity check on decrypted field failed. */
  public static final int KRB_AP_ERR_BAD_INTEGRITY = 31;
  /** 32: Ticket expired. */
  public static final int KRB_AP_ERR_TKT_EXPIRED = 32;
  /** 33: Ticket not yet valid. */
  public static final int KRB_AP_ERR_TKT_NYV = 33;
  /** 34: Request is a replay. */
  public static final int KRB_AP_ERR_REPEAT = 34;
  /** 35: The ticket isn't for us. */
  public static final int KRB_AP_ERR_NOT_US = 35;
  /** 36: Ticket and authenticator don't match. */
  public static final int KRB_AP_ERR_BADMATCH = 36;
  /** 37: Clock skew too great. */
  public static final int KRB_AP_ERR_SKEW = 37;
  /** 38: Incorrect net address. */
  public static final int KRB_AP_ERR_BADADDR = 38;
  /** 39: Protocol version mismatch. */
  public static final int KRB_AP_ERR_BADVERSION = 39;
  /** 40: Invalid msg type. */
  public static final int KRB_AP_ERR_MSG_TYPE = 40;
  /** 41: Message stream modified. */
  public static final int KRB_AP_ERR_MODIFIED = 41;
  /** 42: Message out of order. */
  public static final int KRB_AP_ERR_BADORDER = 42;
  /** 44: Specified version of key is not available. */
  public static final int KRB_AP_ERR_BADKEYVER = 44;
  /** 45: Service key not available. */
  public static final int KRB_AP_ERR_NOKEY = 45;
  /** 46: Mutual authentication failed. */
  public static final int KRB_AP_ERR_MUT_FAIL = 46;
  /** 47: Incorrect message direction. */
  public static final int KRB_AP_ERR_BADDIRECTION = 47;
  /** 48: Alternative authentication method required. */
  public static final int KRB_AP_ERR_METHOD = 48;
  /** 49: Incorrect sequence number in message. */
  public static final int KRB_AP_ERR_BADSEQ = 49;
  /** 50: Inappropriate type of checksum in message. */
  public static final int KRB_AP_ERR_INAPP_CKSUM = 50;
  /** 51: Policy rejects transited path. */
  public static final int KRB_AP_PATH_NOT_ACCEPTED = 51;
  /** 52: Response too big for UDP; retry with TCP. */
  public static final int KRB_ERR_RESPONSE_TOO_BIG = 52;
  /** 60: Generic error (description in e-text). */
  public static final int KRB_ERR_GENERIC = 60;
  /** 61: Field is too long for this implementation. */
  public static final int KRB_ERR_FIELD_TOOLONG = 61;
  /** 62: The client's certificate is not trusted (RFC 4556). */
  public static final int KDC_ERR_CLIENT_NOT_TRUSTED = 62;
  /** 63: The KDC is not trusted (RFC 4556). */
  public static final int KDC_ERR_KDC_NOT_TRUSTED = 63;
  /** 64: The signature is invalid (RFC 4556). */
  public static final int KDC_ERR_INVALID_SIG = 64;
  /** 65: The Diffie-Hellman key parameters are not accepted (RFC 4556). */
  public static final int KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED = 65;
  /** 66: Certificate mismatch (RFC 4556). */
  public static final int KDC_ERR_CERTIFICATE_MISMATCH = 66;
  /** 67: No TGT available to validate USER-TO-USER. */
  public static final int KRB_AP_ERR_NO_TGT = 67;
  /** 68: Wrong realm (RFC 6806 referral). */
  public static final int KDC_ERR_WRONG_REALM = 68;
  /** 69: Ticket must be for USER-TO-USER. */
  public static final int KRB_AP_ERR_USER_TO_USER_REQUIRED = 69;
  /** 70: The client's certificate cannot be verified (RFC 4556). */
  public static final int KDC_ERR_CANT_VERIFY_CERTIFICATE = 70;
  /** 71: The client's certificate is invalid (RFC 4556). */
  public static final int KDC_ERR_INVALID_CERTIFICATE = 71;
  /** 72: The client's certificate is revoked (RFC 4556). */
  public static final int KDC_ERR_REVOKED_CERTIFICATE = 72;
  /** 73: The revocation status is unknown (RFC 4556). */
  public static final int KDC_ERR_REVOCATION_STATUS_UNKNOWN = 73;
  /** 74: The revocation status is unavailable (RFC 4556). */
  public static final int KDC_ERR_REVOCATION_STATUS_UNAVAILABLE = 74;
  /** 75: The client name does not match the certificate (RFC 4556). */
  public static final int KDC_ERR_CLIENT_NAME_MISMATCH = 75;
  /** 76: The KDC name does not match (RFC 4556). */
  public static final int KDC_ERR_KDC_NAME_MISMATCH = 76;
  /** 77: The certificate's key purpose is not acceptable (RFC 4556). */
  public static final int KDC_ERR_INCONSISTENT_KEY_PURPOSE = 77;
  /** 78: The digest in the certificate's signature is not accepted (RFC 4556). */
  public static final int KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED = 78;
  /** 79: The paChecksum must be included (RFC 4556). */
  public static final int KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED = 79;
  /** 80: The digest in the signed data is not accepted (RFC 4556). */
  public static final int KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED = 80;
  /** 81: Public key encryption is not supported (RFC 4556). */
  public static final int KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED = 81;
  /** 90: The pre-authentication has expired (RFC 6113). */
  public static final int KDC_ERR_PREAUTH_EXPIRED = 90;
  /** 91: More pre-authentication data is required (RFC 6113). */
  public static final int KDC_ERR_MORE_PREAUTH_DATA_REQUIRED = 91;
  /** 92: Bad authentication set (RFC 6113). */
  public static final int KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET = 92;
  /** 93: Unknown critical FAST options (RFC 6113). */
  public static final int KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS = 93;
  /** 100: No acceptable KDF offered (RFC 8636). */
  public static final int KDC_ERR_NO_ACCEPTABLE_KDF = 100;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(KDC_ERR_NONE, "KDC_ERR_NONE"),
      Map.entry(KDC_ERR_NAME_EXP, "KDC_ERR_NAME_EXP"),
      Map.entry(KDC_ERR_SERVICE_EXP, "KDC_ERR_SERVICE_EXP"),
      Map.entry(KDC_ERR_BAD_PVNO, "KDC_ERR_BAD_PVNO"),
      Map.entry(KDC_ERR_C_OLD_MAST_KVNO, "KDC_ERR_C_OLD_MAST_KVNO"),
      Map.entry(KDC_ERR_S_OLD_MAST_KVNO, "KDC_ERR_S_OLD_MAST_KVNO"),
      Map.entry(KDC_ERR_C_PRINCIPAL_UNKNOWN, "KDC_ERR_C_PRINCIPAL_UNKNOWN"),
      Map.entry(KDC_ERR_S_PRINCIPAL_UNKNOWN, "KDC_ERR_S_PRINCIPAL_UNKNOWN"),
      Map.entry(KDC_ERR_PRINCIPAL_NOT_UNIQUE, "KDC_ERR_PRINCIPAL_NOT_UNIQUE"),
      Map.entry(KDC_ERR_NULL_KEY, "KDC_ERR_NULL_KEY"),
      Map.entry(KDC_ERR_CANNOT_POSTDATE, "KDC_ERR_CANNOT_POSTDATE"),
      Map.entry(KDC_ERR_NEVER_VALID, "KDC_ERR_NEVER_VALID"),
      Map.entry(KDC_ERR_POLICY, "KDC_ERR_POLICY"),
      Map.entry(KDC_ERR_BADOPTION, "KDC_ERR_BADOPTION"),
      Map.entry(KDC_ERR_ETYPE_NOSUPP, "KDC_ERR_ETYPE_NOSUPP"),
      Map.entry(KDC_ERR_SUMTYPE_NOSUPP, "KDC_ERR_SUMTYPE_NOSUPP"),
      Map.entry(KDC_ERR_PADATA_TYPE_NOSUPP, "KDC_ERR_PADATA_TYPE_NOSUPP"),
      Map.entry(KDC_ERR_TRTYPE_NOSUPP, "KDC_ERR_TRTYPE_NOSUPP"),
      Map.entry(KDC_ERR_CLIENT_REVOKED, "KDC_ERR_CLIENT_REVOKED"),
      Map.entry(KDC_ERR_SERVICE_REVOKED, "KDC_ERR_SERVICE_REVOKED"),
      Map.entry(KDC_ERR_TGT_REVOKED, "KDC_ERR_TGT_REVOKED"),
      Map.entry(KDC_ERR_CLIENT_NOTYET, "KDC_ERR_CLIENT_NOTYET"),
      Map.entry(KDC_ERR_SERVICE_NOTYET, "KDC_ERR_SERVICE_NOTYET"),
      Map.entry(KDC_ERR_KEY_EXPIRED, "KDC_ERR_KEY_EXPIRED"),
      Map.entry(KDC_ERR_PREAUTH_FAILED, "KDC_ERR_PREAUTH_FAILED"),
      Map.entry(KDC_ERR_PREAUTH_REQUIRED, "KDC_ERR_PREAUTH_REQUIRED"),
      Map.entry(KDC_ERR_SERVER_NOMATCH, "KDC_ERR_SERVER_NOMATCH"),
      Map.entry(KDC_ERR_MUST_USE_USER2USER, "KDC_ERR_MUST_USE_USER2USER"),
      Map.entry(KDC_ERR_PATH_NOT_ACCEPTED, "KDC_ERR_PATH_NOT_ACCEPTED"),
      Map.entry(KDC_ERR_SVC_UNAVAILABLE, "KDC_ERR_SVC_UNAVAILABLE"),
      Map.entry(KRB_AP_ERR_BAD_INTEGRITY, "KRB_AP_ERR_BAD_INTEGRITY"),
      Map.entry(KRB_AP_ERR_TKT_EXPIRED, "KRB_AP_ERR_TKT_EXPIRED"),
      Map.entry(KRB_AP_ERR_TKT_NYV, "KRB_AP_ERR_TKT_NYV"),
      Map.entry(KRB_AP_ERR_REPEAT, "KRB_AP_ERR_REPEAT"),
      Map.entry(KRB_AP_ERR_NOT_US, "KRB_AP_ERR_NOT_US"),
      Map.entry(KRB_AP_ERR_BADMATCH, "KRB_AP_ERR_BADMATCH"),
      Map.entry(KRB_AP_ERR_SKEW, "KRB_AP_ERR_SKEW"),
      Map.entry(KRB_AP_ERR_BADADDR, "KRB_AP_ERR_BADADDR"),
      Map.entry(KRB_AP_ERR_BADVERSION, "KRB_AP_ERR_BADVERSION"),
      Map.entry(KRB_AP_ERR_MSG_TYPE, "KRB_AP_ERR_MSG_TYPE"),
      Map.entry(KRB_AP_ERR_MODIFIED, "KRB_AP_ERR_MODIFIED"),
      Map.entry(KRB_AP_ERR_BADORDER, "KRB_AP_ERR_BADORDER"),
      Map.entry(KRB_AP_ERR_BADKEYVER, "KRB_AP_ERR_BADKEYVER"),
      Map.entry(KRB_AP_ERR_NOKEY, "KRB_AP_ERR_NOKEY"),
      Map.entry(KRB_AP_ERR_MUT_FAIL, "KRB_AP_ERR_MUT_FAIL"),
      Map.entry(KRB_AP_ERR_BADDIRECTION, "KRB_AP_ERR_BADDIRECTION"),
      Map.entry(KRB_AP_ERR_METHOD, "KRB_AP_ERR_METHOD"),
      Map.entry(KRB_AP_ERR_BADSEQ, "KRB_AP_ERR_BADSEQ"),
      Map.entry(KRB_AP_ERR_INAPP_CKSUM, "KRB_AP_ERR_INAPP_CKSUM"),
      Map.entry(KRB_AP_PATH_NOT_ACCEPTED, "KRB_AP_PATH_NOT_ACCEPTED"),
      Map.entry(KRB_ERR_RESPONSE_TOO_BIG, "KRB_ERR_RESPONSE_TOO_BIG"),
      Map.entry(KRB_ERR_GENERIC, "KRB_ERR_GENERIC"),
      Map.entry(KRB_ERR_FIELD_TOOLONG, "KRB_ERR_FIELD_TOOLONG"),
      Map.entry(KDC_ERR_CLIENT_NOT_TRUSTED, "KDC_ERR_CLIENT_NOT_TRUSTED"),
      Map.entry(KDC_ERR_KDC_NOT_TRUSTED, "KDC_ERR_KDC_NOT_TRUSTED"),
      Map.entry(KDC_ERR_INVALID_SIG, "KDC_ERR_INVALID_SIG"),
      Map.entry(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, "KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED"),
      Map.entry(KDC_ERR_CERTIFICATE_MISMATCH, "KDC_ERR_CERTIFICATE_MISMATCH"),
      Map.entry(KRB_AP_ERR_NO_TGT, "KRB_AP_ERR_NO_TGT"),
      Map.entry(KDC_ERR_WRONG_REALM, "KDC_ERR_WRONG_REALM"),
      Map.entry(KRB_AP_ERR_USER_TO_USER_REQUIRED, "KRB_AP_ERR_USER_TO_USER_REQUIRED"),
      Map.entry(KDC_ERR_CANT_VERIFY_CERTIFICATE, "KDC_ERR_CANT_VERIFY_CERTIFICATE"),
      Map.entry(KDC_ERR_INVALID_CERTIFICATE, "KDC_ERR_INVALID_CERTIFICATE"),
      Map.entry(KDC_ERR_REVOKED_CERTIFICATE, "KDC_ERR_REVOKED_CERTIFICATE"),
      Map.entry(KDC_ERR_REVOCATION_STATUS_UNKNOWN, "KDC_ERR_REVOCATION_STATUS_UNKNOWN"),
      Map.entry(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, "KDC_ERR_REVOCATION_STATUS_UNAVAILABLE"),
      Map.entry(KDC_ERR_CLIENT_NAME_MISMATCH, "KDC_ERR_CLIENT_NAME_MISMATCH"),
      Map.entry(KDC_ERR_KDC_NAME_MISMATCH, "KDC_ERR_KDC_NAME_MISMATCH"),
      Map.entry(KDC_ERR_INCONSISTENT_KEY_PURPOSE, "KDC_ERR_INCONSISTENT_KEY_PURPOSE"),
      Map.entry(KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED, "KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED"),
      Map.entry(KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED, "KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED"),
      Map.entry(KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED, "KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED"),
      Map.entry(KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED, "KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED"),
      Map.entry(KDC_ERR_PREAUTH_EXPIRED, "KDC_ERR_PREAUTH_EXPIRED"),
      Map.entry(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, "KDC_ERR_MORE_PREAUTH_DATA_REQUIRED"),
      Map.entry(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, "KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET"),
      Map.entry(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, "KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS"),
      Map.entry(KDC_ERR_NO_ACCEPTABLE_KDF, "KDC_ERR_NO_ACCEPTABLE_KDF"));
  private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry(KDC_ERR_NONE, "No error"),
      Map.entry(KDC_ERR_NAME_EXP, "Client's entry in database has expired"),
      Map.entry(KDC_ERR_SERVICE_EXP, "Server's entry in database has expired"),
      Map.entry(KDC_ERR_BAD_PVNO, "Requested protocol version number not supported"),
      Map.entry(KDC_ERR_C_OLD_MAST_KVNO, "Client's key encrypted in old master key"),
      Map.entry(KDC_ERR_S_OLD_MAST_KVNO, "Server's key encrypted in old master key"),
      Map.entry(KDC_ERR_C_PRINCIPAL_UNKNOWN, "Client not found in Kerberos database"),
      Map.entry(KDC_ERR_S_PRINCIPAL_UNKNOWN, "Server not found in Kerberos database"),
      Map.entry(KDC_ERR_PRINCIPAL_NOT_UNIQUE, "Multiple principal entries in database"),
      Map.entry(KDC_ERR_NULL_KEY, "The client or server has a null key"),
      Map.entry(KDC_ERR_CANNOT_POSTDATE, "Ticket not eligible for postdating"),
      Map.entry(KDC_ERR_NEVER_VALID, "Requested starttime is later than end time"),
      Map.entry(KDC_ERR_POLICY, "KDC policy rejects request"),
      Map.entry(KDC_ERR_BADOPTION, "KDC cannot accommodate requested option"),
      Map.entry(KDC_ERR_ETYPE_NOSUPP, "KDC has no support for encryption type"),
      Map.entry(KDC_ERR_SUMTYPE_NOSUPP, "KDC has no support for checksum type"),
      Map.entry(KDC_ERR_PADATA_TYPE_NOSUPP, "KDC has no support for padata type"),
      Map.entry(KDC_ERR_TRTYPE_NOSUPP, "KDC has no support for transited type"),
      Map.entry(KDC_ERR_CLIENT_REVOKED, "Clients credentials have been revoked"),
      Map.entry(KDC_ERR_SERVICE_REVOKED, "Credentials for server have been revoked"),
      Map.entry(KDC_ERR_TGT_REVOKED, "TGT has been revoked"),
      Map.entry(KDC_ERR_CLIENT_NOTYET, "Client not yet valid; try again later"),
      Map.entry(KDC_ERR_SERVICE_NOTYET, "Server not yet valid; try again later"),
      Map.entry(KDC_ERR_KEY_EXPIRED, "Password has expired; change password to reset"),
      Map.entry(KDC_ERR_PREAUTH_FAILED, "Pre-authentication information was invalid"),
      Map.entry(KDC_ERR_PREAUTH_REQUIRED, "Additional pre-authentication required"),
      Map.entry(KDC_ERR_SERVER_NOMATCH, "Requested server and ticket don't match"),
      Map.entry(KDC_ERR_MUST_USE_USER2USER, "Server principal valid for user2user only"),
      Map.entry(KDC_ERR_PATH_NOT_ACCEPTED, "KDC Policy rejects transited path"),
      Map.entry(KDC_ERR_SVC_UNAVAILABLE, "A service is not available"),
      Map.entry(KRB_AP_ERR_BAD_INTEGRITY, "Integrity check on decrypted field failed"),
      Map.entry(KRB_AP_ERR_TKT_EXPIRED, "Ticket expired"),
      Map.entry(KRB_AP_ERR_TKT_NYV, "Ticket not yet valid"),
      Map.entry(KRB_AP_ERR_REPEAT, "Request is a replay"),
      Map.entry(KRB_AP_ERR_NOT_US, "The ticket isn't for us"),
      Map.entry(KRB_AP_ERR_BADMATCH, "Ticket and authenticator don't match"),
      Map.entry(KRB_AP_ERR_SKEW, "Clock skew too great"),
      Map.entry(KRB_AP_ERR_BADADDR, "Incorrect net address"),
      Map.entry(KRB_AP_ERR_BADVERSION, "Protocol version mismatch"),
      Map.entry(KRB_AP_ERR_MSG_TYPE, "Invalid msg type"),
      Map.entry(KRB_AP_ERR_MODIFIED, "Message stream modified"),
      Map.entry(KRB_AP_ERR_BADORDER, "Message out of order"),
      Map.entry(KRB_AP_ERR_BADKEYVER, "Specified version of key is not available"),
      Map.entry(KRB_AP_ERR_NOKEY, "Service key not available"),
      Map.entry(KRB_AP_ERR_MUT_FAIL, "Mutual authentication failed"),
      Map.entry(KRB_AP_ERR_BADDIRECTION, "Incorrect message direction"),
      Map.entry(KRB_AP_ERR_METHOD, "Alternative authentication method required"),
      Map.entry(KRB_AP_ERR_BADSEQ, "Incorrect sequence number in message"),
      Map.entry(KRB_AP_ERR_INAPP_CKSUM, "Inappropriate type of checksum in message"),
      Map.entry(KRB_AP_PATH_NOT_ACCEPTED, "Policy rejects transited path"),
      Map.entry(KRB_ERR_RESPONSE_TOO_BIG, "Response too big for UDP; retry with TCP"),
      Map.entry(KRB_ERR_GENERIC, "Generic error (description in e-text)"),
      Map.entry(KRB_ERR_FIELD_TOOLONG, "Field is too long for this implementation"),
      Map.entry(KDC_ERR_CLIENT_NOT_TRUSTED, "The client's certificate is not trusted (RFC 4556)"),
      Map.entry(KDC_ERR_KDC_NOT_TRUSTED, "The KDC is not trusted (RFC 4556)"),
      Map.entry(KDC_ERR_INVALID_SIG, "The signature is invalid (RFC 4556)"),
      Map.entry(KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED, "The Diffie-Hellman key parameters are not accepted (RFC 4556)"),
      Map.entry(KDC_ERR_CERTIFICATE_MISMATCH, "Certificate mismatch (RFC 4556)"),
      Map.entry(KRB_AP_ERR_NO_TGT, "No TGT available to validate USER-TO-USER"),
      Map.entry(KDC_ERR_WRONG_REALM, "Wrong realm (RFC 6806 referral)"),
      Map.entry(KRB_AP_ERR_USER_TO_USER_REQUIRED, "Ticket must be for USER-TO-USER"),
      Map.entry(KDC_ERR_CANT_VERIFY_CERTIFICATE, "The client's certificate cannot be verified (RFC 4556)"),
      Map.entry(KDC_ERR_INVALID_CERTIFICATE, "The client's certificate is invalid (RFC 4556)"),
      Map.entry(KDC_ERR_REVOKED_CERTIFICATE, "The client's certificate is revoked (RFC 4556)"),
      Map.entry(KDC_ERR_REVOCATION_STATUS_UNKNOWN, "The revocation status is unknown (RFC 4556)"),
      Map.entry(KDC_ERR_REVOCATION_STATUS_UNAVAILABLE, "The revocation status is unavailable (RFC 4556)"),
      Map.entry(KDC_ERR_CLIENT_NAME_MISMATCH, "The client name does not match the certificate (RFC 4556)"),
      Map.entry(KDC_ERR_KDC_NAME_MISMATCH, "The KDC name does not match (RFC 4556)"),
      Map.entry(KDC_ERR_INCONSISTENT_KEY_PURPOSE, "The certificate's key purpose is not acceptable (RFC 4556)"),
      Map.entry(KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED, "The digest in the certificate's signature is not accepted (RFC 4556)"),
      Map.entry(KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED, "The paChecksum must be included (RFC 4556)"),
      Map.entry(KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED, "The digest in the signed data is not accepted (RFC 4556)"),
      Map.entry(KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED, "Public key encryption is not supported (RFC 4556)"),
      Map.entry(KDC_ERR_PREAUTH_EXPIRED, "The pre-authentication has expired (RFC 6113)"),
      Map.entry(KDC_ERR_MORE_PREAUTH_DATA_REQUIRED, "More pre-authentication data is required (RFC 6113)"),
      Map.entry(KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET, "Bad authentication set (RFC 6113)"),
      Map.entry(KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS, "Unknown critical FAST options (RFC 6113)"),
      Map.entry(KDC_ERR_NO_ACCEPTABLE_KDF, "No acceptable KDF offered (RFC 8636)"));

  private KrbErrorCode() {}

  /**
   * Returns the symbolic name of an error code, such as {@code KDC_ERR_PREAUTH_REQUIRED}.
   *
   * @param code the error code
   * @return the name, or {@code UNKNOWN_ERROR_n} for a code not listed here
   */
  public static String name(int code) {
    return NAMES.getOrDefault(code, "UNKNOWN_ERROR_" + code);
  }

  /**
   * Returns the RFC's one-line description of an error code.
   *
   * @param code the error code
   * @return the description, or {@code "Unknown error code"}
   */
  public static String description(int code) {
    return DESCRIPTIONS.getOrDefault(code, "Unknown error code");
  }
}
