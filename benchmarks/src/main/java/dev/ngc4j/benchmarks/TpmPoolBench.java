package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * Provisioning a TPM container with a warm pool against generating its key in the TPM on demand, on a real
 * {@code swtpm} started by the trial set-up ({@link Swtpm}).
 *
 * <p>{@link #warmPool}: {@code KeyContainerStore.create} with a key the pool generated earlier (outside the
 * measurement, in the invocation's set-up): the pool key's throwaway authValue is changed to the PIN-derived one
 * (TPM2_ObjectChangeAuth), the container's blobs and records are written atomically, the throwaway auth and the
 * pool blob are destroyed. {@link #coldCreate}: the same, but the key is generated on demand first
 * ({@code PooledKeySource.generate()}: TPM2_Create of an RSA-2048 key, whose prime search has a long tail). The
 * target: warm at least 20 times faster. SingleShotTime: every invocation is one provisioning, each in a new
 * container (deleted after the invocation).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TpmPoolBench {
  @SuppressWarnings("NullAway.Init")
  private Path dir;

  @SuppressWarnings("NullAway.Init")
  private Swtpm swtpm;

  @SuppressWarnings("NullAway.Init")
  private ProviderSession session;

  private @Nullable PooledKey pooled;
  private @Nullable ContainerId created;
  private int next;

  /**
   * Starts swtpm and opens the provider.
   *
   * @throws Exception if it fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("ngc4j-tpm-pool-bench");
    swtpm = Swtpm.start(dir.resolve("tpm"));
    swtpm.relaxDictionaryAttack();
    session = TpmCredentialProvider.builder().device(swtpm.deviceSpec()).build()
        .open(new ProviderContext(dir.resolve("data"), Clock.systemUTC(), Map.of()));
  }

  /**
   * Closes the provider and swtpm, and deletes the directory.
   *
   * @throws IOException if the directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    session.close();
    swtpm.close();
    CloudFixture.deleteRecursively(dir);
  }

  /**
   * Generates the pool key the next {@link #warmPool} binds (not measured).
   *
   * @throws NgcException if the TPM fails
   */
  @Setup(Level.Invocation)
  public void fillPool() throws NgcException {
    pooled = session.keySource().generate();
  }

  /**
   * Deletes the container the invocation made and closes an unused pool key.
   *
   * @throws NgcException if the TPM or the storage fails
   */
  @TearDown(Level.Invocation)
  public void cleanUp() throws NgcException {
    PooledKey left = pooled;
    if (left != null) {
      left.close();
      pooled = null;
    }
    ContainerId id = created;
    if (id != null) {
      session.containers().delete(id);
      created = null;
    }
  }

  private ContainerSpec nextSpec() {
    ContainerId id = ContainerId.of("bench-" + next++);
    created = id;
    return new ContainerSpec(id, UserPrincipal.of("alice@contoso.example"), ProtectorSpec.pin(), PinPolicy.defaults());
  }

  /**
   * Provisions a container with a key from the pool.
   *
   * @return the container
   * @throws NgcException if the TPM or the storage fails
   */
  @Benchmark
  public KeyContainer warmPool() throws NgcException {
    PooledKey key = java.util.Objects.requireNonNull(pooled);
    try {
      return session.containers().create(nextSpec(), key, TpmSignBench.pin());
    } finally {
      key.close();
      pooled = null;
    }
  }

  /**
   * Provisions a container with a key generated in the TPM on demand.
   *
   * @return the container
   * @throws NgcException if the TPM or the storage fails
   */
  @Benchmark
  public KeyContainer coldCreate() throws NgcException {
    try (PooledKey key = session.keySource().generate()) {
      return session.containers().create(nextSpec(), key, TpmSignBench.pin());
    }
  }
}
