package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Provisioning a container on a SoftHSM2 token with a key from the on-token pool against generating its key on the
 * token on demand ({@link Pkcs11Fixture}: a fresh token per trial, the provider logged in for the whole trial by an
 * unlocked container, so both benchmarks run with the same login state).
 *
 * <p>{@link #poolHit}: {@code keySource().generate()} claims a pool entry (a key pair labelled {@code ngc4j-pool}
 * generated on the token before the invocation, outside the measurement, with {@link Pkcs11Session#fillKeyPool}),
 * then {@code containers().create(...)} with the token PIN: the PIN checked (against the provider's verifier, as the
 * token is logged in; the attempt counter written before and reset after), the key pair relabelled
 * {@code ngc4j:<id>} and the container record created as a token data object. {@link #onTokenGeneration}: the same
 * with the pool empty, so {@code generate()} makes the key pair on the token (C_GenerateKeyPair of RSA-2048, whose
 * prime search has a long tail) while the provider holds the login. SingleShotTime: every invocation is one
 * provisioning in a new container, deleted after the invocation (the private key too, since the login is held).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class Pkcs11PoolBench {
  @SuppressWarnings("NullAway.Init")
  private Pkcs11Fixture fixture;

  @SuppressWarnings("NullAway.Init")
  private Pkcs11Session session;

  private @Nullable ContainerId created;
  private int next;

  /**
   * Creates the token, opens the provider and unlocks the anchor container (which holds the login).
   *
   * @throws Exception if it fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = Pkcs11Fixture.open();
    session = fixture.session();
  }

  /** Closes the fixture: logout, C_Finalize, token deleted. */
  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
  }

  /**
   * Before a {@link #poolHit}, generates one pool entry on the token (not measured); before an
   * {@link #onTokenGeneration}, checks that the pool is empty.
   *
   * @param params which benchmark runs
   * @throws NgcException if the token fails
   */
  @Setup(Level.Invocation)
  public void preparePool(BenchmarkParams params) throws NgcException {
    boolean hit = params.getBenchmark().endsWith(".poolHit");
    if (hit) {
      session.fillKeyPool(Pkcs11Fixture.pin(), 1);
    }
    int entries = session.keyPoolEntries();
    if (entries != (hit ? 1 : 0)) {
      throw new IllegalStateException("the token holds " + entries + " pool entries before " + params.getBenchmark());
    }
  }

  /**
   * Deletes the container the invocation made (record, public and private key).
   *
   * @throws NgcException if the token fails
   */
  @TearDown(Level.Invocation)
  public void deleteCreated() throws NgcException {
    ContainerId id = created;
    if (id != null) {
      session.containers().delete(id);
      created = null;
    }
  }

  private KeyContainer provision() throws NgcException {
    ContainerId id = ContainerId.of("bench-" + next++);
    try (PooledKey key = session.keySource().generate()) {
      KeyContainer c = session.containers().create(Pkcs11Fixture.spec(id), key, Pkcs11Fixture.pin());
      created = id;
      return c;
    }
  }

  /**
   * Provisions a container with a key claimed from the on-token pool.
   *
   * @return the container
   * @throws NgcException if the token fails
   */
  @Benchmark
  public KeyContainer poolHit() throws NgcException {
    return provision();
  }

  /**
   * Provisions a container with a key generated on the token on demand (the pool is empty).
   *
   * @return the container
   * @throws NgcException if the token fails
   */
  @Benchmark
  public KeyContainer onTokenGeneration() throws NgcException {
    return provision();
  }
}
