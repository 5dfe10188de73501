package dev.ngc4j.core.cloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ngc4j.api.Bytes;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A tiny scripted directory for the client tests: a {@link HttpServer} on the loopback address whose routes the
 * test sets, which records every request and counts them per route, and a throw-away CA that issues device
 * certificates for certificate requests.
 */
final class TestDirectoryServer implements AutoCloseable {
  /** A request as received. */
  record Request(String method, String path, @Nullable String query, Map<String, List<String>> headers, Bytes body) {
    String bodyText() {
      return new String(body.toByteArray(), StandardCharsets.UTF_8);
    }

    /** Decodes an {@code application/x-www-form-urlencoded} body. */
    Map<String, String> form() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String pair : bodyText().split("&", -1)) {
        int eq = pair.indexOf('=');
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return out;
    }

    @Nullable String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What a route answers. */
  record Reply(
      int status, String contentType, Bytes body, Map<String, String> headers, boolean stall, boolean chunked) {
    static Reply json(int status, String json) {
      return new Reply(status, "application/json", Bytes.of(json.getBytes(StandardCharsets.UTF_8)), Map.of(), false, false);
    }

    static Reply text(int status, String contentType, String text) {
      return new Reply(status, contentType, Bytes.of(text.getBytes(StandardCharsets.UTF_8)), Map.of(), false, false);
    }

    static Reply empty(int status) {
      return new Reply(status, "application/json", Bytes.empty(), Map.of(), false, false);
    }

    /** Sends the status and part of the body, then waits until the server closes. */
    static Reply stalled() {
      return new Reply(200, "application/json", Bytes.of("{\"Nonce\":".getBytes(StandardCharsets.UTF_8)), Map.of(), true,
          false);
    }

    /** The same body without a Content-Length (chunked transfer coding). */
    Reply chunkedBody() {
      return new Reply(status, contentType, body, headers, stall, true);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, contentType, body, h, stall, chunked);
    }
  }

  /** A route's behaviour. */
  @FunctionalInterface
  interface Handler {
    Reply handle(Request request) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Handler> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final List<Throwable> handlerFailures = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final KeyPair ca;

  TestDirectoryServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    ca = g.generateKeyPair();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Sets the handler of {@code method path} (exact path, no query). */
  TestDirectoryServer on(String method, String path, Handler handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  /** Answers the requests of a route in turn from a list, repeating the last answer. */
  TestDirectoryServer onSequence(String method, String path, Reply... replies) {
    int[] next = {0};
    return on(method, path, r -> {
      synchronized (next) {
        Reply reply = replies[Math.min(next[0], replies.length - 1)];
        next[0]++;
        return reply;
      }
    });
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  synchronized List<Request> requests(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  int count(String method, String path) {
    return requests(method, path).size();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), Bytes.of(body));
      synchronized (this) {
        requests.add(request);
      }
      Handler handler = routes.get(request.method() + " " + request.path());
      Reply reply;
      try {
        reply = handler == null ? Reply.text(404, "text/plain", "no route") : handler.handle(request);
      } catch (Exception | AssertionError e) {
        synchronized (this) {
          handlerFailures.add(e);
        }
        reply = Reply.text(500, "text/plain", "test handler failed: " + e);
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      byte[] replyBody = reply.body().toByteArray();
      if (reply.stall()) {
        exchange.sendResponseHeaders(reply.status(), replyBody.length + 100L);
        OutputStream out = exchange.getResponseBody();
        out.write(replyBody);
        out.flush();
        closing.await();
        return;
      }
      exchange.sendResponseHeaders(reply.status(),
          reply.chunked() ? 0 : replyBody.length == 0 ? -1 : replyBody.length);
      if (replyBody.length > 0) {
        exchange.getResponseBody().write(replyBody);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks the calling handler until the server closes: a service that never answers. */
  Reply hang() throws InterruptedException {
    closing.await();
    return Reply.empty(500);
  }

  /**
   * Issues a device certificate (subject CN = the device id) for a PKCS#10 request, after checking the request's
   * signature with the key it carries.
   */
  byte[] issue(byte[] csrDer, UUID deviceId, @Nullable PublicKey instead) throws Exception {
    CertificationRequest csr = CertificationRequest.getInstance(csrDer);
    SubjectPublicKeyInfo spki = csr.getCertificationRequestInfo().getSubjectPublicKeyInfo();
    PublicKey requested = java.security.KeyFactory.getInstance("RSA")
        .generatePublic(new java.security.spec.X509EncodedKeySpec(spki.getEncoded()));
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(requested);
    v.update(csr.getCertificationRequestInfo().getEncoded(ASN1Encoding.DER));
    if (!v.verify(csr.getSignature().getOctets())) {
      throw new IllegalArgumentException("the CSR signature does not verify");
    }
    AlgorithmIdentifier alg = new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE);
    V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
    g.setSerialNumber(new ASN1Integer(BigInteger.valueOf(System.nanoTime())));
    g.setIssuer(new X500Name("CN=ngc4j test device CA"));
    g.setSubject(new X500Name("CN=" + deviceId));
    Instant now = Instant.now();
    g.setStartDate(new Time(Date.from(now.minus(1, ChronoUnit.HOURS))));
    g.setEndDate(new Time(Date.from(now.plus(365, ChronoUnit.DAYS))));
    g.setSubjectPublicKeyInfo(instead == null ? spki : SubjectPublicKeyInfo.getInstance(instead.getEncoded()));
    g.setSignature(alg);
    TBSCertificate tbs = g.generateTBSCertificate();
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(ca.getPrivate());
    s.update(tbs.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector v3 = new ASN1EncodableVector();
    v3.add(tbs);
    v3.add(alg);
    v3.add(new DERBitString(s.sign()));
    return new DERSequence(v3).getEncoded(ASN1Encoding.DER);
  }

  /** The join answer for a certificate. */
  static String joinAnswer(byte[] certificate) throws Exception {
    String thumbprint = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate));
    return "{\"Certificate\":{\"Thumbprint\":\"" + thumbprint + "\",\"RawBody\":\""
        + Base64.getEncoder().encodeToString(certificate) + "\"},\"User\":{\"Upn\":\"alice@contoso.example\"}}";
  }

  /** Rethrows the first failure of a handler (an assertion the service side made), if any. */
  synchronized void assertHandlersSucceeded() {
    if (!handlerFailures.isEmpty()) {
      AssertionError e = new AssertionError("a test handler failed", handlerFailures.get(0));
      throw e;
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
