package dev.ngc4j.core.cloud;

import dev.ngc4j.api.CloudAuthException;
import dev.ngc4j.api.ErrorCode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns the directory's error responses into {@link CloudAuthException}s: the OAuth error JSON of the token
 * endpoint ({@code error}, {@code error_description}, {@code error_codes}, {@code suberror}, ...) and the DRS error
 * JSON of the registration service ({@code ErrorType}, {@code Message}, {@code TraceId}, {@code code}).
 *
 * <p>The {@link ErrorCode} comes from ngc4j's stable code ({@code suberror} or {@code code}) first, then from the
 * AADSTS number, as {@code docs/cloud-service.md} specifies; unknown codes give {@link ErrorCode#CLOUD_ERROR}. The
 * server code of the exception is {@code AADSTS<n>} when the response names one, otherwise the stable code, otherwise
 * the DRS {@code ErrorType}. The detail quotes the server's description only after removing control characters and
 * anything that looks like a token, and is cut to {@value #MAX_DESCRIPTION_CHARS} characters. A body that is not such
 * JSON gives a "service unavailable" style {@link ErrorCode#CLOUD_ERROR} naming the HTTP status.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class CloudErrors {
  static final int MAX_DESCRIPTION_CHARS = 300;

  private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{1,9})");
  /** Long runs of token characters: JWTs, refresh tokens, nonces, base64 keys. GUIDs (36 chars) survive. */
  private static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9_\\-+/=.~]{40,}");
  private static final Pattern STABLE_CODE = Pattern.compile("[a-z0-9_]{1,64}");

  private CloudErrors() {}

  /** How a stable code or an AADSTS number maps: the error code and the remedy. */
  private record Mapping(ErrorCode code, String remedy) {}

  private static final Mapping KEY_CONFLICT = new Mapping(ErrorCode.REGISTRATION_FAILED,
      "this key material is registered to another user or device; provision with a new key");

  private static final Map<String, Mapping> BY_STABLE_CODE = Map.ofEntries(
      Map.entry("invalid_request", new Mapping(ErrorCode.CLOUD_ERROR,
          "the service found the request malformed; check that client and service versions match")),
      Map.entry("body_too_large", new Mapping(ErrorCode.CLOUD_ERROR,
          "the request was larger than the service accepts; check the key and certificate sizes")),
      Map.entry("token_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the access token is missing, expired, for another audience or not signed by the directory; "
              + "obtain a fresh token for the device registration service and retry")),
      Map.entry("invalid_credentials", new Mapping(ErrorCode.CLOUD_ERROR,
          "the user name or password is wrong; check them and retry")),
      Map.entry("mfa_required", new Mapping(ErrorCode.MFA_REQUIRED,
          "obtain an access token with multi-factor authentication (amr containing ngcmfa or mfa) and retry")),
      Map.entry("device_required", new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "the access token does not name this device (no deviceid claim): join the device and obtain the token "
              + "through it (device credential or PRT)")),
      Map.entry("nonce_missing", new Mapping(ErrorCode.CLOUD_ERROR,
          "the request carried no nonce in the outer or inner JWT; this is a client defect, report it")),
      Map.entry("nonce_expired", new Mapping(ErrorCode.CLOUD_ERROR,
          "the nonce expired before the request arrived; retry, which fetches a fresh nonce, and check the clock")),
      Map.entry("nonce_replayed", new Mapping(ErrorCode.CLOUD_ERROR,
          "the nonce was already used; retry, which fetches a fresh nonce")),
      Map.entry("nonce_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the nonce was not issued by this service (or the service restarted); retry with a fresh nonce")),
      Map.entry("device_unknown", new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "the directory does not know this device's certificate; join the device again")),
      Map.entry("device_disabled", new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "the device is disabled in the directory; ask an administrator to enable it, or join again")),
      Map.entry("device_signature_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the device key's signature did not verify against the device certificate; join the device again")),
      Map.entry("key_not_registered", new Mapping(ErrorCode.KEY_NOT_REGISTERED,
          "the directory does not know this credential key; provision the credential again")),
      Map.entry("key_user_mismatch", new Mapping(ErrorCode.KEY_NOT_REGISTERED,
          "the key is registered to another user; provision a credential for this user")),
      Map.entry("key_device_mismatch", new Mapping(ErrorCode.KEY_NOT_REGISTERED,
          "the key is registered on another device; provision the credential again on this device")),
      Map.entry("assertion_signature_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the credential key's signature did not verify; provision the credential again if this repeats")),
      Map.entry("assertion_time", new Mapping(ErrorCode.CLOUD_ERROR,
          "the assertion's time range was refused; check that the device clock is correct, then retry")),
      Map.entry("user_disabled", new Mapping(ErrorCode.CLOUD_ERROR,
          "the user account is disabled; ask an administrator")),
      Map.entry("kdf_v1_rejected", new Mapping(ErrorCode.CLOUD_ERROR,
          "the service requires KDF version 2; build the client with kdfVersion(2), the default")),
      Map.entry("session_signature_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the request was not signed with this PRT's session key; sign in again to get a new PRT")),
      Map.entry("prt_invalid", new Mapping(ErrorCode.CLOUD_ERROR,
          "the PRT is unknown, expired or revoked; sign in again")),
      Map.entry("key_conflict", KEY_CONFLICT),
      Map.entry("attestation_invalid", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the service requires valid key attestation; provision on a device with a TPM")),
      Map.entry("ek_untrusted", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the service does not trust this TPM's endorsement key certificate; add its maker's root to the "
              + "service's TPM trust, or use a TPM from a trusted maker")),
      Map.entry("ek_invalid", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the TPM's endorsement key or its certificate is malformed or does not match; check the TPM")),
      Map.entry("ak_invalid", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the attestation key is not a restricted RSA-2048 signing key; report this provider defect")),
      Map.entry("aik_challenge_invalid", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the attestation-key challenge is not this device's or this key's; enrol the attestation key again")),
      Map.entry("aik_challenge_expired", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the attestation-key challenge expired; enrol the attestation key again")),
      Map.entry("aik_challenge_replayed", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the attestation-key challenge was already used; enrol the attestation key again")),
      Map.entry("aik_secret_mismatch", new Mapping(ErrorCode.ATTESTATION_INVALID,
          "the TPM did not recover the service's secret, so the attestation key is not in the TPM of this "
              + "endorsement key; enrol again on the device's own TPM")));

  private static final Map<Long, Mapping> BY_AADSTS = Map.ofEntries(
      Map.entry(1400001L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the request nonce was missing; this is a client defect, report it")),
      Map.entry(5000611L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the directory rejects KDF version 1; build the client with kdfVersion(2), the default")),
      Map.entry(7000016L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the PRT request was not signed with its session key; sign in again to get a new PRT")),
      Map.entry(70000L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the grant is invalid, expired or revoked; sign in again")),
      Map.entry(50097L, new Mapping(ErrorCode.CLOUD_ERROR,
          "device authentication is required; join the device and sign in with its device key")),
      Map.entry(50155L, new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "device authentication failed: the device may have been deleted or disabled; join the device again")),
      Map.entry(50187L, new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "the directory needs device information the request did not carry; join the device and use a token "
              + "obtained through it")),
      Map.entry(135011L, new Mapping(ErrorCode.DEVICE_NOT_JOINED,
          "the device is disabled in the directory; ask an administrator to enable it, or join again")),
      Map.entry(50076L, new Mapping(ErrorCode.MFA_REQUIRED,
          "multi-factor authentication is required; sign in with MFA and retry")),
      Map.entry(50079L, new Mapping(ErrorCode.MFA_REQUIRED,
          "the user must register for multi-factor authentication first")),
      Map.entry(50126L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the user name or password is wrong; check them and retry")),
      Map.entry(50173L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the grant was revoked (for example by a password change); sign in again with fresh credentials")),
      Map.entry(70043L, new Mapping(ErrorCode.CLOUD_ERROR,
          "a sign-in frequency policy ended the session; the user must sign in again interactively")),
      Map.entry(700082L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the token expired after a period of inactivity; sign in again")),
      Map.entry(500133L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the assertion is outside its valid time range (check the device clock), or the token in it is not a PRT")),
      Map.entry(53003L, new Mapping(ErrorCode.CLOUD_ERROR,
          "Conditional Access blocked the sign-in; ask an administrator which policy applies")),
      Map.entry(50132L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the single sign-on session is no longer valid (password changed or expired); sign in again")),
      Map.entry(50013L, new Mapping(ErrorCode.CLOUD_ERROR,
          "a token, nonce or signature did not validate (expired, replayed, wrong audience or key); obtain a "
              + "fresh one, check the clock, and retry")),
      Map.entry(50034L, new Mapping(ErrorCode.KEY_NOT_REGISTERED,
          "the directory does not know this key for this user; provision the credential again")),
      Map.entry(50057L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the user account is disabled; ask an administrator")),
      Map.entry(900144L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the request lacked a required field; check that client and service versions match")),
      Map.entry(90002L, new Mapping(ErrorCode.CLOUD_ERROR,
          "the tenant was not found or the request was refused; check the tenant setting")));

  /**
   * Maps an error response.
   *
   * @param operation what was attempted, for the detail ("key registration")
   * @param response the response (any status)
   * @param secrets strings sent in the request that must never appear in the detail (tokens)
   * @return the exception to throw
   */
  static CloudAuthException fromResponse(
      String operation, HttpTransport.Response response, Collection<String> secrets) {
    int status = response.status();
    Map<String, Object> json;
    try {
      json = Json.parseObject(response.body());
    } catch (Json.MalformedJsonException e) {
      return unavailable(operation, status, "its body is not JSON");
    }
    Optional<String> oauthError = Json.string(json, "error");
    if (oauthError.isPresent()) {
      String description = Json.string(json, "error_description").orElse("");
      Long aadsts = firstErrorCode(json).orElse(aadstsIn(description).orElse(null));
      String stable = Json.string(json, "suberror").filter(s -> STABLE_CODE.matcher(s).matches()).orElse(null);
      String what = sanitize(oauthError.get(), secrets, 64) + (stable == null ? "" : ", " + stable);
      return build(operation, status, what, description, Json.string(json, "trace_id").orElse(null), stable,
          aadsts, null, secrets);
    }
    Optional<String> errorType = Json.string(json, "ErrorType");
    Optional<String> code = Json.string(json, "code");
    if (errorType.isPresent() || code.isPresent()) {
      String message = Json.string(json, "Message").or(() -> Json.string(json, "message")).orElse("");
      String stable = code.filter(s -> STABLE_CODE.matcher(s).matches()).orElse(null);
      String type = errorType.map(t -> sanitize(t, secrets, 64)).orElse(null);
      String what = (type == null ? "" : type) + (stable == null ? "" : (type == null ? "" : ", ") + stable);
      return build(operation, status, what, message, Json.string(json, "TraceId").orElse(null), stable,
          aadstsIn(message).orElse(null), type, secrets);
    }
    return unavailable(operation, status, "its JSON body is not an error description");
  }

  private static CloudAuthException build(
      String operation, int status, String what, String description, @Nullable String traceId,
      @Nullable String stable, @Nullable Long aadsts, @Nullable String errorType, Collection<String> secrets) {
    Mapping mapping = stable == null ? null : BY_STABLE_CODE.get(stable);
    if (mapping == null && aadsts != null) {
      mapping = BY_AADSTS.get(aadsts);
      if (mapping != null && aadsts == 50034L && status == 409) {
        mapping = KEY_CONFLICT;
      }
    }
    ErrorCode code = mapping == null ? ErrorCode.CLOUD_ERROR : mapping.code();
    String remedy = mapping == null
        ? (status >= 500 ? "the service failed; retry later" : ErrorCode.CLOUD_ERROR.remedy())
        : mapping.remedy();
    String serverCode = aadsts != null ? "AADSTS" + aadsts : stable != null ? stable : errorType;
    StringBuilder detail = new StringBuilder()
        .append("The ").append(operation).append(" was refused (HTTP ").append(status)
        .append(what.isEmpty() ? "" : ", " + what).append(')');
    String cleaned = sanitize(description, secrets, MAX_DESCRIPTION_CHARS);
    if (!cleaned.isEmpty()) {
      detail.append(": ").append(cleaned);
    }
    if (traceId != null && !cleaned.contains(traceId)) {
      String t = sanitize(traceId, secrets, 64);
      if (!t.isEmpty()) {
        detail.append(" [trace id ").append(t).append(']');
      }
    }
    return new CloudAuthException(code, serverCode, detail.toString(), remedy, null);
  }

  /** A response that carries no usable error description. */
  static CloudAuthException unavailable(String operation, int status, String why) {
    String detail;
    String remedy;
    if (status >= 500) {
      detail = "The " + operation + " failed: the service is unavailable (HTTP " + status + "; " + why + ")";
      remedy = "retry later";
    } else if (status == 429) {
      detail = "The " + operation + " failed: the service is throttling requests (HTTP 429; " + why + ")";
      remedy = "wait a while, then retry";
    } else if (status >= 300 && status < 400) {
      detail = "The " + operation + " failed: the service answered with a redirect (HTTP " + status + "), which "
          + "this client never follows";
      remedy = "check the authority and registration service URIs";
    } else {
      detail = "The " + operation + " failed: the service answered HTTP " + status + " (" + why + ")";
      remedy = "check the authority and registration service URIs and the tenant";
    }
    return new CloudAuthException(ErrorCode.CLOUD_ERROR, null, detail, remedy, null);
  }

  private static Optional<Long> firstErrorCode(Map<String, Object> json) {
    if (json.get("error_codes") instanceof List<?> codes && !codes.isEmpty() && codes.get(0) instanceof Long n
        && n > 0) {
      return Optional.of(n);
    }
    return Optional.empty();
  }

  private static Optional<Long> aadstsIn(String text) {
    Matcher m = AADSTS.matcher(text);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /**
   * Makes server text safe for a message: secrets and token-like runs replaced, control characters dropped, white
   * space collapsed, cut to {@code max} characters.
   */
  static String sanitize(String text, Collection<String> secrets, int max) {
    String s = text;
    for (String secret : secrets) {
      if (!secret.isEmpty()) {
        s = s.replace(secret, "[redacted]");
      }
    }
    s = TOKEN_LIKE.matcher(s).replaceAll("[redacted]");
    StringBuilder out = new StringBuilder(Math.min(s.length(), max));
    boolean space = false;
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(c);
    }
    if (out.length() >= max && s.length() > max) {
      out.append('…');
    }
    return out.toString();
  }
}
