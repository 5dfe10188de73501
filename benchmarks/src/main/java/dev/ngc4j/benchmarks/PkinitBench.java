package dev.ngc4j.benchmarks;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.kerberos.KerberosTgt;
import dev.ngc4j.core.kerberos.PkinitClient;
import dev.ngc4j.core.kerberos.testing.PkinitFixture;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

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
 * costs. {@link #paired} does one of each per call, alternating the order, timing each side, so that both sides see
 * the same machine load; its ratio is the one to judge the target by: ngc4j no slower than kinit (ratio ngc4j /
 * kinit <= 1.0).
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
  private PkinitFixture fixture;

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

  @SuppressWarnings("NullAway.Init")
  private GestureSource pin;

  /**
   * Starts the KDC, makes both identities and the clients.
   *
   * @throws Exception if any step fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("ngc4j-pkinit-bench");
    fixture = PkinitFixture.builder(dir, PIN)
        .argon2(CloudFixture.ARGON2_MEMORY_KIB, CloudFixture.ARGON2_ITERATIONS)
        .users("alice", "mit")
        .start();
    MitKdc kdc = fixture.kdc();
    pin = fixture.pin();
    container = fixture.container("alice");
    request = fixture.certificateTrust(container, kdc.issueClientCertificate(container.publicKey(), "alice"));
    client = fixture.clientBuilder().build();
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
    fixture.close();
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
    builder.environment().put("KRB5_CONFIG", fixture.kdc().krb5Conf().toString());
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

  /**
   * Nanoseconds spent in each side of {@link #paired}, per iteration.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PairTimes {
    /** Nanoseconds spent in ngc4j's AS exchange (with the ccache write) in this iteration. */
    public long ngc4jNanos;
    /** Nanoseconds spent in MIT's kinit process in this iteration. */
    public long kinitNanos;

    private long pairs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      ngc4jNanos = 0;
      kinitNanos = 0;
      pairs = 0;
    }
  }

  /**
   * One ngc4j AS exchange and one kinit, alternating the order, each side timed.
   *
   * @param times the per-side counters
   * @param bh the sink
   * @throws Exception if either side fails
   */
  @Benchmark
  public void paired(PairTimes times, Blackhole bh) throws Exception {
    boolean ngc4jFirst = (times.pairs++ & 1) == 0;
    long t0 = System.nanoTime();
    bh.consume(ngc4jFirst ? ngc4j() : mitKinit());
    long t1 = System.nanoTime();
    bh.consume(ngc4jFirst ? mitKinit() : ngc4j());
    long t2 = System.nanoTime();
    times.ngc4jNanos += ngc4jFirst ? t1 - t0 : t2 - t1;
    times.kinitNanos += ngc4jFirst ? t2 - t1 : t1 - t0;
  }
}
