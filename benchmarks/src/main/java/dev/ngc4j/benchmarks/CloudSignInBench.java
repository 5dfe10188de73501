package dev.ngc4j.benchmarks;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.time.Instant;
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
 * A full cloud sign-in as an application sees it, over loopback HTTPS: {@code Ngc4j.signIn(user, gestures)} with
 * the software provider against an {@code NgcServer} started in the set-up ({@link CloudFixture}). One operation is
 * everything the call does: read the user's record and open the container; unlock it with the PIN (Argon2id lowered
 * to m=1024 KiB, t=1 here, plus the attempt counter's synced writes); fetch a nonce (M3, one HTTPS round trip);
 * build and sign the WHfB assertion with the user key and check the signature; build and sign the outer request
 * with the device key and check it; send it (M6) and let the service verify both signatures, issue the PRT and
 * wrap a session key for the transport key (M7); split the {@code session_key_jwe} and unwrap the session key in
 * the provider (RSA-OAEP decrypt with the transport key). The PRT's session key handle is closed at the end of the
 * operation (zeroing 32 bytes).
 *
 * <p>{@link #unlockOnly} unlocks and closes the same container with the same lowered Argon2id parameters, and
 * {@link #nonceRoundTrip} fetches one nonce over the same HTTPS connection, so that the share of a sign-in that is
 * the unlock and a round trip can be read off the same run. SampleTime: every call is timed, which gives the mean
 * and the tail.
 *
 * <p>Thread safety: JMH runs each benchmark on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class CloudSignInBench {
  @SuppressWarnings("NullAway.Init")
  private CloudFixture fixture;

  @SuppressWarnings("NullAway.Init")
  private GestureSource gestures;

  @SuppressWarnings("NullAway.Init")
  private KeyContainer container;

  /**
   * Starts the service and server, joins the device, provisions the user and checks that one sign-in works.
   *
   * @throws IOException if the temporary directory fails
   * @throws NgcException if the flow fails
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, NgcException {
    fixture = CloudFixture.open();
    gestures = CloudFixture.gestures();
    container = fixture.container();
    PrimaryRefreshToken prt = fixture.ngc().signIn(CloudFixture.USER, gestures);
    try {
      if (!prt.user().equals(CloudFixture.USER) || !prt.expiresAt().isAfter(Instant.now())) {
        throw new IllegalStateException("the set-up sign-in returned an unusable PRT");
      }
    } finally {
      prt.sessionKey().close();
    }
  }

  /**
   * Stops the server and the service and deletes the temporary directory.
   *
   * @throws IOException if it cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }

  /**
   * One full sign-in through {@code Ngc4j.signIn}.
   *
   * @return the PRT (its session key handle already closed)
   * @throws NgcException if the sign-in fails, which fails the benchmark
   */
  @Benchmark
  public PrimaryRefreshToken fullSignIn() throws NgcException {
    PrimaryRefreshToken prt = fixture.ngc().signIn(CloudFixture.USER, gestures);
    prt.sessionKey().close();
    return prt;
  }

  /**
   * Unlocks the user's container with the PIN (the same lowered Argon2id parameters) and closes it.
   *
   * @return the key id
   * @throws NgcException if the unlock fails
   */
  @Benchmark
  public KeyId unlockOnly() throws NgcException {
    try (UnlockedKey key = container.unlock(gestures)) {
      return key.keyId();
    }
  }

  /**
   * Fetches one nonce from the service (M3) through the client, over the same loopback HTTPS connection.
   *
   * @return the nonce
   * @throws NgcException if the request fails
   */
  @Benchmark
  public Bytes nonceRoundTrip() throws NgcException {
    return fixture.cloud().nonce();
  }
}
