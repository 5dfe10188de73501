package dev.ngc4j.server;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.util.Objects;

/**
 * {@link KeyTrustVerifier} refused a PKINIT key-trust logon. {@link #reason()} names the failed check with a stable
 * code (also the first word of the detail), {@link #krbErrorCode()} is the RFC 4120 / RFC 4556 error a KDC sends
 * for it, and the remedy says what the user or administrator can do. The {@link #code()} is the reason's
 * {@link Reason#errorCode()}: the code a PKINIT client maps that Kerberos error to. Nothing in it is secret:
 * certificates, key ids and names are public.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KeyTrustException extends NgcException {
  private static final long serialVersionUID = 1L;

  private static final int KDC_ERR_C_PRINCIPAL_UNKNOWN = 6;
  private static final int KDC_ERR_CLIENT_REVOKED = 18;
  private static final int KDC_ERR_CLIENT_NOT_TRUSTED = 62;
  private static final int KDC_ERR_WRONG_REALM = 68;
  private static final int KDC_ERR_INVALID_CERTIFICATE = 71;
  private static final int KDC_ERR_CLIENT_NAME_MISMATCH = 75;
  private static final int KDC_ERR_INCONSISTENT_KEY_PURPOSE = 77;
  private static final int KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED = 78;

  private static final String PROFILE = "build the key-trust certificate with ngc4j's profile: self-signed, X.509 v3, "
      + "CN=<UPN>, CA:FALSE, KU digitalSignature, sha256WithRSA, the user's RSA-2048 key";

  /**
   * The check that failed. The {@link #code()} strings and the Kerberos error codes are stable.
   *
   * @since 0.1.0
   */
  public enum Reason {
    /** The certificate is not X.509 version 3 (a v1 certificate cannot say CA:FALSE; OpenSSL treats it as a CA). */
    CERTIFICATE_VERSION("keytrust_certificate_version", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        PROFILE),
    /**
     * The certificate is a CA certificate (basicConstraints CA:TRUE, or keyUsage keyCertSign). A key-trust
     * certificate must never be one: a CA:TRUE key-trust anchor lets its holder mint certificates for any
     * principal (docs/kerberos.md §1.4, case E5).
     */
    CA_CERTIFICATE("keytrust_ca_certificate", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        "issue key-trust certificates with basicConstraints CA:FALSE and without keyCertSign"),
    /** The certificate has a keyUsage extension without digitalSignature. */
    KEY_USAGE("keytrust_key_usage", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INCONSISTENT_KEY_PURPOSE,
        "include digitalSignature in the certificate's keyUsage"),
    /** The certificate's key is not RSA (Windows Hello for Business user keys are RSA). */
    KEY_ALGORITHM("keytrust_key_algorithm", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        "use the user's RSA credential key"),
    /** The RSA key is shorter than 2048 bits. */
    KEY_TOO_SMALL("keytrust_key_too_small", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        "use an RSA key of at least 2048 bits"),
    /** Issuer and subject differ: this is not a key-trust certificate (certificate trust validates a chain). */
    NOT_SELF_SIGNED("keytrust_not_self_signed", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        "for key trust, send a self-signed certificate around the registered key; CA-issued logon certificates "
            + "go through certificate trust"),
    /** The certificate is signed with an algorithm outside the allow-list (SHA-1, MD5, not RSA). */
    SIGNATURE_ALGORITHM("keytrust_signature_algorithm", ErrorCode.CLIENT_NOT_TRUSTED,
        KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED,
        "sign the certificate with sha256WithRSA (or SHA-384/512, RSASSA-PSS)"),
    /** The self-signature does not verify with the certificate's own key. */
    CERTIFICATE_SIGNATURE("keytrust_certificate_signature", ErrorCode.CLIENT_NOT_TRUSTED,
        KDC_ERR_INVALID_CERTIFICATE,
        "sign the certificate with the key it holds"),
    /** The certificate is not within its validity period (only when the verifier enforces validity). */
    CERTIFICATE_VALIDITY("keytrust_certificate_validity", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_INVALID_CERTIFICATE,
        "create a fresh key-trust certificate and check the device's clock"),
    /** The client name does not resolve to an account in the directory. */
    CLIENT_UNKNOWN("keytrust_client_unknown", ErrorCode.PRINCIPAL_UNKNOWN, KDC_ERR_C_PRINCIPAL_UNKNOWN,
        "send the user's UPN (alice@contoso.example) or account name as the client name"),
    /** The realm is not the domain of the account's tenant. */
    WRONG_REALM("keytrust_wrong_realm", ErrorCode.WRONG_REALM, KDC_ERR_WRONG_REALM,
        "send the request in the realm of the user's domain (the UPN suffix in upper case)"),
    /** No registered key has the certificate's public key. */
    KEY_NOT_REGISTERED("keytrust_key_not_registered", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_CLIENT_NOT_TRUSTED,
        "the key is not in the directory yet: register it (provision the credential) or wait for key sync"),
    /** The key is registered, but to another account than the one the client name names. */
    CLIENT_NAME_MISMATCH("keytrust_client_name_mismatch", ErrorCode.PRINCIPAL_MISMATCH,
        KDC_ERR_CLIENT_NAME_MISMATCH,
        "send the UPN of the user who registered this key as the client name"),
    /** The account is disabled. */
    USER_DISABLED("keytrust_user_disabled", ErrorCode.KERBEROS_ERROR, KDC_ERR_CLIENT_REVOKED,
        "an administrator must enable the account"),
    /** The key's device is disabled. */
    DEVICE_DISABLED("keytrust_device_disabled", ErrorCode.KERBEROS_ERROR, KDC_ERR_CLIENT_REVOKED,
        "an administrator must enable the device, or the user provisions on another device"),
    /** The key's device is no longer in the directory (deleted while the check ran). */
    DEVICE_UNKNOWN("keytrust_device_unknown", ErrorCode.CLIENT_NOT_TRUSTED, KDC_ERR_CLIENT_NOT_TRUSTED,
        "join the device again and provision the credential");

    private final String code;
    private final ErrorCode errorCode;
    private final int krbErrorCode;
    private final String krbErrorName;
    private final String remedy;

    Reason(String code, ErrorCode errorCode, int krbErrorCode, String remedy) {
      this.code = code;
      this.errorCode = errorCode;
      this.krbErrorCode = krbErrorCode;
      this.krbErrorName = nameOf(krbErrorCode);
      this.remedy = remedy;
    }

    /**
     * Returns the stable code.
     *
     * @return the code, such as {@code keytrust_key_not_registered}
     * @since 0.1.0
     */
    public String code() {
      return code;
    }

    /**
     * Returns the Kerberos error a KDC sends for this refusal.
     *
     * @return the RFC 4120 / RFC 4556 error code, such as 62 for KDC_ERR_CLIENT_NOT_TRUSTED
     * @since 0.1.0
     */
    public int krbErrorCode() {
      return krbErrorCode;
    }

    /**
     * Returns the name of the Kerberos error.
     *
     * @return the name, such as {@code KDC_ERR_CLIENT_NOT_TRUSTED}
     * @since 0.1.0
     */
    public String krbErrorName() {
      return krbErrorName;
    }

    /**
     * Returns what to do about it.
     *
     * @return the remedy
     * @since 0.1.0
     */
    public String remedy() {
      return remedy;
    }

    /**
     * Returns the SDK error code of this refusal, the one a client maps the Kerberos error to.
     *
     * @return the code: {@link ErrorCode#CLIENT_NOT_TRUSTED} for certificate and key problems,
     *     {@link ErrorCode#PRINCIPAL_UNKNOWN}, {@link ErrorCode#WRONG_REALM}, {@link ErrorCode#PRINCIPAL_MISMATCH},
     *     and {@link ErrorCode#KERBEROS_ERROR} for a disabled account or device
     * @since 0.1.0
     */
    public ErrorCode errorCode() {
      return errorCode;
    }
  }

  private static String nameOf(int code) {
    return switch (code) {
      case KDC_ERR_C_PRINCIPAL_UNKNOWN -> "KDC_ERR_C_PRINCIPAL_UNKNOWN";
      case KDC_ERR_CLIENT_REVOKED -> "KDC_ERR_CLIENT_REVOKED";
      case KDC_ERR_CLIENT_NOT_TRUSTED -> "KDC_ERR_CLIENT_NOT_TRUSTED";
      case KDC_ERR_WRONG_REALM -> "KDC_ERR_WRONG_REALM";
      case KDC_ERR_INVALID_CERTIFICATE -> "KDC_ERR_INVALID_CERTIFICATE";
      case KDC_ERR_CLIENT_NAME_MISMATCH -> "KDC_ERR_CLIENT_NAME_MISMATCH";
      case KDC_ERR_INCONSISTENT_KEY_PURPOSE -> "KDC_ERR_INCONSISTENT_KEY_PURPOSE";
      case KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED -> "KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED";
      default -> throw new IllegalArgumentException("no name for Kerberos error " + code);
    };
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason the failed check
   * @param detail what was found, without secrets; prefixed with the reason's code and followed by the Kerberos
   *     error
   * @since 0.1.0
   */
  public KeyTrustException(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason").errorCode(), reason.code() + ": "
        + Objects.requireNonNull(detail, "detail") + " (" + reason.krbErrorName() + ", " + reason.krbErrorCode()
        + ")", reason.remedy(), null);
    this.reason = reason;
  }

  /**
   * Returns the failed check.
   *
   * @return the reason
   * @since 0.1.0
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the Kerberos error a KDC sends for this refusal; the same as {@code reason().krbErrorCode()}.
   *
   * @return the RFC 4120 / RFC 4556 error code
   * @since 0.1.0
   */
  public int krbErrorCode() {
    return reason.krbErrorCode();
  }
}
