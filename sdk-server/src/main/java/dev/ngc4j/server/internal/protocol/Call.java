package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.server.ServiceRequest;
import java.util.Arrays;

/**
 * One request being handled: the request, its routing parameter (tenant segment or key id), a single copy of the
 * body (cleared when the call ends), and the ids that tie the response and the log together.
 */
final class Call implements AutoCloseable {
  final ServiceRequest request;
  final String param;
  final String traceId;
  final String correlationId;
  final byte[] body;
  private final String base;

  Call(ServiceRequest request, String param, String traceId, String correlationId) {
    this.request = request;
    this.param = param;
    this.traceId = traceId;
    this.correlationId = correlationId;
    this.body = request.body();
    String b = request.baseUri().toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  /** The base URL without a trailing slash. */
  String base() {
    return base;
  }

  @Override
  public void close() {
    Arrays.fill(body, (byte) 0);
  }
}
