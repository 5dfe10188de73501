package dev.ngc4j.server.internal.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ngc4j.server.ServiceRequest;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.internal.protocol.Engine;
import dev.ngc4j.server.internal.protocol.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@code com.sun.net.httpserver} exchanges to {@link Engine#handle}. The body limit is enforced while
 * reading: a declared {@code Content-Length} above the limit is answered 413 without reading the body, and a
 * chunked body is read only up to the limit plus one byte. Body buffers are cleared after use.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class HttpAdapter implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpAdapter.class);

  private final Engine engine;
  private final URI baseUri;
  private final int maxBody;

  /**
   * Creates the adapter.
   *
   * @param engine the service
   * @param baseUri the base URL the server is reached at
   * @param maxBody the body limit in bytes
   */
  public HttpAdapter(Engine engine, URI baseUri, int maxBody) {
    this.engine = engine;
    this.baseUri = baseUri;
    this.maxBody = maxBody;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    byte[] body = null;
    try {
      String path = exchange.getRequestURI().getRawPath();
      if (path == null || path.isEmpty()) {
        path = "/";
      }
      if (declaredLength(exchange.getRequestHeaders()) > maxBody) {
        tooLarge(exchange, path);
        return;
      }
      body = readLimited(exchange.getRequestBody());
      if (body == null) {
        tooLarge(exchange, path);
        return;
      }
      ServiceRequest.Builder builder = ServiceRequest.builder(baseUri, exchange.getRequestMethod(), path)
          .rawQuery(exchange.getRequestURI().getRawQuery())
          .body(body)
          .remoteAddress(exchange.getRemoteAddress());
      for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
        for (String value : header.getValue()) {
          builder.header(header.getKey(), value);
        }
      }
      ServiceRequest request = builder.build();
      Deadline deadline = Deadline.current();
      if (deadline != null && !deadline.enterService()) {
        return;
      }
      ServiceResponse response;
      try {
        response = engine.handle(request);
      } finally {
        request.clearBody();
      }
      if (deadline != null && !deadline.leaveService()) {
        return; // too late: drop the connection rather than answer
      }
      send(exchange, response, false);
    } catch (IOException e) {
      log.debug("exchange failed: {}", e.getClass().getSimpleName());
    } finally {
      if (body != null) {
        Arrays.fill(body, (byte) 0);
      }
      exchange.close();
    }
  }

  private void tooLarge(HttpExchange exchange, String path) throws IOException {
    send(exchange, engine.errorFor(path, ErrorKind.BODY_TOO_LARGE), true);
  }

  private static long declaredLength(Headers headers) {
    String value = headers.getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Reads at most the limit; returns null if there is more. */
  private byte @Nullable [] readLimited(InputStream in) throws IOException {
    byte[] buffer = new byte[Math.min(maxBody + 1, 8192)];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        if (buffer.length > maxBody) {
          Arrays.fill(buffer, (byte) 0);
          return null;
        }
        byte[] bigger = Arrays.copyOf(buffer, Math.min(buffer.length * 2, maxBody + 1));
        Arrays.fill(buffer, (byte) 0);
        buffer = bigger;
      }
      int n = in.read(buffer, size, buffer.length - size);
      if (n < 0) {
        break;
      }
      size += n;
    }
    if (size > maxBody) {
      Arrays.fill(buffer, (byte) 0);
      return null;
    }
    byte[] body = Arrays.copyOf(buffer, size);
    Arrays.fill(buffer, (byte) 0);
    return body;
  }

  private static void send(HttpExchange exchange, ServiceResponse response, boolean closeConnection)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    if (closeConnection) {
      headers.set("Connection", "close");
    }
    byte[] body = response.body();
    try {
      int status = response.status();
      boolean noBody = body.length == 0 || status == 204 || status == 304 || "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }
}
