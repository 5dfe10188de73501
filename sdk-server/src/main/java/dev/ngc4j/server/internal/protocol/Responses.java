package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.internal.util.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds responses: JSON bodies, the two error body forms of the contract (OAuth and DRS), redirects.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
final class Responses {
  static final String JSON = "application/json; charset=utf-8";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final Clock clock;

  Responses(Clock clock) {
    this.clock = clock;
  }

  ServiceResponse json(int status, Map<String, ?> body, String traceId) {
    return raw(status, JSON, Json.write(body).getBytes(StandardCharsets.UTF_8), traceId);
  }

  ServiceResponse raw(int status, String contentType, byte[] body, String traceId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("x-ms-request-id", traceId);
    return ServiceResponse.of(status, headers, body);
  }

  ServiceResponse empty(int status, String traceId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Cache-Control", "no-store");
    headers.put("x-ms-request-id", traceId);
    return ServiceResponse.of(status, headers, new byte[0]);
  }

  ServiceResponse redirect(String location, String traceId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location);
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("x-ms-request-id", traceId);
    return ServiceResponse.of(302, headers, new byte[0]);
  }

  /** The OAuth error body: error, error_description (AADSTS + trace), error_codes, suberror, ids, timestamp. */
  ServiceResponse oauthError(Refusal refusal, String traceId, String correlationId) {
    ErrorKind kind = refusal.kind();
    String timestamp = TIMESTAMP.format(clock.instant());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", kind.oauthError());
    body.put("error_description", "AADSTS" + kind.aadsts() + ": " + kind.description() + "\r\nTrace ID: " + traceId
        + "\r\nCorrelation ID: " + correlationId + "\r\nTimestamp: " + timestamp);
    body.put("error_codes", List.of(kind.aadsts()));
    body.put("suberror", kind.code());
    body.put("trace_id", traceId);
    body.put("correlation_id", correlationId);
    body.put("timestamp", timestamp);
    return withAuthenticate(json(refusal.status(), body, traceId), refusal);
  }

  /** The DRS error body: ErrorType, Message (the fixed description, then the refusal's reason), TraceId, code. */
  ServiceResponse drsError(Refusal refusal, String traceId) {
    ErrorKind kind = refusal.kind();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("ErrorType", kind.drsErrorType());
    String detail = refusal.detail();
    body.put("Message", detail == null ? kind.description() : kind.description() + " Reason: " + detail);
    body.put("TraceId", traceId);
    body.put("code", kind.code());
    return withAuthenticate(json(refusal.status(), body, traceId), refusal);
  }

  private static ServiceResponse withAuthenticate(ServiceResponse response, Refusal refusal) {
    if (refusal.status() != 401) {
      return response;
    }
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    String error = refusal.kind() == ErrorKind.TOKEN_INVALID ? "invalid_token" : "insufficient_scope";
    headers.put("WWW-Authenticate", "Bearer error=\"" + error + "\"");
    return ServiceResponse.of(response.status(), headers, response.body());
  }
}
