package dev.ngc4j.benchmarks;

import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.examples.TestIdentityTokens;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The whole cloud flow stood up once, as the end-to-end test does it: the real service ({@link NgcService} on its
 * embedded database, with the test identity source) behind the real {@link NgcServer} on loopback HTTPS, one tenant
 * and one user; the real client ({@link EntraCloudClient}, trusting the server's CA through
 * {@link NgcServer#clientSslContext()}) inside {@link Ngc4j} with the software provider; the device joined and the
 * user's credential provisioned (key registered). Everything lives in a fresh temporary directory that
 * {@link #close()} deletes.
 *
 * <p>The software provider runs with Argon2id lowered to m=1024 KiB, t=1 (the end-to-end test's setting), so that
 * a sign-in's PIN unlock does not hide the protocol cost; {@code UnlockBench} measures the default parameters.
 *
 * <p>Thread safety: set up and closed by one thread; the objects it hands out are safe for concurrent use.
 */
final class CloudFixture implements AutoCloseable {
  static final String TENANT = "bench.example";
  static final UserPrincipal USER = UserPrincipal.of("alice@" + TENANT);
  static final String ARGON2_MEMORY_KIB = "1024";
  static final String ARGON2_ITERATIONS = "1";

  private static final char[] PIN = {'7', '3', '9', '1', '6', '4'};
  private static final char[] PASSWORD = "bench-pa55-word".toCharArray();
  private static final char[] MFA = {'1', '3', '5', '7', '9', '0'};

  private final Path directory;
  private final NgcService service;
  private final NgcServer server;
  private final EntraCloudClient cloud;
  private final Ngc4j ngc;

  private CloudFixture(Path directory, NgcService service, NgcServer server, EntraCloudClient cloud, Ngc4j ngc) {
    this.directory = directory;
    this.service = service;
    this.server = server;
    this.cloud = cloud;
    this.ngc = ngc;
  }

  /**
   * Starts the service and the server, creates the tenant and the user, joins the device and provisions the user.
   *
   * @return the fixture
   * @throws IOException if the temporary directory fails
   * @throws NgcException if any step of the flow fails
   */
  static CloudFixture open() throws IOException, NgcException {
    Path dir = Files.createTempDirectory("ngc4j-bench-cloud-");
    NgcService service = null;
    NgcServer server = null;
    Ngc4j ngc = null;
    try {
      service = NgcService.builder().dataDirectory(dir.resolve("service")).testIdentitySource(true).build();
      server = NgcServer.builder().service(service).https(true).start();
      service.createTenant(TENANT, "Benchmarks");
      service.createUser(TENANT, USER.upn(), "Alice", PASSWORD.clone(), MFA.clone());
      EntraCloudClient cloud = EntraCloudClient.builder()
          .tenant(TENANT)
          .baseUri(server.uri())
          .sslContext(server.clientSslContext())
          .stateDirectory(dir.resolve("device").resolve("cloud"))
          .build();
      TestIdentityTokens identity = new TestIdentityTokens(server.uri(), TENANT, server.clientSslContext());
      identity.add(USER, PASSWORD, MFA);
      ngc = Ngc4j.builder()
          .dataDirectory(dir.resolve("device"))
          .allowSoftwareKeys()
          .providerSetting("argon2.memoryKiB", ARGON2_MEMORY_KIB)
          .providerSetting("argon2.iterations", ARGON2_ITERATIONS)
          .joinType(JoinType.CLOUD_JOINED)
          .remoteSession(() -> false)
          .directory(cloud)
          .tokenSource(identity)
          .keyPool(0, 0)
          .build();
      ngc.joinDevice(identity.passwordOnly(USER));
      DeviceKeys keys = ngc.deviceKeys().orElseThrow();
      identity.proveDevice(() -> cloud.deviceCredential(keys));
      ngc.provision(USER, gestures());
      return new CloudFixture(dir, service, server, cloud, ngc);
    } catch (IOException | NgcException | RuntimeException e) {
      if (ngc != null) {
        ngc.close();
      }
      if (server != null) {
        server.close();
      }
      if (service != null) {
        service.close();
      }
      deleteRecursively(dir);
      throw e;
    }
  }

  /** A gesture source that answers every prompt with the user's PIN. */
  static GestureSource gestures() {
    return request -> Pin.of(PIN);
  }

  NgcService service() {
    return service;
  }

  NgcServer server() {
    return server;
  }

  EntraCloudClient cloud() {
    return cloud;
  }

  Ngc4j ngc() {
    return ngc;
  }

  DeviceKeys deviceKeys() {
    return ngc.deviceKeys().orElseThrow();
  }

  /**
   * Opens the user's provisioned container.
   *
   * @return the container
   * @throws NgcException if it cannot be read
   */
  KeyContainer container() throws NgcException {
    return ngc.credential(USER).orElseThrow().container();
  }

  @Override
  public void close() throws IOException {
    try {
      ngc.close();
      server.close();
      service.close();
    } finally {
      deleteRecursively(directory);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
