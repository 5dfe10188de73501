package dev.ngc4j.server.internal.protocol;

/**
 * The refusals the service answers with: ngc4j's stable code, the Entra ID AADSTS number, the HTTP status, the
 * OAuth {@code error}, the DRS {@code ErrorType} and a fixed description that never contains request content. The
 * first block is the contract table of {@code docs/cloud-service.md}; the last three are service conditions
 * outside it.
 */
public enum ErrorKind {
  INVALID_REQUEST("invalid_request", 900144, 400, "invalid_request", "InvalidRequest",
      "The request body must contain the required parameters, each well formed."),
  BODY_TOO_LARGE("body_too_large", 90002, 413, "invalid_request", "InvalidRequest",
      "The request body is larger than 64 KiB."),
  TOKEN_INVALID("token_invalid", 50013, 401, "invalid_grant", "AuthenticationError", "Invalid JWT token."),
  INVALID_CREDENTIALS("invalid_credentials", 50126, 400, "invalid_grant", "AuthenticationError",
      "Error validating credentials due to invalid username or password."),
  MFA_REQUIRED("mfa_required", 50076, 401, "interaction_required", "AuthenticationError",
      "Multi-factor authentication is required: the token has no ngcmfa or mfa claim."),
  DEVICE_REQUIRED("device_required", 50187, 401, "invalid_grant", "AuthenticationError",
      "Device information was not provided: the token has no deviceid claim."),
  NONCE_MISSING("nonce_missing", 1400001, 400, "invalid_request", "InvalidRequest",
      "Request nonce is not provided."),
  NONCE_EXPIRED("nonce_expired", 50013, 400, "invalid_grant", "InvalidRequest", "The request nonce has expired."),
  NONCE_REPLAYED("nonce_replayed", 50013, 400, "invalid_grant", "InvalidRequest",
      "The request nonce has already been used."),
  NONCE_INVALID("nonce_invalid", 50013, 400, "invalid_grant", "InvalidRequest",
      "The request nonce was not issued by this service."),
  DEVICE_UNKNOWN("device_unknown", 50155, 400, "invalid_grant", "DeviceError",
      "Device authentication failed: the device certificate is unknown."),
  DEVICE_DISABLED("device_disabled", 135011, 400, "invalid_grant", "DeviceError",
      "Device used during the authentication is disabled."),
  DEVICE_SIGNATURE_INVALID("device_signature_invalid", 50155, 400, "invalid_grant", "DeviceError",
      "Device authentication failed: the device signature is invalid."),
  KEY_NOT_REGISTERED("key_not_registered", 50034, 400, "invalid_grant", "DirectoryError",
      "The key named by the assertion is not registered."),
  KEY_USER_MISMATCH("key_user_mismatch", 50034, 400, "invalid_grant", "DirectoryError",
      "The key is registered to another user."),
  KEY_DEVICE_MISMATCH("key_device_mismatch", 50034, 400, "invalid_grant", "DirectoryError",
      "The key is registered on another device."),
  ASSERTION_SIGNATURE_INVALID("assertion_signature_invalid", 50013, 400, "invalid_grant", "InvalidRequest",
      "Assertion failed signature validation."),
  ASSERTION_TIME("assertion_time", 500133, 400, "invalid_grant", "InvalidRequest",
      "Assertion is not within its valid time range."),
  USER_DISABLED("user_disabled", 50057, 400, "invalid_grant", "DirectoryError", "The user account is disabled."),
  KDF_V1_REJECTED("kdf_v1_rejected", 5000611, 400, "invalid_grant", "InvalidRequest",
      "Symmetric Key Derivation Function version '1' is invalid. Use version 2."),
  SESSION_SIGNATURE_INVALID("session_signature_invalid", 7000016, 400, "invalid_grant", "InvalidRequest",
      "Primary refresh token is not signed with session key."),
  PRT_INVALID("prt_invalid", 70000, 400, "invalid_grant", "InvalidRequest",
      "Provided grant is invalid or malformed."),
  KEY_CONFLICT("key_conflict", 50034, 409, "invalid_grant", "DirectoryError",
      "The key material is already registered to another user or device."),
  ATTESTATION_INVALID("attestation_invalid", 50155, 400, "invalid_grant", "AttestationError",
      "The key attestation is required and is missing or did not verify."),
  EK_UNTRUSTED("ek_untrusted", 50155, 400, "invalid_grant", "AttestationError",
      "The EK certificate does not chain to a trusted TPM maker, or its manufacturer is not allowed."),
  EK_INVALID("ek_invalid", 50155, 400, "invalid_grant", "AttestationError",
      "The EK certificate or EK public area is not acceptable."),
  AK_INVALID("ak_invalid", 50155, 400, "invalid_grant", "AttestationError",
      "The AK public area is not a restricted RSA-2048 signing key."),
  AIK_CHALLENGE_INVALID("aik_challenge_invalid", 50155, 400, "invalid_grant", "AttestationError",
      "The AIK challenge was not issued by this service for this device and AK."),
  AIK_CHALLENGE_EXPIRED("aik_challenge_expired", 50155, 400, "invalid_grant", "AttestationError",
      "The AIK challenge has expired."),
  AIK_CHALLENGE_REPLAYED("aik_challenge_replayed", 50155, 400, "invalid_grant", "AttestationError",
      "The AIK challenge has already been used."),
  AIK_SECRET_MISMATCH("aik_secret_mismatch", 50155, 400, "invalid_grant", "AttestationError",
      "The activated secret does not match the credential."),
  // ---- outside the contract table ----
  NOT_FOUND("invalid_request", 900144, 404, "invalid_request", "InvalidRequest",
      "There is no such endpoint or resource."),
  METHOD_NOT_ALLOWED("invalid_request", 900144, 405, "invalid_request", "InvalidRequest",
      "The endpoint does not accept this HTTP method."),
  UNAVAILABLE("temporarily_unavailable", 90033, 503, "temporarily_unavailable", "ServiceUnavailable",
      "The service is temporarily unavailable; retry later."),
  SERVER_ERROR("server_error", 90033, 500, "server_error", "ServiceError",
      "The service could not complete the request.");

  private final String code;
  private final int aadsts;
  private final int status;
  private final String oauthError;
  private final String drsErrorType;
  private final String description;

  ErrorKind(String code, int aadsts, int status, String oauthError, String drsErrorType, String description) {
    this.code = code;
    this.aadsts = aadsts;
    this.status = status;
    this.oauthError = oauthError;
    this.drsErrorType = drsErrorType;
    this.description = description;
  }

  /** Returns the stable code ({@code suberror} / {@code code}). */
  public String code() {
    return code;
  }

  /** Returns the AADSTS number. */
  public int aadsts() {
    return aadsts;
  }

  /** Returns the default HTTP status. */
  public int status() {
    return status;
  }

  /** Returns the OAuth {@code error}. */
  public String oauthError() {
    return oauthError;
  }

  /** Returns the DRS {@code ErrorType}. */
  public String drsErrorType() {
    return drsErrorType;
  }

  /** Returns the fixed description. */
  public String description() {
    return description;
  }
}
