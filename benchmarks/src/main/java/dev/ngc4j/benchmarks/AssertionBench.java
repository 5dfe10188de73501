package dev.ngc4j.benchmarks;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.SignatureVerifier;
import dev.ngc4j.core.internal.cloud.WhfbAssertion;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The client's WHfB assertion (the inner JWT of a sign-in) against one raw RS256 signature. {@link #buildAndSign} is
 * the client's own code ({@link WhfbAssertion}, which {@code EntraCloudClient.signIn} calls): build the header and
 * payload JSON, base64url them, sign the signing input through an unlocked software container
 * ({@link UnlockedKey#sign}), and base64url the signature into the compact form. {@link #rawSign} is one raw JCA
 * {@code SHA256withRSA} signature (RSA-2048 from the JDK's default provider, one {@link Signature} initialised once)
 * over a random message as long as the signing input. Target: the assertion is within 10% of the raw signature.
 *
 * <p>As in {@link SignBench}, {@link #paired} does one of each per call, alternating the order, and times each side
 * into {@link PairTimes}; the ratio of its counters is the like-for-like comparison. The nonce is random, 126
 * characters in the service's form (base64url, a dot, base64url; the service's own are 132 characters); the clock
 * is read per assertion, as the client does.
 *
 * <p>Not measured here: before sending, {@code EntraCloudClient} also checks the container's signature against
 * its public key (one RSA verification); that and the rest of the sign-in are in {@link CloudSignInBench}.
 *
 * <p>Thread safety: JMH runs each benchmark on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AssertionBench {
  private static final char[] PIN = {'7', '3', '1', '9', '4', '6'};

  private final Clock clock = Clock.systemUTC();

  @SuppressWarnings("NullAway.Init")
  private SoftwareFixture fixture;

  @SuppressWarnings("NullAway.Init")
  private UnlockedKey unlocked;

  @SuppressWarnings("NullAway.Init")
  private String kid;

  @SuppressWarnings("NullAway.Init")
  private String upn;

  @SuppressWarnings("NullAway.Init")
  private String nonce;

  @SuppressWarnings("NullAway.Init")
  private Signature reusedSigner;

  @SuppressWarnings("NullAway.Init")
  private byte[] message;

  /**
   * Creates and unlocks a container, makes the raw key and a message as long as the assertion's signing input, and
   * checks that the assertion verifies.
   *
   * @throws IOException if the temporary directory fails
   * @throws NgcException if the provider fails
   * @throws GeneralSecurityException if the JDK lacks RSA
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NgcException, GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    byte[] claims = new byte[61];
    byte[] tag = new byte[32];
    random.nextBytes(claims);
    random.nextBytes(tag);
    nonce = Bytes.of(claims).toBase64Url() + '.' + Bytes.of(tag).toBase64Url();
    fixture = SoftwareFixture.open();
    GestureSource gestures = SoftwareFixture.pin(PIN);
    KeyContainer container = fixture.newContainer("assertion-bench", gestures);
    unlocked = container.unlock(gestures);
    kid = WhfbAssertion.kid((RSAPublicKey) container.publicKey());
    upn = SoftwareFixture.USER.upn();

    WhfbAssertion.Signed sample = WhfbAssertion.sign(unlocked, kid, upn, clock.instant().getEpochSecond(), nonce);
    byte[] input = sample.signingInput().getBytes(StandardCharsets.US_ASCII);
    if (!SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, container.publicKey(), input,
        sample.signature())) {
      throw new IllegalStateException("the assertion does not verify");
    }
    message = new byte[input.length];
    random.nextBytes(message);

    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair raw = gen.generateKeyPair();
    reusedSigner = Signature.getInstance("SHA256withRSA");
    reusedSigner.initSign(raw.getPrivate());
    if (!SignatureVerifier.verify(SignatureAlgorithm.RSA_PKCS1_SHA256, raw.getPublic(), message, rawSign())) {
      throw new IllegalStateException("the raw signature does not verify");
    }
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
   * Builds and signs one assertion, as {@code EntraCloudClient.signIn} does after the unlock.
   *
   * @return the compact assertion
   * @throws NgcException if signing fails
   */
  @Benchmark
  public String buildAndSign() throws NgcException {
    return WhfbAssertion.sign(unlocked, kid, upn, clock.instant().getEpochSecond(), nonce).compact();
  }

  /**
   * Signs a message of the same length with raw JCA (reused {@code Signature}).
   *
   * @return the signature
   * @throws GeneralSecurityException if signing fails
   */
  @Benchmark
  public byte[] rawSign() throws GeneralSecurityException {
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
    /** Nanoseconds spent building and signing assertions in this iteration. */
    public long assertionNanos;
    /** Nanoseconds spent in raw JCA signatures in this iteration. */
    public long rawNanos;

    private long pairs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      assertionNanos = 0;
      rawNanos = 0;
      pairs = 0;
    }
  }

  /**
   * Builds and signs one assertion and makes one raw JCA signature, alternating the order, and times each side.
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
      bh.consume(buildAndSign());
      long t1 = System.nanoTime();
      bh.consume(rawSign());
      long t2 = System.nanoTime();
      times.assertionNanos += t1 - t0;
      times.rawNanos += t2 - t1;
    } else {
      long t0 = System.nanoTime();
      bh.consume(rawSign());
      long t1 = System.nanoTime();
      bh.consume(buildAndSign());
      long t2 = System.nanoTime();
      times.rawNanos += t1 - t0;
      times.assertionNanos += t2 - t1;
    }
  }
}
