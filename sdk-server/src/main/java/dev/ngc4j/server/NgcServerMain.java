package dev.ngc4j.server;

import dev.ngc4j.api.NgcException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link NgcServer} on the loopback interface until the process is stopped (Ctrl-C), and prints its URL
 * and the path of the CA certificate clients should trust.
 *
 * <p>Arguments:
 *
 * <ul>
 *   <li>{@code --data-dir <path>}: the data directory (default {@code ngc4j-server-data}); the CA certificate is
 *       written there as {@code ca.pem};
 *   <li>{@code --port <n>}: the port (default 8443; 0 for a free one);
 *   <li>{@code --http}: plain HTTP instead of HTTPS;
 *   <li>{@code --test-identity}: enable the test identity source (password grant);
 *   <li>{@code --tenant <domain>}: create the tenant if it does not exist;
 *   <li>{@code --user <upn>:<password>:<mfacode>}: create the user in that tenant if it does not exist
 *       (repeatable; the MFA code may be empty). Command-line secrets are for demos only.
 * </ul>
 *
 * <p>One command (from the project root, after {@code mvn -q install -DskipTests} once):
 *
 * <pre>
 * mvn -q -pl sdk-server compile exec:java -Dexec.mainClass=dev.ngc4j.server.NgcServerMain \
 *   -Dexec.args="--data-dir target/ngc4j-demo --test-identity --tenant contoso.example \
 *   --user alice@contoso.example:Passw0rd!:123456"
 * </pre>
 *
 * <p>Thread safety: not applicable (a program entry point).
 *
 * @since 0.1.0
 */
public final class NgcServerMain {
  private NgcServerMain() {}

  /**
   * Starts the server and waits until the process is stopped.
   *
   * @param args the arguments described above
   * @throws Exception if the server cannot start
   * @since 0.1.0
   */
  public static void main(String[] args) throws Exception {
    Running running;
    try {
      running = start(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: --data-dir <path> --port <n> --http --test-identity --tenant <domain> "
          + "--user <upn>:<password>:<mfacode>");
      System.exit(2);
      return;
    }
    PrintStream out = System.out;
    out.println("ngc4j server listening at " + running.server().uri());
    out.println("CA certificate: " + running.caCertificate().toAbsolutePath());
    out.println("Press Ctrl-C to stop.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "ngc4j-server-shutdown"));
    stopped.await();
  }

  /** A started server, its service and the written CA certificate file. */
  record Running(NgcServer server, NgcService service, Path caCertificate) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      service.close();
    }
  }

  /** Parses the arguments, provisions the tenant and users, writes {@code ca.pem} and starts the server. */
  static Running start(String[] args) throws IOException, NgcException {
    Path dataDir = Path.of("ngc4j-server-data");
    int port = 8443;
    boolean https = true;
    boolean testIdentity = false;
    String tenant = null;
    List<String> users = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--http" -> https = false;
        case "--test-identity" -> testIdentity = true;
        case "--tenant" -> tenant = value(args, ++i, arg);
        case "--user" -> users.add(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    if (!users.isEmpty() && tenant == null) {
      throw new IllegalArgumentException("--user needs --tenant");
    }
    NgcService service = NgcService.builder().dataDirectory(dataDir).testIdentitySource(testIdentity).build();
    try {
      if (tenant != null) {
        provision(service, tenant, users);
      }
      Path caFile = writeCaCertificate(service, dataDir);
      NgcServer server = NgcServer.builder().service(service).port(port).https(https).start();
      return new Running(server, service, caFile);
    } catch (IOException | NgcException | RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static void provision(NgcService service, String tenant, List<String> users) throws NgcException {
    if (service.tenant(tenant).isEmpty()) {
      service.createTenant(tenant, tenant);
    }
    for (String spec : users) {
      int first = spec.indexOf(':');
      int second = first < 0 ? -1 : spec.indexOf(':', first + 1);
      if (first <= 0 || second < 0) {
        throw new IllegalArgumentException("--user needs upn:password:mfacode");
      }
      String upn = spec.substring(0, first);
      if (service.user(upn).isPresent()) {
        continue;
      }
      char[] password = spec.substring(first + 1, second).toCharArray();
      char[] mfa = spec.substring(second + 1).toCharArray();
      service.createUser(tenant, upn, upn.substring(0, upn.indexOf('@')), password, mfa.length == 0 ? null : mfa);
    }
  }

  private static Path writeCaCertificate(NgcService service, Path dataDir) throws IOException {
    String pem;
    try {
      pem = "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(service.caCertificate().getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IOException("the CA certificate could not be encoded", e);
    }
    Path file = dataDir.resolve("ca.pem");
    Path tmp = Files.createTempFile(dataDir, ".ca", ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
