package dev.ngc4j.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A man in the middle on loopback: forwards every request to the service over HTTPS and can rewrite the PRT
 * responses, run a hook before a PRT request, and remembers the last PRT request so a test can replay it.
 */
final class LoopbackProxy implements AutoCloseable {
  private static final List<String> REQUEST_HEADERS =
      List.of("Content-Type", "Authorization", "Accept", "x-ms-RefreshTokenCredential");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Location");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private final URI target;
  private final HttpClient http;
  volatile @Nullable UnaryOperator<String> prtResponseRewriter;
  volatile @Nullable Runnable beforePrtRequest;
  volatile @Nullable Runnable afterPrtRequest;
  volatile @Nullable String lastPrtRequest;

  LoopbackProxy(URI target, SSLContext ssl) throws IOException {
    this.target = target;
    this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.setExecutor(executor);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Sends a raw form body to the token endpoint of the service, bypassing the client. */
  HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(target.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      String text = new String(body, StandardCharsets.UTF_8);
      boolean prt = ex.getRequestURI().getPath().endsWith("/oauth2/token")
          && text.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
      if (prt) {
        lastPrtRequest = text;
        Runnable before = beforePrtRequest;
        if (before != null) {
          before.run();
        }
      }
      HttpRequest.Builder rb = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
          .timeout(Duration.ofSeconds(20))
          .method(ex.getRequestMethod(), body.length == 0
              ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String h : REQUEST_HEADERS) {
        String v = ex.getRequestHeaders().getFirst(h);
        if (v != null) {
          rb.header(h, v);
        }
      }
      HttpResponse<String> resp;
      try {
        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(502, -1);
        return;
      } finally {
        Runnable after = prt ? afterPrtRequest : null;
        if (after != null) {
          after.run();
        }
      }
      String out = resp.body();
      UnaryOperator<String> rewriter = prtResponseRewriter;
      if (prt && rewriter != null && resp.statusCode() == 200 && out.contains("session_key_jwe")) {
        out = rewriter.apply(out);
      }
      for (String h : RESPONSE_HEADERS) {
        resp.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().set(h, v));
      }
      byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(resp.statusCode(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
