package dev.ngc4j.core.internal.krb.msg;

/**
 * Object identifiers of PKINIT (RFC 4556 §3.1, RFC 8636 §7) and of the DH key agreement it uses.
 *
 * <p>Thread safety: constants only.
 */
public final class PkinitOids {
  /** id-pkinit-san: the KRB5PrincipalName otherName in a certificate's subjectAltName. */
  public static final String PKINIT_SAN = "1.3.6.1.5.2.2";
  /** id-pkinit-authData: the eContentType of the SignedData around the AuthPack. */
  public static final String AUTH_DATA = "1.3.6.1.5.2.3.1";
  /** id-pkinit-DHKeyData: the eContentType of the SignedData around the KDCDHKeyInfo. */
  public static final String DH_KEY_DATA = "1.3.6.1.5.2.3.2";
  /** id-pkinit-rkeyData: the eContentType of the SignedData around the ReplyKeyPack. */
  public static final String RKEY_DATA = "1.3.6.1.5.2.3.3";
  /** id-pkinit-KPClientAuth: the extended key usage of PKINIT client certificates. */
  public static final String KP_CLIENT_AUTH = "1.3.6.1.5.2.3.4";
  /** id-pkinit-KPKdc: the extended key usage of KDC certificates. */
  public static final String KP_KDC = "1.3.6.1.5.2.3.5";
  /** id-pkinit-kdf-ah-sha1 (RFC 8636). */
  public static final String KDF_SHA1 = "1.3.6.1.5.2.3.6.1";
  /** id-pkinit-kdf-ah-sha256 (RFC 8636). */
  public static final String KDF_SHA256 = "1.3.6.1.5.2.3.6.2";
  /** id-pkinit-kdf-ah-sha512 (RFC 8636). */
  public static final String KDF_SHA512 = "1.3.6.1.5.2.3.6.3";
  /** id-pkinit-kdf-ah-sha384 (RFC 8636). */
  public static final String KDF_SHA384 = "1.3.6.1.5.2.3.6.4";
  /** dhpublicnumber (ANSI X9.42, RFC 3279 §2.3.3): the algorithm of the client's DH public value. */
  public static final String DH_PUBLIC_NUMBER = TypedData.DH_PUBLIC_NUMBER;
  /** Microsoft smart card logon extended key usage. */
  public static final String MS_SMARTCARD_LOGON = "1.3.6.1.4.1.311.20.2.2";
  /** Microsoft UPN otherName in a subjectAltName. */
  public static final String MS_UPN_SAN = "1.3.6.1.4.1.311.20.2.3";

  private PkinitOids() {}
}
