package dev.ngc4j.benchmarks;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.SignatureVerifier;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * RS256 signing through an unlocked software container ({@link UnlockedKey#sign}) against raw JCA
 * {@code SHA256withRSA} with another RSA-2048 key from the JDK's default provider, over the same message. Target:
 * the container is within 5% of raw JCA.
 *
 * <p>The software provider keeps initialised {@link Signature} objects per unlocked key and reuses them, so the
 * like-for-like baseline is {@link #rawJcaSignReused} (one {@code Signature}, initialised once: {@code update} and
 * {@code sign} per call). {@link #rawJcaSign} also pays {@code getInstance} and {@code initSign} on every call, as a
 * one-off signature in an application does.
 *
 * <h2>Why there is a paired benchmark</h2>
 *
 * <p>On a shared two-core machine the load drifts between benchmarks, which run one after the other, so two separate
 * scores can differ by more than the 5% being tested. {@link #paired} therefore signs once through the container
 * and once with the reused raw JCA {@code Signature} in every invocation, alternating which goes first, and adds
 * the nanoseconds of each to {@link PairTimes} counters. Both sides see the same load, and the ratio of the counters
 * is the like-for-like comparison {@link BenchmarkRatios} reports, with the spread over the iterations.
 *
 * <p>Thread safety: JMH runs each benchmark on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignBench {
  private static final char[] PIN = {'7', '3', '1', '9', '4', '6'};

  /** Message length in bytes: a 32-byte nonce and a 1 KiB payload. */
  @Param({"32", "1024"})
  public int messageSize;

  @SuppressWarnings("NullAway.Init")
  private SoftwareFixture fixture;

  @SuppressWarnings("NullAway.Init")
  private UnlockedKey unlocked;

  @SuppressWarnings("NullAway.Init")
  private PrivateKey rawKey;

  @SuppressWarnings("NullAway.Init")
  private Signature reusedSigner;

  @SuppressWarnings("NullAway.Init")
  private byte[] message;

  /**
   * Creates and unlocks a container, generates the raw JCA key, and checks that both sign correctly.
   *
   * @throws IOException if the temporary directory fails
   * @throws NgcException if the provider fails
   * @throws GeneralSecurityException if the JDK lacks RSA
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NgcException, GeneralSecurityException {
    message = new byte[messageSize];
    new SecureRandom().nextBytes(message);
    fixture = SoftwareFixture.open();
    GestureSource gestures = SoftwareFixture.pin(PIN);
    KeyContainer container = fixture.newContainer("sign-bench", gestures);
    unlocked = container.unlock(gestures);
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair raw = gen.generateKeyPair();
    rawKey = raw.getPrivate();
    reusedSigner = Signature.getInstance("SHA256withRSA");
    reusedSigner.initSign(rawKey);
    check("container", container.publicKey(), containerSign());
    check("raw JCA", raw.getPublic(), rawJcaSign());
    check("raw JCA (reused Signature)", raw.getPublic(), rawJcaSignReused());
  }

  /**
   * Closes the unlocked key and the provider.
   *
   * @throws IOException if the temporary directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    unlocked.close();
    fixture.close();
  }

  /**
   * Signs through the unlocked software container.
   *
   * @return the signature
   * @throws NgcException if signing fails
   */
  @Benchmark
  public byte[] containerSign() throws NgcException {
    return unlocked.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
  }

  /**
   * Signs with raw JCA, the JDK's default provider for SHA256withRSA.
   *
   * @return the signature
   * @throws GeneralSecurityException if signing fails
   */
  @Benchmark
  public byte[] rawJcaSign() throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(rawKey);
    s.update(message);
    return s.sign();
  }

  /**
   * Signs with one raw JCA {@code Signature}, initialised once in the set-up and reused.
   *
   * @return the signature
   * @throws GeneralSecurityException if signing fails
   */
  @Benchmark
  public byte[] rawJcaSignReused() throws GeneralSecurityException {
    reusedSigner.update(message);
    return reusedSigner.sign();
  }

  /**
   * Nanoseconds spent in each side of {@link #paired}, per iteration (JMH reports them as secondary results).
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PairTimes {
    /** Nanoseconds spent signing through the container in this iteration. */
    public long containerNanos;
    /** Nanoseconds spent signing with the reused raw JCA {@code Signature} in this iteration. */
    public long rawNanos;

    private long pairs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      containerNanos = 0;
      rawNanos = 0;
      pairs = 0;
    }
  }

  /**
   * Signs once through the container and once with raw JCA (reused {@code Signature}), alternating the order, and
   * times each side separately.
   *
   * @param times the per-side counters
   * @param bh the sink
   * @throws NgcException if the container fails
   * @throws GeneralSecurityException if raw JCA fails
   */
  @Benchmark
  public void paired(PairTimes times, Blackhole bh) throws NgcException, GeneralSecurityException {
    if ((times.pairs++ & 1) == 0) {
      long t0 = System.nanoTime();
      bh.consume(containerSign());
      long t1 = System.nanoTime();
      bh.consume(rawJcaSignReused());
      long t2 = System.nanoTime();
      times.containerNanos += t1 - t0;
      times.rawNanos += t2 - t1;
    } else {
      long t0 = System.nanoTime();
      bh.consume(rawJcaSignReused());
      long t1 = System.nanoTime();
      bh.consume(containerSign());
      long t2 = System.nanoTime();
      times.rawNanos += t1 - t0;
      times.containerNanos += t2 - t1;
    }
  }

  private void check(String what, PublicKey key, byte[] signature) throws NgcException {
    if (!SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, key, message, signature)) {
      throw new IllegalStateException(what + " signature does not verify");
    }
  }
}
