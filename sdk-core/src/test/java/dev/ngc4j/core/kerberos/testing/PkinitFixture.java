package dev.ngc4j.core.kerberos.testing;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.kerberos.KdcValidation;
import dev.ngc4j.core.kerberos.PkinitClient;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A real MIT KDC (sdk-testkit's {@link MitKdc}, realm {@code WHFB.TEST}) with users and services, and a software
 * provider session (Argon2id lowered to m=1024 KiB, t=1 unless set) whose PIN-protected containers sign in to it
 * with PKINIT. The KDC lives in {@code dir/kdc}, the provider in {@code dir/provider}; the caller owns {@code dir}.
 *
 * <pre>{@code
 * try (PkinitFixture f = PkinitFixture.builder(dir, PIN).users("alice").start()) {
 *   KeyContainer alice = f.container("alice");
 *   X509Certificate certificate = f.kdc().issueClientCertificate(alice.publicKey(), "alice");
 *   f.client().asExchange(f.certificateTrust(alice, certificate), alice, f.pin()).close();
 * }
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use once started, as far as the KDC and the session are.
 */
public final class PkinitFixture implements AutoCloseable {
  /** The DNS domain of the containers' user principal names ({@code alice@whfb.test}). */
  public static final String UPN_DOMAIN = "whfb.test";

  /** The network deadline of {@link #client()}. */
  public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  private final MitKdc kdc;
  private final ProviderSession session;
  private final char[] pin;

  private PkinitFixture(MitKdc kdc, ProviderSession session, char[] pin) {
    this.kdc = kdc;
    this.session = session;
    this.pin = pin;
  }

  /**
   * Starts a set-up.
   *
   * @param dir the directory for the KDC and the provider; it need not exist
   * @param pin the PIN of every container; copied
   * @return a builder
   */
  public static Builder builder(Path dir, char[] pin) {
    return new Builder(dir, pin);
  }

  /**
   * Returns the KDC.
   *
   * @return the running KDC
   */
  public MitKdc kdc() {
    return kdc;
  }

  /**
   * Returns the software provider's session.
   *
   * @return the open session
   */
  public ProviderSession session() {
    return session;
  }

  /**
   * Returns a gesture source that answers every request with the containers' PIN.
   *
   * @return a new source
   */
  public GestureSource pin() {
    return request -> Pin.of(pin.clone());
  }

  /**
   * Creates a PIN-protected container {@code name} for {@code name@whfb.test} from a new pooled key.
   *
   * @param name the container id and the user name
   * @return the container
   * @throws NgcException if the provider fails
   */
  public KeyContainer container(String name) throws NgcException {
    try (PooledKey key = session.keySource().generate()) {
      return session.containers().create(new ContainerSpec(ContainerId.of(name),
          UserPrincipal.of(name + "@" + UPN_DOMAIN), ProtectorSpec.pin(), PinPolicy.defaults()), key, pin());
    }
  }

  /**
   * Returns a certificate-trust request of the container's user in the KDC's realm.
   *
   * @param container the container
   * @param certificate its logon certificate
   * @return the request
   */
  public PkinitRequest certificateTrust(KeyContainer container, X509Certificate certificate) {
    return new PkinitRequest(container.user(), kdc.realm(), List.of(), PkinitMode.CERTIFICATE_TRUST,
        List.of(certificate));
  }

  /**
   * Returns a key-trust request of the container's user in the KDC's realm.
   *
   * @param container the container
   * @param certificate the self-signed certificate around its key
   * @return the request
   */
  public PkinitRequest keyTrust(KeyContainer container, X509Certificate certificate) {
    return new PkinitRequest(container.user(), kdc.realm(), List.of(), PkinitMode.KEY_TRUST, List.of(certificate));
  }

  /**
   * Returns a client builder that trusts the KDC's CA with the default validation and names the KDC for its realm.
   *
   * @return a builder to finish
   */
  public PkinitClient.Builder clientBuilder() {
    return clientBuilder(KdcValidation.builder());
  }

  /**
   * Returns a client builder that names the KDC for its realm and validates it with {@code validation}, to which
   * the KDC's CA is set as the only trust anchor.
   *
   * @param validation the validation options
   * @return a builder to finish
   */
  public PkinitClient.Builder clientBuilder(KdcValidation.Builder validation) {
    return PkinitClient.builder()
        .kdcValidation(validation.trustAnchors(List.of(kdc.caCertificate())).build())
        .kdcs(kdc.realm(), List.of(kdc.address()));
  }

  /**
   * Returns a client as {@link #clientBuilder()} with a deadline of {@link #CLIENT_TIMEOUT}.
   *
   * @return the client
   */
  public PkinitClient client() {
    return clientBuilder().timeout(CLIENT_TIMEOUT).build();
  }

  /** Closes the session, then stops the KDC. */
  @Override
  public void close() {
    try {
      session.close();
    } finally {
      kdc.close();
    }
  }

  /**
   * Configures a {@link PkinitFixture}.
   *
   * <p>Thread safety: not for concurrent use.
   */
  public static final class Builder {
    private final Path dir;
    private final char[] pin;
    private UnaryOperator<MitKdc.Builder> kdcOptions = UnaryOperator.identity();
    private final List<String> users = new ArrayList<>();
    private final List<String> services = new ArrayList<>();
    private String argon2MemoryKiB = "1024";
    private String argon2Iterations = "1";

    private Builder(Path dir, char[] pin) {
      this.dir = Objects.requireNonNull(dir, "dir");
      this.pin = pin.clone();
    }

    /**
     * Sets options of the KDC, such as {@code b -> b.requireFreshness(true)}.
     *
     * @param options applied to the KDC's builder before it starts
     * @return this builder
     */
    public Builder kdc(UnaryOperator<MitKdc.Builder> options) {
      this.kdcOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Adds users (principals that must pre-authenticate) to the KDC.
     *
     * @param names such as {@code alice}
     * @return this builder
     */
    public Builder users(String... names) {
      users.addAll(Arrays.asList(names));
      return this;
    }

    /**
     * Adds service principals with random keys to the KDC.
     *
     * @param principals such as {@code host/localhost}
     * @return this builder
     */
    public Builder services(String... principals) {
      services.addAll(Arrays.asList(principals));
      return this;
    }

    /**
     * Sets the software provider's Argon2id cost; m=1024 KiB, t=1 by default.
     *
     * @param memoryKiB the provider setting {@code argon2.memoryKiB}
     * @param iterations the provider setting {@code argon2.iterations}
     * @return this builder
     */
    public Builder argon2(String memoryKiB, String iterations) {
      this.argon2MemoryKiB = Objects.requireNonNull(memoryKiB, "memoryKiB");
      this.argon2Iterations = Objects.requireNonNull(iterations, "iterations");
      return this;
    }

    /**
     * Starts the KDC, adds the principals and opens the provider session; on failure stops what it started.
     *
     * @return the running set-up
     * @throws Exception if the KDC cannot start (MIT Kerberos missing: the message says what to install) or the
     *     provider cannot open
     */
    public PkinitFixture start() throws Exception {
      MitKdc kdc = kdcOptions.apply(MitKdc.builder(dir.resolve("kdc"))).start();
      try {
        for (String user : users) {
          kdc.addUser(user);
        }
        for (String service : services) {
          kdc.addService(service);
        }
        ProviderSession session = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("provider"),
            Clock.systemUTC(), Map.of("argon2.memoryKiB", argon2MemoryKiB, "argon2.iterations", argon2Iterations)));
        return new PkinitFixture(kdc, session, pin);
      } catch (Exception e) {
        kdc.close();
        throw e;
      }
    }
  }
}
