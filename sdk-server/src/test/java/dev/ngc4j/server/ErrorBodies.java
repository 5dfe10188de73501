package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.util.List;
import java.util.Map;

/** Assertions on the contract's two error body forms. */
final class ErrorBodies {
  private ErrorBodies() {}

  /** An OAuth error: status, suberror, AADSTS number in error_codes and error_description, ids, timestamp. */
  static void assertOAuth(Response r, int status, String code, int aadsts) {
    assertEquals(status, r.status(), r.body());
    Map<String, Object> json = r.json();
    assertEquals(code, json.get("suberror"), r.body());
    assertEquals(List.of((long) aadsts), json.get("error_codes"), r.body());
    assertTrue(WireClient.str(json, "error_description").startsWith("AADSTS" + aadsts + ": "), r.body());
    assertFalse(WireClient.str(json, "error").isEmpty());
    assertFalse(WireClient.str(json, "trace_id").isEmpty());
    assertFalse(WireClient.str(json, "correlation_id").isEmpty());
    assertTrue(WireClient.str(json, "timestamp").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ"), r.body());
  }

  /** A DRS error: status, code, ErrorType, Message, TraceId. */
  static void assertDrs(Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    Map<String, Object> json = r.json();
    assertEquals(code, json.get("code"), r.body());
    assertFalse(WireClient.str(json, "ErrorType").isEmpty());
    assertFalse(WireClient.str(json, "Message").isEmpty());
    assertFalse(WireClient.str(json, "TraceId").isEmpty());
    assertEquals(4, json.size(), r.body());
  }
}
