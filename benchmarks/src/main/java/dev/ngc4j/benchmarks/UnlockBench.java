package dev.ngc4j.benchmarks;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unlocking a software container with the right PIN and closing the unlocked key again, with the provider's default
 * settings (Argon2id m=19456 KiB, t=2, p=1). Besides the PIN-derived key, an unlock reads the container, records the
 * attempt in the counter file before checking the PIN and resets it afterwards (atomic, synced writes), and decrypts
 * the private key. BENCHMARKS.md reports it as a ratio to one raw RS256 signature from {@link SignBench} in the same
 * run.
 *
 * <p>Thread safety: JMH runs each benchmark on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnlockBench {
  private static final char[] PIN = {'7', '3', '1', '9', '4', '6'};

  @SuppressWarnings("NullAway.Init")
  private SoftwareFixture fixture;

  @SuppressWarnings("NullAway.Init")
  private KeyContainer container;

  @SuppressWarnings("NullAway.Init")
  private GestureSource gestures;

  /**
   * Creates a PIN-protected container with default parameters.
   *
   * @throws IOException if the temporary directory fails
   * @throws NgcException if the provider fails
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NgcException {
    fixture = SoftwareFixture.open();
    gestures = SoftwareFixture.pin(PIN);
    container = fixture.newContainer("unlock-bench", gestures);
  }

  /**
   * Deletes the container's directory.
   *
   * @throws IOException if it cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }

  /**
   * Unlocks with the PIN (Argon2id, then the private key is decrypted) and closes the handle.
   *
   * @return the key id, so the work is not eliminated
   * @throws NgcException if the unlock fails
   */
  @Benchmark
  public KeyId unlockAndClose() throws NgcException {
    try (UnlockedKey key = container.unlock(gestures)) {
      return key.keyId();
    }
  }
}
