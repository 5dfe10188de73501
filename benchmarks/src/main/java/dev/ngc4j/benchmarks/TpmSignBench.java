package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.TpmSession;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Map;
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
import tss.Tpm;
import tss.tpm.CreateResponse;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMS_SIGNATURE_RSASSA;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;

/**
 * TPM signing through the provider's container against a bare TSS.Java signature on the same TPM, in the same run:
 * a real {@code swtpm} started by the trial set-up ({@link Swtpm}), one {@code provider-tpm} session on it.
 *
 * <p>{@link #containerSign}: {@link UnlockedKey#sign} of a 32-byte message with RS256 on a container opened by its
 * PIN once in the set-up, which is what an application's second and later signatures cost: the provider loads the
 * key blob under the storage root key, signs the SHA-256 digest in the TPM (authorised by the PIN-derived
 * authValue, through whatever session the provider uses) and flushes the key. {@link #bareSign}: the same work
 * with TSS.Java alone and a password session, as {@code ../shared/docs/tpm.md} measured it: TPM2_Load of a key of
 * the same template under the same storage root key, {@code h.AuthValue = auth}, TPM2_Sign with RSASSA-SHA256 of
 * the SHA-256 digest (computed in Java, as the container does), TPM2_FlushContext; under the provider's connection
 * lock, since swtpm serves one client. {@link #paired} does one of each per call, alternating the order, timing
 * each side; its ratio decides the target (container within 10% of the bare signature).
 *
 * <p>Thread safety: JMH runs one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TpmSignBench {
  private static final char[] PIN = "482915".toCharArray();
  private static final byte[] MESSAGE = "the 32-byte message to be signed".getBytes(StandardCharsets.US_ASCII);

  @SuppressWarnings("NullAway.Init")
  private Path dir;

  @SuppressWarnings("NullAway.Init")
  private Swtpm swtpm;

  @SuppressWarnings("NullAway.Init")
  private ProviderSession session;

  @SuppressWarnings("NullAway.Init")
  private UnlockedKey unlocked;

  @SuppressWarnings("NullAway.Init")
  private TpmConnection connection;

  private int srk;
  private byte[] barePrivate = new byte[0];
  private byte[] barePublic = new byte[0];
  private final byte[] bareAuth = new byte[32];

  static GestureSource pin() {
    return request -> Pin.of(PIN);
  }

  /**
   * Starts swtpm, opens the provider, creates and unlocks a container, and creates the bare key.
   *
   * @throws Exception if any of it fails
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("ngc4j-tpm-bench");
    swtpm = Swtpm.start(dir.resolve("tpm"));
    swtpm.relaxDictionaryAttack();
    TpmCredentialProvider provider = TpmCredentialProvider.builder().device(swtpm.deviceSpec()).build();
    session = provider.open(new ProviderContext(dir.resolve("data"), Clock.systemUTC(), Map.of()));
    KeyContainer container;
    try (PooledKey key = session.keySource().generate()) {
      container = session.containers().create(
          new ContainerSpec(ContainerId.of("bench"), UserPrincipal.of("alice@contoso.example"), ProtectorSpec.pin(),
              PinPolicy.defaults()), key, pin());
    }
    unlocked = container.unlock(pin());
    check(container.publicKey(), unlocked.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE));
    connection = ((TpmSession) session).connection();
    new java.security.SecureRandom().nextBytes(bareAuth);
    bareAuth[31] = 1; // the TPM strips trailing zero bytes from an authValue
    connection.call("creating the bare benchmark key", tpm -> {
      srk = storageRootKey(tpm);
      CreateResponse created = tpm.Create(TPM_HANDLE.from(srk), new TPMS_SENSITIVE_CREATE(bareAuth, new byte[0]),
          userKeyTemplate(), new byte[0], new tss.tpm.TPMS_PCR_SELECTION[0]);
      barePrivate = created.outPrivate.toBytes();
      barePublic = created.outPublic.toBytes();
      return true;
    });
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(barePublic);
    check(rsa(pub), bareSign());
  }

  /**
   * Closes the key, the provider and swtpm, and deletes the directory.
   *
   * @throws IOException if the directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    unlocked.close();
    session.close();
    swtpm.close();
    CloudFixture.deleteRecursively(dir);
  }

  /**
   * Signs through the unlocked TPM container.
   *
   * @return the signature
   * @throws NgcException if the TPM fails
   */
  @Benchmark
  public byte[] containerSign() throws NgcException {
    return unlocked.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, MESSAGE);
  }

  /**
   * Signs with TSS.Java alone: Load, Sign (password session), FlushContext.
   *
   * @return the signature
   * @throws NgcException if the TPM fails
   */
  @Benchmark
  public byte[] bareSign() throws NgcException {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(MESSAGE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    return connection.call("bare TSS.Java sign", tpm -> {
      TPM_HANDLE h = tpm.Load(TPM_HANDLE.from(srk), tss.tpm.TPM2B_PRIVATE.fromBytes(barePrivate),
          TPMT_PUBLIC.fromBytes(barePublic));
      try {
        h.AuthValue = bareAuth;
        TPMS_SIGNATURE_RSASSA sig = (TPMS_SIGNATURE_RSASSA) tpm.Sign(h, digest,
            new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), new TPMT_TK_HASHCHECK());
        return sig.sig;
      } finally {
        tpm.FlushContext(h);
      }
    });
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
    /** Nanoseconds spent signing with bare TSS.Java in this iteration. */
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
   * One container signature and one bare signature, alternating the order, each side timed.
   *
   * @param times the per-side counters
   * @param bh the sink
   * @throws NgcException if the TPM fails
   */
  @Benchmark
  public void paired(PairTimes times, Blackhole bh) throws NgcException {
    boolean containerFirst = (times.pairs++ & 1) == 0;
    long t0 = System.nanoTime();
    bh.consume(containerFirst ? containerSign() : bareSign());
    long t1 = System.nanoTime();
    bh.consume(containerFirst ? bareSign() : containerSign());
    long t2 = System.nanoTime();
    times.containerNanos += containerFirst ? t1 - t0 : t2 - t1;
    times.bareNanos += containerFirst ? t2 - t1 : t1 - t0;
  }

  /** The one transient object the provider keeps loaded between operations: its storage root key. */
  private static int storageRootKey(Tpm tpm) {
    TPML_HANDLE handles = (TPML_HANDLE) tpm.GetCapability(TPM_CAP.HANDLES, 0x80000000, 8).capabilityData;
    for (TPM_HANDLE h : handles.handle) {
      TPMT_PUBLIC pub = tpm.ReadPublic(h).outPublic;
      if (pub.objectAttributes.toInt() == STORAGE_ATTRIBUTES) {
        return h.handle;
      }
    }
    throw new IllegalStateException("the provider has no storage root key loaded");
  }

  /** fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | noDA | restricted | decrypt. */
  private static final int STORAGE_ATTRIBUTES = 0x00030472;

  /** The provider's user-key template: sign | fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth. */
  private static TPMT_PUBLIC userKeyTemplate() {
    return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM,
        TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth), new byte[0],
        new TPMS_RSA_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), new TPMS_NULL_ASYM_SCHEME(),
            2048, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  private static RSAPublicKey rsa(TPMT_PUBLIC pub) throws GeneralSecurityException {
    byte[] modulus = ((TPM2B_PUBLIC_KEY_RSA) pub.unique).buffer;
    return (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
        new java.security.spec.RSAPublicKeySpec(new java.math.BigInteger(1, modulus),
            java.math.BigInteger.valueOf(65537)));
  }

  private static void check(java.security.PublicKey key, byte[] signature) throws GeneralSecurityException {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(MESSAGE);
    if (!v.verify(signature)) {
      throw new IllegalStateException("a benchmark signature does not verify");
    }
  }
}
