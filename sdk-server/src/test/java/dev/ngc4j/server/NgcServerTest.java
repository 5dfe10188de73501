package dev.ngc4j.server;

import static dev.ngc4j.server.ErrorBodies.assertOAuth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.support.InMemoryDirectoryStore;
import dev.ngc4j.server.support.MutableClock;
import dev.ngc4j.server.support.WireClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server itself: TLS, body limits, time limits, plain HTTP, life cycle, the main class. */
final class NgcServerTest {
  @TempDir Path dataDir;

  private static NgcService service() throws Exception {
    return NgcService.builder().store(new InMemoryDirectoryStore()).clock(new MutableClock()).build();
  }

  @Test
  void theServerCertificateNamesLoopbackAndChainsToTheServiceCa() throws Exception {
    try (NgcService service = service(); NgcServer server = NgcServer.builder().service(service).start()) {
      HttpClient client = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.uri() + "/common/discovery/keys"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      X509Certificate leaf = (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
      leaf.verify(server.caCertificate().getPublicKey());
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      assertTrue(sans.stream().anyMatch(san -> san.get(1).equals("127.0.0.1")), sans.toString());
      assertTrue(sans.stream().anyMatch(san -> san.get(1).equals("localhost")), sans.toString());
      // localhost verifies too
      HttpResponse<String> byName = client.send(HttpRequest.newBuilder(
              URI.create("https://localhost:" + server.uri().getPort() + "/common/discovery/keys")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, byName.statusCode());
    }
  }

  @Test
  void aClientThatDoesNotTrustTheServiceCaIsRefused() throws Exception {
    try (NgcService service = service(); NgcServer server = NgcServer.builder().service(service).start()) {
      HttpClient client = HttpClient.newHttpClient();
      assertThrows(SSLHandshakeException.class, () -> client.send(
          HttpRequest.newBuilder(URI.create(server.uri() + "/common/discovery/keys")).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void aDeclaredOversizedBodyIs413WithoutBeingRead() throws Exception {
    try (NgcService service = service();
        NgcServer server = NgcServer.builder().service(service).https(false).start();
        Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /common/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
          + "\r\nContent-Length: 1000000000\r\n\r\ngrant_type=").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = readHead(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
    }
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    try (NgcService service = service(); NgcServer server = NgcServer.builder().service(service).https(false).start()) {
      byte[] big = new byte[70 * 1024];
      Arrays.fill(big, (byte) 'a');
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.uri() + "/common/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
      HttpResponse<String> r;
      try {
        r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        return; // the server may close before the client finished sending; it never parsed the body either way
      }
      assertOAuth(new WireClient.Response(r.statusCode(), r.headers().map(), r.body()), 413, "body_too_large", 90002);
    }
  }

  @Test
  void aRequestThatStallsPastTheTimeLimitIsDisconnected() throws Exception {
    try (NgcService service = service();
        NgcServer server = NgcServer.builder().service(service).https(false)
            .requestTimeout(Duration.ofMillis(300)).start();
        Socket socket = new Socket(server.uri().getHost(), server.uri().getPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write("POST /common/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The body never completes; the server must drop the connection (EOF or reset), not wait forever.
      try {
        int b = socket.getInputStream().read();
        assertEquals(-1, b);
      } catch (SocketException reset) {
        // also a disconnect
      }
      // and the server still serves others
      HttpResponse<String> ok = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.uri() + "/common/discovery/keys")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
    }
  }

  @Test
  void closeIsGracefulIdempotentAndLeavesAPassedInServiceOpen() throws Exception {
    try (NgcService service = service()) {
      NgcServer server = NgcServer.builder().service(service).https(false).start();
      URI uri = server.uri();
      server.close();
      server.close();
      assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(uri + "/common/discovery/keys")).build(),
          HttpResponse.BodyHandlers.ofString()));
      assertTrue(service.tenant("common").isEmpty());
    }
  }

  @Test
  void plainHttpHasNoClientSslContext() throws Exception {
    try (NgcService service = service(); NgcServer server = NgcServer.builder().service(service).https(false).start()) {
      assertTrue(server.uri().toString().startsWith("http://127.0.0.1:"));
      assertThrows(IllegalStateException.class, server::clientSslContext);
    }
  }

  @Test
  void aServerOnADataDirectoryOwnsItsService() throws Exception {
    NgcServer server = NgcServer.builder().dataDirectory(dataDir).https(false).start();
    try {
      assertTrue(dataDir.resolve("master.key").toFile().isFile());
    } finally {
      server.close();
    }
  }

  @Test
  void theMainClassProvisionsWritesTheCaAndServes() throws Exception {
    try (NgcServerMain.Running running = NgcServerMain.start(new String[] {
        "--data-dir", dataDir.toString(), "--port", "0", "--test-identity", "--tenant", "fabrikam.example",
        "--user", "dana@fabrikam.example:Dana-pw1:424242"})) {
      String pem = java.nio.file.Files.readString(running.caCertificate());
      assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
      HttpClient client = HttpClient.newBuilder().sslContext(running.server().clientSslContext()).build();
      WireClient wire = new WireClient(WireClient.http(running.server().uri(), client), java.time.Clock.systemUTC());
      String token = wire.accessToken("fabrikam.example", "dana@fabrikam.example", "Dana-pw1", "424242");
      assertTrue(WireClient.strings(WireClient.at(WireClient.claims(token), "amr")).contains("ngcmfa"));
    }
    // a restart on the same directory keeps the users and does not fail on the existing tenant
    try (NgcServerMain.Running again = NgcServerMain.start(new String[] {
        "--data-dir", dataDir.toString(), "--port", "0", "--http", "--tenant", "fabrikam.example",
        "--user", "dana@fabrikam.example:other:1"})) {
      assertTrue(again.service().user("dana@fabrikam.example").isPresent());
    }
    assertThrows(IllegalArgumentException.class, () -> NgcServerMain.start(new String[] {"--bogus"}));
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }
}
