package dev.ngc4j.server;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.server.internal.http.DeadlineExecutor;
import dev.ngc4j.server.internal.http.HttpAdapter;
import dev.ngc4j.server.internal.http.Tls;
import dev.ngc4j.server.internal.protocol.Engine;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable HTTP(S) server for an {@link NgcService}, on {@code com.sun.net.httpserver}. By default it listens
 * on 127.0.0.1 on a free port with HTTPS, using a server certificate that the service's CA issues at start
 * (SAN {@code DNS:localhost}, {@code IP:127.0.0.1}, {@code IP:::1}); {@link #clientSslContext()} trusts exactly
 * that CA, so tests and demos verify the connection instead of disabling verification.
 *
 * <p>Requests run on a bounded pool of worker threads with a bounded queue (beyond that, connections are
 * closed); each exchange, from its request line to the last response byte, has a time limit. Bodies over 64 KiB
 * are answered 413 without being read.
 *
 * <pre>{@code
 * try (NgcServer server = NgcServer.builder().service(service).start()) {
 *   HttpClient client = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
 *   ... server.uri() ...
 * }
 * }</pre>
 *
 * <p>JDK setting: the JDK server writes a response's headers and body separately, and without
 * {@code TCP_NODELAY} the body then waits for the client's delayed ACK (about 40 ms per request). Unless the
 * application has set the system property {@value #NODELAY_PROPERTY} itself, the first server started sets it to
 * {@code true}; the JDK reads it once, when its first HTTP server in the JVM starts, and it applies to every
 * {@code com.sun.net.httpserver} server in the JVM.
 *
 * <p>Thread safety: safe for concurrent use; {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class NgcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NgcServer.class);

  /** The JDK system property that turns on {@code TCP_NODELAY} for {@code com.sun.net.httpserver}. */
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final DeadlineExecutor executor;
  private final NgcService service;
  private final boolean ownsService;
  private final URI uri;
  private final @Nullable SSLContext clientContext;
  private final Duration shutdownGrace;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NgcServer(
      HttpServer server, DeadlineExecutor executor, NgcService service, boolean ownsService, URI uri,
      @Nullable SSLContext clientContext, Duration shutdownGrace) {
    this.server = server;
    this.executor = executor;
    this.service = service;
    this.ownsService = ownsService;
    this.uri = uri;
    this.clientContext = clientContext;
    this.shutdownGrace = shutdownGrace;
  }

  /**
   * Starts building a server.
   *
   * @return a builder with the documented defaults
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the base URL, for example {@code https://127.0.0.1:43123}: both the authority and the registration
   * service of the contract.
   *
   * @return the base URL, without a trailing slash
   * @since 0.1.0
   */
  public URI uri() {
    return uri;
  }

  /**
   * Returns whether the server speaks HTTPS.
   *
   * @return true for HTTPS
   * @since 0.1.0
   */
  public boolean https() {
    return clientContext != null;
  }

  /**
   * Returns the certificate of the service CA that issued the server certificate (and device certificates).
   *
   * @return the CA certificate
   * @since 0.1.0
   */
  public X509Certificate caCertificate() {
    return service.caCertificate();
  }

  /**
   * Returns a client SSL context that trusts exactly the service CA, for {@code HttpClient.Builder.sslContext}.
   *
   * @return the context
   * @throws IllegalStateException if the server runs plain HTTP
   * @since 0.1.0
   */
  public SSLContext clientSslContext() {
    SSLContext context = clientContext;
    if (context == null) {
      throw new IllegalStateException("the server runs plain HTTP");
    }
    return context;
  }

  /**
   * Returns the service.
   *
   * @return the service this server serves
   * @since 0.1.0
   */
  public NgcService service() {
    return service;
  }

  /**
   * Stops the server: no new connections; running exchanges get the shutdown grace period to finish. Closes the
   * service if the server created it. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // The JDK 17 server's stop(delay) always waits the whole delay, so wait for running exchanges here and then
    // stop at once.
    executor.awaitIdle(shutdownGrace);
    server.stop(0);
    executor.shutdown(Duration.ofSeconds(1));
    if (ownsService) {
      service.close();
    }
    log.info("ngc4j server at {} stopped", uri);
  }

  /**
   * Builds and starts an {@link NgcServer}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable NgcService service;
    private @Nullable Path dataDirectory;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port;
    private boolean https = true;
    private int threads = 16;
    private int queue = 256;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration shutdownGrace = Duration.ofSeconds(2);

    private Builder() {}

    /**
     * Serves an existing service; the caller keeps ownership and closes it after the server.
     *
     * @param service the service
     * @return this builder
     * @since 0.1.0
     */
    public Builder service(NgcService service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * Creates a service with default settings on a data directory; the server owns and closes it.
     *
     * @param dataDirectory the data directory
     * @return this builder
     * @since 0.1.0
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * Sets the address to listen on. Default the loopback address.
     *
     * @param address the address
     * @return this builder
     * @since 0.1.0
     */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Sets the port. Default 0 (a free port; see {@link NgcServer#uri()}).
     *
     * @param port 0 to 65535
     * @return this builder
     * @since 0.1.0
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /**
     * Sets whether to serve HTTPS. Default true.
     *
     * @param https true for HTTPS, false for plain HTTP
     * @return this builder
     * @since 0.1.0
     */
    public Builder https(boolean https) {
      this.https = https;
      return this;
    }

    /**
     * Sets the number of worker threads. Default 16.
     *
     * @param threads 1 to 1024
     * @return this builder
     * @since 0.1.0
     */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be 1 to 1024");
      }
      this.threads = threads;
      return this;
    }

    /**
     * Sets how many exchanges may wait for a worker before connections are refused. Default 256.
     *
     * @param queue 1 to 65536
     * @return this builder
     * @since 0.1.0
     */
    public Builder queue(int queue) {
      if (queue < 1 || queue > 65536) {
        throw new IllegalArgumentException("queue must be 1 to 65536");
      }
      this.queue = queue;
      return this;
    }

    /**
     * Sets the time limit of one exchange, from its request line to its last response byte. Default 30 seconds.
     *
     * @param timeout 100 ms to 10 minutes
     * @return this builder
     * @since 0.1.0
     */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("request timeout must be 100 ms to 10 minutes");
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Sets how long {@link NgcServer#close()} lets running exchanges finish. Default 2 seconds.
     *
     * @param grace 0 to 60 seconds
     * @return this builder
     * @since 0.1.0
     */
    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative() || grace.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("shutdown grace must be 0 to 60 seconds");
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws IllegalStateException if neither a service nor a data directory was given
     * @throws IOException if the address cannot be bound
     * @throws NgcException if the service cannot be created, or the TLS set-up fails
     * @since 0.1.0
     */
    public NgcServer start() throws IOException, NgcException {
      NgcService s = service;
      boolean owns = false;
      if (s == null) {
        Path dir = dataDirectory;
        if (dir == null) {
          throw new IllegalStateException("set a service or a data directory");
        }
        s = NgcService.builder().dataDirectory(dir).build();
        owns = true;
      }
      try {
        return start(s, owns);
      } catch (IOException | NgcException | RuntimeException e) {
        if (owns) {
          s.close();
        }
        throw e;
      }
    }

    private NgcServer start(NgcService s, boolean owns) throws IOException, NgcException {
      if (System.getProperty(NODELAY_PROPERTY) == null) {
        System.setProperty(NODELAY_PROPERTY, "true");
      }
      Engine engine = s.engine();
      InetSocketAddress address = new InetSocketAddress(bindAddress, port);
      HttpServer server;
      SSLContext clientContext = null;
      if (https) {
        SSLContext serverContext;
        try {
          List<String> extra = new ArrayList<>();
          if (!bindAddress.isAnyLocalAddress()) {
            extra.add(bindAddress.getHostAddress());
          }
          serverContext = Tls.serverContext(engine.secrets().ca(), extra, engine.clock().instant());
          clientContext = Tls.clientContext(s.caCertificate());
        } catch (GeneralSecurityException e) {
          throw new NgcException(ErrorCode.UNSUPPORTED, "the server's TLS set-up failed", e);
        }
        HttpsServer httpsServer = HttpsServer.create(address, 128);
        httpsServer.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            params.setSSLParameters(p);
          }
        });
        server = httpsServer;
      } else {
        server = HttpServer.create(address, 128);
      }
      InetSocketAddress bound = server.getAddress();
      InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
      String hostText = host instanceof Inet6Address ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
      URI uri = URI.create((https ? "https://" : "http://") + hostText + ":" + bound.getPort());
      DeadlineExecutor executor = new DeadlineExecutor(threads, queue, requestTimeout);
      server.setExecutor(executor);
      server.createContext("/", new HttpAdapter(engine, uri, Engine.MAX_BODY_BYTES));
      server.start();
      log.info("ngc4j server listening at {}", uri);
      return new NgcServer(server, executor, s, owns, uri, clientContext, shutdownGrace);
    }
  }
}
