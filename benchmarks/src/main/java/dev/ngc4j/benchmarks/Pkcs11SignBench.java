package dev.ngc4j.benchmarks;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_RSA_PKCS;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
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
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Signing on a SoftHSM2 token through the PKCS#11 provider's container against the JDK's SunPKCS11 on the same
 * token, in the same run ({@link Pkcs11Fixture}: a fresh token per trial, the provider logged in by an unlocked
 * container for the whole trial).
 *
 * <p>{@link #containerSign}: {@link UnlockedKey#sign} of a 32-byte message with RS256 on a container unlocked once in
 * the set-up: the provider takes a session from its pool under the login's read lock, looks up the key handle (cached
 * per login) and calls C_SignInit + C_Sign with CKM_SHA256_RSA_PKCS through ipkcs11wrapper.
 *
 * <p>{@link #rawSunPkcs11}: a {@code Signature("SHA256withRSA")} of a SunPKCS11 instance configured for the same
 * token ({@code configure}, never {@code Security.addProvider}), initialised once and reused as a careful user would
 * (update + sign per call, which SunPKCS11 turns into C_SignInit, C_SignUpdate, C_SignFinal on a session of its own
 * pool). Its key is generated on the token by SunPKCS11's KeyPairGenerator with an explicit attribute template: a
 * token object (CKA_TOKEN, so that both sides sign with the same kind of object; a throwaway check on SoftHSM2 2.6.1
 * found no measurable difference between token and session keys), private, sensitive, not extractable, sign only.
 * That needs no certificate (the KeyStore would need one to find a key, perf-baselines 6.3), and the set-up checks on
 * the token that every private key there, this one included, is a sensitive, non-extractable token object.
 *
 * <p>{@link #bareWrapper}: C_SignInit + C_Sign through ipkcs11wrapper alone, on a session of its own and the
 * container's own private key (found by its documented label {@code ngc4j:<container id>}), which separates the
 * binding's cost from the provider's; {@link #pairedBare} pairs it with {@link #containerSign} as {@link #paired}
 * does with SunPKCS11.
 *
 * <p>{@link #paired} does one container and one SunPKCS11 signature per call, alternating the order, timing each
 * side; its ratio decides the target (container within 10% of raw SunPKCS11).
 *
 * <p>Login order (perf-baselines 6.5 and 6.6: login state is per process and token, SunPKCS11 skips C_Login when the
 * token is logged in, and a C_Logout kills SunPKCS11's key handles): the provider logs in first and keeps its
 * unlocked key for the whole trial; then SunPKCS11 loads its KeyStore (no C_Login of its own) and generates its key.
 * Nothing logs out until the tear-down. The provider's pool size is 0, so no background key generation runs during
 * the measurement. The provider initialised the module and finalises it when its session closes, after which the
 * SunPKCS11 instance is dead; so each fork runs one trial (never run this with {@code -f 0}).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class Pkcs11SignBench {
  private static final byte[] MESSAGE = "the 32-byte message to be signed".getBytes(StandardCharsets.US_ASCII);
  private static final String KEY_TEMPLATES = """
      attributes(generate, CKO_PRIVATE_KEY, CKK_RSA) = {
        CKA_TOKEN = true
        CKA_PRIVATE = true
        CKA_SENSITIVE = true
        CKA_EXTRACTABLE = false
        CKA_SIGN = true
        CKA_DECRYPT = false
        CKA_UNWRAP = false
        CKA_DERIVE = false
        CKA_SIGN_RECOVER = false
      }
      attributes(generate, CKO_PUBLIC_KEY, CKK_RSA) = {
        CKA_TOKEN = true
        CKA_PRIVATE = false
        CKA_VERIFY = true
        CKA_ENCRYPT = false
        CKA_WRAP = false
        CKA_VERIFY_RECOVER = false
      }
      """;

  @SuppressWarnings("NullAway.Init")
  private Pkcs11Fixture fixture;

  @SuppressWarnings("NullAway.Init")
  private UnlockedKey unlocked;

  @SuppressWarnings("NullAway.Init")
  private Signature raw;

  @SuppressWarnings("NullAway.Init")
  private Session bare;

  private boolean bareOpen;
  private long bareKey;
  private final Mechanism rs256 = new Mechanism(CKM_SHA256_RSA_PKCS);

  /**
   * Creates the token, opens the provider and unlocks its container, then opens the wrapper's own session and the
   * SunPKCS11 instance (in that order, see the class documentation), and checks one signature of each kind.
   *
   * @throws Exception if any of it fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = Pkcs11Fixture.open();
    boolean ok = false;
    try {
      unlocked = fixture.unlocked();
      PublicKey containerKey = fixture.anchor().publicKey();
      check(containerKey, containerSign(), "the container");

      long slotId = openBare();
      check(containerKey, bareWrapper(), "bare ipkcs11wrapper");

      Provider p11 = Objects.requireNonNull(Security.getProvider("SunPKCS11"), "the JDK's SunPKCS11 provider")
          .configure("--name = ngc4j-bench\nlibrary = " + SoftHsm.LIBRARY + "\nslot = " + slotId + "\n"
              + KEY_TEMPLATES);
      char[] pin = Pkcs11Fixture.PIN.toCharArray();
      try {
        KeyStore.getInstance("PKCS11", p11).load(null, pin); // the token is logged in: SunPKCS11 skips C_Login
      } finally {
        Arrays.fill(pin, '\0');
      }
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA", p11);
      kpg.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
      KeyPair pair = kpg.generateKeyPair();
      PrivateKey sunKey = pair.getPrivate();
      if (sunKey.getEncoded() != null) {
        throw new IllegalStateException("SunPKCS11's benchmark key is extractable: " + sunKey);
      }
      raw = Signature.getInstance("SHA256withRSA", p11);
      raw.initSign(sunKey);
      check(pair.getPublic(), rawSunPkcs11(), "raw SunPKCS11");
      checkTokenKeys();
      ok = true;
    } finally {
      if (!ok) {
        tearDown();
      }
    }
  }

  /** Loads the wrapper's module object, opens a session on the fixture's token, finds the container's key. */
  private long openBare() throws IOException, TokenException {
    PKCS11Module module = PKCS11Module.getInstance(SoftHsm.LIBRARY.toString());
    try {
      module.initialize();
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw e;
      }
      // expected: the provider initialised the library in this process; never C_Finalize it from here
    }
    for (Slot slot : module.getSlotList(true)) {
      if (fixture.label().equals(slot.getToken().getTokenInfo().getLabel().trim())) {
        bare = slot.getToken().openSession(false);
        bareOpen = true;
        long[] keys = bare.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY)
            .label("ngc4j:" + Pkcs11Fixture.ANCHOR), 2);
        if (keys.length != 1) {
          throw new IllegalStateException(keys.length + " private keys carry the container's label on the token");
        }
        bareKey = keys[0];
        return slot.getSlotID();
      }
    }
    throw new IllegalStateException("the wrapper does not see token " + fixture.label());
  }

  /**
   * Every private key on the fresh token (the container's, SunPKCS11's, and whatever else the provider made) is a
   * sensitive, non-extractable token object.
   */
  private void checkTokenKeys() throws TokenException {
    long[] all = bare.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY), 64);
    long[] protectedTokenKeys = bare.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).token(true)
        .sensitive(true).extractable(false), 64);
    if (all.length < 2 || protectedTokenKeys.length != all.length) {
      throw new IllegalStateException("expected the container's and SunPKCS11's keys, every private key a sensitive"
          + " non-extractable token object; found " + all.length + " private keys, " + protectedTokenKeys.length
          + " of them such");
    }
  }

  /**
   * Closes the wrapper's session, then the fixture (logout, C_Finalize, token deleted).
   */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      if (bareOpen) {
        bareOpen = false;
        bare.closeSession();
      }
    } catch (PKCS11Exception e) {
      // the fixture's C_Finalize closes it anyway
    } finally {
      fixture.close();
    }
  }

  /**
   * Signs through the unlocked container.
   *
   * @return the signature
   * @throws NgcException if the token fails
   */
  @Benchmark
  public byte[] containerSign() throws NgcException {
    return unlocked.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
  }

  /**
   * Signs with SunPKCS11's reused {@code Signature}.
   *
   * @return the signature
   * @throws SignatureException if the token fails
   */
  @Benchmark
  public byte[] rawSunPkcs11() throws SignatureException {
    raw.update(MESSAGE);
    return raw.sign();
  }

  /**
   * Signs with ipkcs11wrapper alone: C_SignInit + C_Sign on the container's key, in the benchmark's own session.
   *
   * @return the signature
   * @throws PKCS11Exception if the token fails
   */
  @Benchmark
  public byte[] bareWrapper() throws PKCS11Exception {
    return bare.signSingle(rs256, bareKey, MESSAGE);
  }

  /**
   * Nanoseconds spent in each side of {@link #paired}, per iteration.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PairTimes {
    /** Nanoseconds spent signing through the container in this iteration. */
    public long containerNanos;
    /** Nanoseconds spent signing with raw SunPKCS11 in this iteration. */
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
   * One container signature and one raw SunPKCS11 signature, alternating the order, each side timed.
   *
   * @param times the per-side counters
   * @param bh the sink
   * @throws NgcException if the container's token call fails
   * @throws SignatureException if SunPKCS11 fails
   */
  @Benchmark
  public void paired(PairTimes times, Blackhole bh) throws NgcException, SignatureException {
    boolean containerFirst = (times.pairs++ & 1) == 0;
    long t0 = System.nanoTime();
    bh.consume(containerFirst ? containerSign() : rawSunPkcs11());
    long t1 = System.nanoTime();
    bh.consume(containerFirst ? rawSunPkcs11() : containerSign());
    long t2 = System.nanoTime();
    times.containerNanos += containerFirst ? t1 - t0 : t2 - t1;
    times.rawNanos += containerFirst ? t2 - t1 : t1 - t0;
  }

  /**
   * Nanoseconds spent in each side of {@link #pairedBare}, per iteration.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class BarePairTimes {
    /** Nanoseconds spent signing through the container in this iteration. */
    public long containerNanos;
    /** Nanoseconds spent signing with bare ipkcs11wrapper in this iteration. */
    public long bareNanos;

    private long pairs;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      containerNanos = 0;
      bareNanos = 0;
      pairs = 0;
    }
  }

  /**
   * One container signature and one bare ipkcs11wrapper signature with the same key, alternating the order, each
   * side timed: what the provider adds to the binding.
   *
   * @param times the per-side counters
   * @param bh the sink
   * @throws NgcException if the container's token call fails
   * @throws PKCS11Exception if the bare call fails
   */
  @Benchmark
  public void pairedBare(BarePairTimes times, Blackhole bh) throws NgcException, PKCS11Exception {
    boolean containerFirst = (times.pairs++ & 1) == 0;
    long t0 = System.nanoTime();
    bh.consume(containerFirst ? containerSign() : bareWrapper());
    long t1 = System.nanoTime();
    bh.consume(containerFirst ? bareWrapper() : containerSign());
    long t2 = System.nanoTime();
    times.containerNanos += containerFirst ? t1 - t0 : t2 - t1;
    times.bareNanos += containerFirst ? t2 - t1 : t1 - t0;
  }

  private static void check(PublicKey key, byte[] signature, String what) throws GeneralSecurityException {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(MESSAGE);
    if (!v.verify(signature)) {
      throw new IllegalStateException("a benchmark signature (" + what + ") does not verify");
    }
  }
}
