package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.kerberos.KdcValidation;
import dev.ngc4j.core.kerberos.KerberosTgt;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A full PKINIT AS exchange against a real MIT {@code krb5kdc} on loopback (started by the trial set-up with
 * sdk-testkit's {@link MitKdc}), ngc4j's warm-JVM client against MIT's own {@code kinit} in the same run: both do
 * certificate trust with DH MODP group 14 (2048-bit), both talk TCP, both first get PREAUTH_REQUIRED (with the
 * freshness token) and then send the signed AS-REQ, and both write the TGT to a credential cache.
 *
 * <p>{@link #ngc4j}: {@link PkinitClient#asExchange} through a software key container (PIN unlock with Argon2id
 * lowered to m=1024 KiB, t=1 as the cloud benchmarks do; {@code UnlockBench} measures the default), validating the
 * KDC's certificate including its CRL (fetched once over HTTP, then cached until nextUpdate), then the ccache write.
 * {@link #mitKinit}: {@code kinit -X X509_user_identity=FILE:cert,key} as a new process (its key in a plain PEM file),
 * as {@code kerberos.md} measured it (median 11.2 ms with hyperfine); the process start is part of what a kinit
 * costs. Target: ngc4j no slower than kinit (ratio ngc4j / kinit <= 1.0).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PkinitBench {
  private static final char[] PIN = {'8', '2', '4', '6', '1', '3'};

  @SuppressWarnings("NullAway.Init")
  private Path dir;

  @SuppressWarnings("NullAway.Init")
  private MitKdc kdc;

  @SuppressWarnings("NullAway.Init")
  private ProviderSession session;

  @SuppressWarnings("NullAway.Init")
  private KeyContainer container;

  @SuppressWarnings("NullAway.Init")
  private PkinitClient client;

  @SuppressWarnings("NullAway.Init")
  private PkinitRequest request;

  @SuppressWarnings("NullAway.Init")
  private List<String> kinit;

  @SuppressWarnings("NullAway.Init")
  private Path ngcCache;

  private final GestureSource pin = gestureRequest -> Pin.of(PIN.clone());

  /**
   * Starts the KDC, makes both identities and the clients.
   *
   * @throws Exception if any step fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("ngc4j-pkinit-bench");
    kdc = MitKdc.builder(dir.resolve("kdc")).start();
    kdc.addUser("alice");
    kdc.addUser("mit");
    session = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("provider"), Clock.systemUTC(),
        Map.of("argon2.memoryKiB", CloudFixture.ARGON2_MEMORY_KIB, "argon2.iterations",
            CloudFixture.ARGON2_ITERATIONS)));
    try (PooledKey key = session.keySource().generate()) {
      container = session.containers().create(new ContainerSpec(ContainerId.of("alice"),
          UserPrincipal.of("alice@whfb.test"), ProtectorSpec.pin(), PinPolicy.defaults()), key, pin);
    }
    X509Certificate certificate = kdc.issueClientCertificate(container.publicKey(), "alice");
    request = new PkinitRequest(container.user(), kdc.realm(), List.of(), PkinitMode.CERTIFICATE_TRUST,
        List.of(certificate));
    client = PkinitClient.builder()
        .kdcValidation(KdcValidation.builder().trustAnchors(List.of(kdc.caCertificate())).build())
        .kdcs(kdc.realm(), List.of(kdc.address()))
        .build();
    ngcCache = dir.resolve("ngc4j.ccache");

    KeyPair mitKeys = rsa();
    Path cert = MitKdc.writeCertificatePem(dir.resolve("mit.pem"),
        kdc.issueClientCertificate(mitKeys.getPublic(), "mit"));
    Path key = MitKdc.writePrivateKeyPem(dir.resolve("mit.key"), mitKeys.getPrivate());
    Path ca = MitKdc.writeCertificatePem(dir.resolve("ca.pem"), kdc.caCertificate());
    kinit = List.of("kinit", "-X", "X509_anchors=FILE:" + ca, "-X", "X509_user_identity=FILE:" + cert + "," + key,
        "-c", "FILE:" + dir.resolve("mit.ccache"), "mit@" + kdc.realm());
    // Both must work before anything is measured.
    ngc4j();
    mitKinit();
  }

  private static KeyPair rsa() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  /**
   * Stops the KDC and deletes the directory.
   *
   * @throws IOException if the directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    session.close();
    kdc.close();
    CloudFixture.deleteRecursively(dir);
  }

  /**
   * ngc4j: the PKINIT AS exchange through the key container, then the ccache.
   *
   * @return the ticket's end time (consumed by JMH)
   * @throws NgcException if the exchange fails
   */
  @Benchmark
  public long ngc4j() throws NgcException {
    try (KerberosTgt tgt = client.asExchange(request, container, pin)) {
      tgt.writeCredentialCache(ngcCache);
      return tgt.endTime().getEpochSecond();
    }
  }

  /**
   * MIT: {@code kinit} with a certificate identity, as a new process.
   *
   * @return kinit's exit code (0)
   * @throws Exception if kinit fails or cannot be started
   */
  @Benchmark
  public int mitKinit() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(kinit)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().remove("KRB5_TRACE");
    builder.environment().put("KRB5_CONFIG", kdc.krb5Conf().toString());
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("kinit did not finish within 30 s");
    }
    int code = process.exitValue();
    if (code != 0) {
      throw new IllegalStateException("kinit failed with exit code " + code);
    }
    return code;
  }
}
