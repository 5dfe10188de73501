package dev.ngc4j.benchmarks;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.PooledKey;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * The TPM attestation round trip, on a real {@code swtpm} and the real service over loopback HTTPS with the real
 * client, one swtpm and one service per trial ({@link TpmCloudFixture}: attestation optional, so the unattested baseline is
 * accepted too; the device joined with the TPM's device keys; the attestation key enrolled once).
 *
 * <p>{@link #akEnrollment}: the attestation key (AK) enrolment round trip, {@code Attestor.keyEnrollment()} +
 * {@code EntraCloudClient.enrollAttestationKey} + installing the chain: the EK certificate read from NV and the EK
 * and AK public areas read, a challenge request signed with the TPM device key (the service checks the EK
 * certificate chain and makes the credential for the AK's name under the EK), TPM2_ActivateCredential (policy
 * session for the EK, AK loaded and flushed), a certificate request signed with the device key (the service checks
 * the secret and issues the AIK certificate), the chain checked against the AK and written. {@code keyEnrollment()}
 * hands out the same enrolment every time and the AK is made only when the device has none for its storage root
 * key ({@code AttestationKeyStore.current}), so every invocation re-certifies the same AK: its TPM2_Create ran in
 * the trial's set-up (the fixture's first enrolment), not in the measurement.
 *
 * <p>{@link #attestedRegistration}: a key registration as a user's provisioning does it with attestation, with a
 * pool key generated before the invocation (TPM2_Create's long tail is not measured; {@link TpmPoolBench} measures
 * it): registration nonce from the service, container created with SHA-256 of the nonce as the attestation
 * challenge (TPM2_ObjectChangeAuth to the PIN-derived authValue and TPM2_Certify of the new key by the AK, both in
 * the provider's salted session, and the container's files written), the statement from the attestor, and the key
 * registered with it (the service uses the nonce up and verifies the key's TPMT_PUBLIC, the TPMS_ATTEST with the
 * nonce's digest and the key's name, the AIK chain to its AIK CA and the AK's signature).
 * {@link #plainRegistration}, the baseline: the same container creation without a challenge and the key
 * registered without a statement. The ratio of the two is what attestation adds to provisioning. {@link #paired}
 * does one of each per invocation, alternating the order, timing each into {@code attestedNanos} /
 * {@code plainNanos}, so that the ratio is not skewed by load that changes between trials (two pool keys are
 * generated before each invocation).
 *
 * <p>Every registration is checked after its invocation (not measured) on the service's side: the user's only key
 * must be the one registered, recorded as {@code verified:tpm...} for the attested path and {@code none} for the
 * baseline, else the trial fails; the trial's set-up does one of each first. The key is then withdrawn and the
 * container deleted, so every invocation starts from the same empty directory. SingleShotTime: every invocation is
 * one round trip (two for {@link #paired}).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TpmAttestationBench {
  @SuppressWarnings("NullAway.Init")
  private TpmCloudFixture fixture;

  /**
   * Stands the flow up (see {@link TpmCloudFixture#open()}) and does one attested and one plain registration,
   * checked on the service's side.
   *
   * @throws Exception if any of it fails, or a registration is not recorded as expected
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = TpmCloudFixture.open();
    try {
      sanityCheck(true);
      sanityCheck(false);
    } catch (NgcException | RuntimeException e) {
      // JMH does not tear down a trial whose set-up failed.
      try {
        fixture.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void sanityCheck(boolean attested) throws NgcException {
    Slot slot = new Slot(fixture);
    try {
      slot.register(attested);
    } finally {
      slot.cleanUp();
    }
  }

  /**
   * Stops the service, the server and swtpm, and deletes the directory.
   *
   * @throws IOException if the directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    fixture.close();
  }

  /**
   * One registration: its pool key, container id and token, made before the invocation, and its check, withdrawal
   * and clean-up after it. Not a JMH state; {@link Registration} and {@link Pair} hold one or two.
   */
  private static final class Slot {
    private final TpmCloudFixture fixture;
    private final AccessToken token;
    private final ContainerId id;
    private @Nullable PooledKey key;
    private @Nullable KeyId registered;
    private boolean attested;

    /** Gets the token, picks the container id and generates the pool key (TPM2_Create). */
    Slot(TpmCloudFixture fixture) throws NgcException {
      this.fixture = fixture;
      this.token = fixture.token();
      this.id = fixture.nextContainer();
      this.key = fixture.session().keySource().generate();
    }

    /** The measured part: one registration with the prepared pool key. */
    KeyId register(boolean withAttestation) throws NgcException {
      PooledKey k = Objects.requireNonNull(key, "the pool key was used");
      attested = withAttestation;
      try {
        KeyId keyId = withAttestation
            ? fixture.registerAttested(id, k, token)
            : fixture.registerPlain(id, k, token);
        registered = keyId;
        return keyId;
      } finally {
        k.close();
        key = null;
      }
    }

    /** Checks the registration on the service's side (when there was one) and withdraws it. */
    void checkAndWithdraw() throws NgcException {
      KeyId keyId = registered;
      if (keyId == null) {
        return;
      }
      registered = null;
      try {
        fixture.checkRegistered(keyId, attested);
      } finally {
        fixture.cleanUp(null, keyId);
      }
    }

    /** Checks and withdraws the registration, closes an unused pool key and deletes the container. */
    void cleanUp() throws NgcException {
      PooledKey left = key;
      if (left != null) {
        left.close();
        key = null;
      }
      try {
        checkAndWithdraw();
      } finally {
        fixture.cleanUp(id, null);
      }
    }
  }

  /**
   * The inputs of one registration per invocation.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @State(Scope.Thread)
  public static class Registration {
    private @Nullable Slot slot;

    /**
     * Generates the pool key the invocation binds (TPM2_Create), picks the container id and gets the MFA token
     * (not measured).
     *
     * @param bench the trial's fixture holder
     * @throws NgcException if the TPM or the identity source fails
     */
    @Setup(Level.Invocation)
    public void prepare(TpmAttestationBench bench) throws NgcException {
      slot = new Slot(bench.fixture);
    }

    /**
     * Checks the registration on the service's side, withdraws it and deletes the container (not measured).
     *
     * @throws NgcException if the service or the TPM fails
     * @throws IllegalStateException if the service did not record the key as the benchmark claims
     */
    @TearDown(Level.Invocation)
    public void cleanUp() throws NgcException {
      Slot s = slot;
      slot = null;
      if (s != null) {
        s.cleanUp();
      }
    }

    KeyId register(boolean withAttestation) throws NgcException {
      return Objects.requireNonNull(slot, "not prepared").register(withAttestation);
    }
  }

  /**
   * The inputs of one attested and one plain registration per invocation, for {@link #paired}.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @State(Scope.Thread)
  public static class Pair {
    private @Nullable Slot attested;
    private @Nullable Slot plain;
    private long pairs;

    /**
     * Generates the two pool keys (not measured).
     *
     * @param bench the trial's fixture holder
     * @throws NgcException if the TPM or the identity source fails
     */
    @Setup(Level.Invocation)
    public void prepare(TpmAttestationBench bench) throws NgcException {
      attested = new Slot(bench.fixture);
      plain = new Slot(bench.fixture);
    }

    /**
     * Checks and withdraws what is still registered and deletes both containers (not measured).
     *
     * @throws NgcException if the service or the TPM fails
     * @throws IllegalStateException if the service did not record a key as the benchmark claims
     */
    @TearDown(Level.Invocation)
    public void cleanUp() throws NgcException {
      Slot a = attested;
      Slot p = plain;
      attested = null;
      plain = null;
      try {
        if (a != null) {
          a.cleanUp();
        }
      } finally {
        if (p != null) {
          p.cleanUp();
        }
      }
    }
  }

  /**
   * Nanoseconds spent in each registration of {@link #paired}, per iteration.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PairTimes {
    /** Nanoseconds spent in attested registrations in this iteration. */
    public long attestedNanos;
    /** Nanoseconds spent in plain registrations in this iteration. */
    public long plainNanos;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      attestedNanos = 0;
      plainNanos = 0;
    }
  }

  /**
   * Enrols the (already made) attestation key again: EK checks, credential activation, AIK certificate, chain
   * installed.
   *
   * @return the chain
   * @throws NgcException if the service or the TPM refuses
   */
  @Benchmark
  public List<X509Certificate> akEnrollment() throws NgcException {
    return fixture.enrollAttestationKey();
  }

  /**
   * Registration nonce, container created with TPM2_Certify, statement, registration verified by the service.
   *
   * @param registration the invocation's pool key and container id
   * @return the registered key
   * @throws NgcException if any step fails
   */
  @Benchmark
  public KeyId attestedRegistration(Registration registration) throws NgcException {
    return registration.register(true);
  }

  /**
   * The baseline: container created without a challenge, key registered without a statement.
   *
   * @param registration the invocation's pool key and container id
   * @return the registered key
   * @throws NgcException if any step fails
   */
  @Benchmark
  public KeyId plainRegistration(Registration registration) throws NgcException {
    return registration.register(false);
  }

  /**
   * One attested and one plain registration, alternating the order, each timed; between them (not timed) the first
   * is checked on the service's side and withdrawn, so that both start from the same empty directory.
   *
   * @param pair the invocation's two pool keys and container ids
   * @param times the per-side counters
   * @param bh the sink
   * @throws NgcException if any step fails
   */
  @Benchmark
  public void paired(Pair pair, PairTimes times, Blackhole bh) throws NgcException {
    boolean attestedFirst = (pair.pairs++ & 1) == 0;
    Slot attested = Objects.requireNonNull(pair.attested, "not prepared");
    Slot plain = Objects.requireNonNull(pair.plain, "not prepared");
    Slot first = attestedFirst ? attested : plain;
    Slot second = attestedFirst ? plain : attested;
    long t0 = System.nanoTime();
    bh.consume(first.register(attestedFirst));
    long t1 = System.nanoTime();
    first.checkAndWithdraw();
    long t2 = System.nanoTime();
    bh.consume(second.register(!attestedFirst));
    long t3 = System.nanoTime();
    times.attestedNanos += attestedFirst ? t1 - t0 : t3 - t2;
    times.plainNanos += attestedFirst ? t3 - t2 : t1 - t0;
  }
}
