package dev.ngc4j.benchmarks;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.KeyPool;
import dev.ngc4j.core.PoolStats;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link KeyPool#take()} answered from a pre-filled pool (a hit) against generating a fresh RSA-2048 key through the
 * same software {@link PooledKeySource}. Target: a hit is at least 1000 times faster.
 *
 * <h2>How the hit is measured</h2>
 *
 * <p>A hit can only be measured while the pool has keys, and refilling costs tens of milliseconds per key, so
 * {@link #takeHit} runs as {@link Mode#SingleShotTime}: before each iteration {@link PrefilledPool} starts a pool of
 * {@value #POOL_SIZE} keys (low-water mark 0) and waits until it is full; the measured invocation then takes all
 * {@value #POOL_SIZE} keys, and {@link OperationsPerInvocation} makes the score the time per take. The background
 * refill only starts with the very last take, so no key generation competes with the measurement. After each
 * iteration the pool's own counters are checked: exactly {@value #POOL_SIZE} hits and no miss, or the benchmark
 * fails. Do not pass {@code -bs} (batch size) on the command line: a second invocation would hit an empty pool.
 *
 * <p>{@link #freshGeneration} calls the source directly; {@link #takeMiss} goes through a pool of capacity 0, where
 * every take is a miss that generates on the caller's thread (it shows the pool adds nothing to a miss). Both run
 * in {@link Mode#SampleTime}: RSA key generation time is itself random (it searches for primes), a 2-second
 * iteration holds only about ten keys, and sampling every call gives the mean with an error over all samples plus
 * the tail percentiles, instead of five noisy iteration means.
 *
 * <p>Thread safety: JMH runs each benchmark on one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeyPoolBench {
  /** Keys in the pre-filled pool, and takes per measured invocation of {@link #takeHit}. */
  public static final int POOL_SIZE = 64;

  /** The software provider's key source. */
  @State(Scope.Benchmark)
  public static class Source {
    @SuppressWarnings("NullAway.Init")
    SoftwareFixture fixture;

    @SuppressWarnings("NullAway.Init")
    PooledKeySource keys;

    /** Opens the software provider in a temporary directory. */
    @Setup(Level.Trial)
    public void open() throws IOException, NgcException {
      fixture = SoftwareFixture.open();
      keys = fixture.session().keySource();
    }

    /** Closes the provider and deletes the directory. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      fixture.close();
    }
  }

  /** A pool filled to {@value #POOL_SIZE} keys before every iteration. */
  @State(Scope.Benchmark)
  public static class PrefilledPool {
    final @Nullable PooledKey[] taken = new PooledKey[POOL_SIZE];

    @SuppressWarnings("NullAway.Init")
    KeyPool pool;

    /** Starts a pool and waits until it is full. */
    @Setup(Level.Iteration)
    public void fill(Source source) throws InterruptedException {
      pool = KeyPool.start(source.keys, POOL_SIZE, 0);
      if (!pool.awaitAvailable(POOL_SIZE, Duration.ofMinutes(5))) {
        throw new IllegalStateException("the pool did not fill in 5 minutes: " + pool.stats());
      }
    }

    /** Checks that every take was a hit, then destroys the keys and stops the pool. */
    @TearDown(Level.Iteration)
    public void verifyAndClose() {
      PoolStats stats = pool.stats();
      try {
        if (stats.hits() != POOL_SIZE || stats.misses() != 0) {
          throw new IllegalStateException(
              "takeHit must measure hits only; expected " + POOL_SIZE + " hits and 0 misses, got " + stats);
        }
      } finally {
        for (int i = 0; i < taken.length; i++) {
          PooledKey key = taken[i];
          if (key != null) {
            key.close();
          }
          taken[i] = null;
        }
        pool.close();
      }
    }
  }

  /** A pool of capacity 0: every take generates on the caller's thread. */
  @State(Scope.Benchmark)
  public static class EmptyPool {
    @SuppressWarnings("NullAway.Init")
    KeyPool pool;

    /** Starts the pool. */
    @Setup(Level.Trial)
    public void start(Source source) {
      pool = KeyPool.start(source.keys, 0, 0);
    }

    /** Checks that no take was a hit and stops the pool. */
    @TearDown(Level.Trial)
    public void verifyAndClose() {
      PoolStats stats = pool.stats();
      pool.close();
      if (stats.hits() != 0 || stats.misses() == 0) {
        throw new IllegalStateException("takeMiss must measure misses only, got " + stats);
      }
    }
  }

  /**
   * Takes {@value #POOL_SIZE} keys from a full pool; the score is per take.
   *
   * @param state the pre-filled pool
   * @throws NgcException if the pool fails
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(POOL_SIZE)
  public void takeHit(PrefilledPool state) throws NgcException {
    @Nullable PooledKey[] out = state.taken;
    KeyPool pool = state.pool;
    for (int i = 0; i < POOL_SIZE; i++) {
      out[i] = pool.take();
    }
  }

  /**
   * Generates one RSA-2048 key through the provider's source, then destroys it.
   *
   * @param source the key source
   * @param bh the sink
   * @throws NgcException if generation fails
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public void freshGeneration(Source source, Blackhole bh) throws NgcException {
    try (PooledKey key = source.keys.generate()) {
      bh.consume(key.publicKey());
    }
  }

  /**
   * Takes from an empty pool: a miss that generates on this thread.
   *
   * @param state the empty pool
   * @return the public key of the generated key, which is then destroyed
   * @throws NgcException if generation fails
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  public PublicKey takeMiss(EmptyPool state) throws NgcException {
    try (PooledKey key = state.pool.take()) {
      return key.publicKey();
    }
  }
}
