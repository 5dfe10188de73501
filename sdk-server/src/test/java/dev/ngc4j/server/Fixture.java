package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.support.MutableClock;
import dev.ngc4j.server.support.WireClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A running service with one tenant and one user, reached over HTTPS or directly, and a wire client for it. */
final class Fixture implements AutoCloseable {
  static final String DOMAIN = "contoso.example";
  static final String UPN = "alice@contoso.example";
  static final String PASSWORD = "Passw0rd!";
  static final String MFA = "123456";

  final MutableClock clock;
  final NgcService service;
  final @Nullable NgcServer server;
  final WireClient client;
  final TenantInfo tenant;
  final UserInfo user;

  /** A device joined by the fixture's user with a registered WHfB key. */
  record Enrolled(WireClient.Device device, KeyPair whfb, String kid) {}

  /** A service on a data directory (embedded H2) behind a real HTTPS server. */
  static Fixture https(Path dataDir, Consumer<NgcService.Builder> config) throws Exception {
    MutableClock clock = new MutableClock();
    NgcService.Builder b = NgcService.builder().dataDirectory(dataDir).clock(clock).testIdentitySource(true);
    config.accept(b);
    return start(b.build(), clock, true);
  }

  /** A service on the given store behind a real HTTP(S) server. */
  static Fixture server(DirectoryStore store, boolean https, Consumer<NgcService.Builder> config) throws Exception {
    MutableClock clock = new MutableClock();
    NgcService.Builder b = NgcService.builder().store(store).clock(clock).testIdentitySource(true);
    config.accept(b);
    return start(b.build(), clock, https);
  }

  /** A service on the given store, called directly. */
  static Fixture direct(DirectoryStore store, Consumer<NgcService.Builder> config) throws Exception {
    MutableClock clock = new MutableClock();
    NgcService.Builder b = NgcService.builder().store(store).clock(clock).testIdentitySource(true);
    config.accept(b);
    NgcService service = b.build();
    return new Fixture(service, null, WireClient.direct(service, URI.create("https://127.0.0.1:1")), clock);
  }

  private Fixture(NgcService service, @Nullable NgcServer server, WireClient.Transport transport, MutableClock c)
      throws Exception {
    this.service = service;
    this.server = server;
    this.clock = c;
    this.client = new WireClient(transport, c);
    this.tenant = service.createTenant(DOMAIN, "Contoso");
    this.user = service.createUser(DOMAIN, UPN, "Alice", PASSWORD.toCharArray(), MFA.toCharArray());
  }

  private static Fixture start(NgcService service, MutableClock clock, boolean https) throws Exception {
    NgcServer server = NgcServer.builder().service(service).https(https).start();
    HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (https) {
      hb.sslContext(server.clientSslContext());
    }
    return new Fixture(service, server, WireClient.http(server.uri(), hb.build()), clock);
  }

  /** Joins a device as the user (password token), then registers a WHfB key with an MFA + device token. */
  Enrolled enroll(String upn, String password) {
    String joinToken = client.accessToken(DOMAIN, upn, password, null);
    WireClient.Device device = client.join(joinToken, WireClient.rsa(), WireClient.rsa());
    KeyPair whfb = WireClient.rsa();
    String token = client.deviceToken(DOMAIN, upn, password, MFA, device);
    WireClient.Response r = client.registerKey(token, whfb);
    assertEquals(200, r.status(), r.body());
    return new Enrolled(device, whfb, r.string("kid"));
  }

  Enrolled enroll() {
    return enroll(UPN, PASSWORD);
  }

  NgcServer server() {
    NgcServer s = server;
    if (s == null) {
      throw new IllegalStateException("no server in a direct fixture");
    }
    return s;
  }

  String digest() throws Exception {
    return service.directoryDigest();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    service.close();
  }
}
