package dev.ngc4j.benchmarks;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.core.internal.cloud.JsonWriter;
import dev.ngc4j.core.internal.cloud.WhfbAssertion;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.ServiceRequest;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.UnlockedKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The service's side of a sign-in, without HTTP: {@link NgcService#handle} of a complete M6 PRT request, against
 * the raw cryptography the service cannot avoid for it, with the same keys: two RS256 ({@code SHA256withRSA},
 * RSA-2048) verifications (the device's outer request, the user's assertion) and one RSA-OAEP encryption (SHA-1,
 * MGF1-SHA-1, explicit {@link OAEPParameterSpec}) of a 32-byte session key for the transport key. Target: the
 * service spends at most 1.5 times the raw cryptography per sign-in.
 *
 * <h2>The requests</h2>
 *
 * <p>The device is joined and the user provisioned once per trial with the real client ({@link CloudFixture}); the
 * user's container stays unlocked for the trial. Before each iteration every benchmark thread builds
 * {@value #REQUESTS} requests, outside the measured code: a fresh nonce from the service ({@code srv_challenge},
 * through {@link NgcService#handle}), the WHfB assertion signed with the user key ({@link WhfbAssertion}, the
 * client's own code), the outer RS256 request with {@code x5c} = the device certificate and {@code kdf_ver:2}
 * signed with the provider's device key, in the form body the client sends. Then the threads wait for each other,
 * so that with two threads both measure at the same time. The measured invocation hands all {@value #REQUESTS}
 * requests to the service (SingleShotTime with {@code @OperationsPerInvocation}, so the score is the time per
 * sign-in on one thread); after the iteration every response must have been HTTP 200 with a refresh token and a
 * {@code session_key_jwe}, or the run fails. Each request is used once (its nonce is single use). Because building
 * a request costs two RSA signatures (about ten times what the service spends on it), JMH's warm-up iterations are
 * short; the trial set-up therefore first runs {@value #WARM_UP_SIGN_INS} valid sign-ins through the service, so
 * that the measured code is C2-compiled as in a long-running server.
 *
 * <p>What the service does per request: route, parse the form and both JWTs, look the device up by its
 * certificate thumbprint and the key by its {@code kid} (directory reads, served by its cache), check and consume
 * the nonce (HMAC, replay cache), verify both signatures, check the assertion's claims, generate a session key,
 * wrap it (RSA-OAEP) and seal it in a JWE (AES-GCM), seal the PRT (AES-GCM), and write the JSON response with the
 * unsigned {@code id_token}.
 *
 * <h2>Raw cryptography</h2>
 *
 * <p>{@link #rawCrypto} does exactly the two verifications and the encryption on the signing inputs and signatures
 * of one such request, with one {@link Signature} and one {@link Cipher} per thread, created once and initialised
 * with the key before each use, as the service does. {@link #paired} hands one request to the service and does the
 * raw cryptography once in each step, alternating which goes first, and adds each side's nanoseconds to its
 * counter ({@link PairTimes}); both see the same load.
 *
 * <p>Benchmarks run with two threads (the machine has two cores) and, for {@code ...SingleThread}, one. Sign-ins
 * per second on two cores = 2 / score.
 *
 * <p>Thread safety: the shared state is set up by JMH before the threads start; each thread has its own batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class ServiceSignInBench {
  /** Requests per thread and iteration. */
  static final int REQUESTS = 400;

  /**
   * Sign-ins (and rounds of raw cryptography) the trial set-up runs before the first iteration. JMH's warm-up
   * iterations alone (3 x {@value #REQUESTS} at the documented settings) leave the service's per-request methods
   * ({@code TokenEndpoint.signIn}, {@code Engine.handle}) in C1 code for the whole measurement (seen with
   * {@code -XX:+PrintCompilation}); C2 compiles a method after about 5,000 calls.
   */
  static final int WARM_UP_SIGN_INS = 6000;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final OAEPParameterSpec OAEP_SHA1 =
      new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);

  @SuppressWarnings("NullAway.Init")
  private CloudFixture fixture;

  @SuppressWarnings("NullAway.Init")
  private NgcService service;

  @SuppressWarnings("NullAway.Init")
  private UnlockedKey userKey;

  @SuppressWarnings("NullAway.Init")
  private DeviceKeys deviceKeys;

  @SuppressWarnings("NullAway.Init")
  private URI baseUri;

  @SuppressWarnings("NullAway.Init")
  private String tokenPath;

  @SuppressWarnings("NullAway.Init")
  private String kid;

  @SuppressWarnings("NullAway.Init")
  private String x5c;

  @SuppressWarnings("NullAway.Init")
  private PublicKey devicePublicKey;

  @SuppressWarnings("NullAway.Init")
  private PublicKey userPublicKey;

  @SuppressWarnings("NullAway.Init")
  private RSAPublicKey transportKey;

  /** The signed pieces of one request, for the raw cryptography. */
  @SuppressWarnings("NullAway.Init")
  private Signed sample;

  @SuppressWarnings("NullAway.Init")
  private CyclicBarrier start;

  /** One built request and the signed pieces inside it (the arrays are never changed). */
  private static final class Signed {
    final ServiceRequest request;
    final byte[] outerInput;
    final byte[] outerSignature;
    final byte[] innerInput;
    final byte[] innerSignature;

    Signed(ServiceRequest request, byte[] outerInput, byte[] outerSignature, byte[] innerInput,
        byte[] innerSignature) {
      this.request = request;
      this.outerInput = outerInput;
      this.outerSignature = outerSignature;
      this.innerInput = innerInput;
      this.innerSignature = innerSignature;
    }
  }

  /**
   * Stands the flow up, keeps the user key unlocked, checks that the service accepts one built request, and warms
   * up: {@value #WARM_UP_SIGN_INS} rounds of raw cryptography and, unless only the raw cryptography is measured,
   * {@value #WARM_UP_SIGN_INS} sign-ins.
   *
   * @param params the benchmark's parameters (for the thread count and the benchmark's name)
   * @throws IOException if the temporary directory fails
   * @throws GeneralSecurityException if the device certificate cannot be encoded
   * @throws NgcException if the flow fails
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws IOException, GeneralSecurityException, NgcException {
    fixture = CloudFixture.open();
    service = fixture.service();
    deviceKeys = fixture.deviceKeys();
    userKey = fixture.container().unlock(CloudFixture.gestures());
    userPublicKey = fixture.container().publicKey();
    kid = WhfbAssertion.kid((RSAPublicKey) userPublicKey);
    X509Certificate certificate = fixture.cloud().joinedDevice().orElseThrow().certificate();
    x5c = Base64.getEncoder().encodeToString(certificate.getEncoded());
    devicePublicKey = certificate.getPublicKey();
    transportKey = (RSAPublicKey) deviceKeys.transportKey();
    baseUri = fixture.server().uri();
    tokenPath = "/" + service.tenant(CloudFixture.TENANT).orElseThrow().id() + "/oauth2/token";
    start = new CyclicBarrier(params.getThreads());
    sample = build();
    ServiceResponse first = service.handle(build().request);
    if (!accepted(first)) {
      throw new IllegalStateException("the service refused the benchmark's sign-in request: " + first.bodyText());
    }
    Raw engines = new Raw();
    engines.create();
    for (int i = 0; i < WARM_UP_SIGN_INS; i++) {
      raw(engines);
    }
    if (!params.getBenchmark().contains(".rawCrypto")) {
      warmUpService();
    }
  }

  /**
   * Hands {@value #WARM_UP_SIGN_INS} valid sign-ins to the service before the first iteration, built and handled on
   * two threads in chunks, so that its code is compiled by C2 as in a long-running server.
   */
  private void warmUpService() throws NgcException {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      int chunk = 200;
      for (int done = 0; done < WARM_UP_SIGN_INS; done += chunk) {
        List<Future<Integer>> parts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          parts.add(pool.submit(() -> {
            ServiceRequest[] requests = new ServiceRequest[chunk / 2];
            for (int i = 0; i < requests.length; i++) {
              requests[i] = build().request;
            }
            int ok = 0;
            for (ServiceRequest r : requests) {
              ok += accepted(service.handle(r)) ? 1 : 0;
            }
            return ok;
          }));
        }
        for (Future<Integer> part : parts) {
          if (part.get() != chunk / 2) {
            throw new IllegalStateException("the service refused warm-up sign-ins");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the warm-up", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof NgcException n) {
        throw n;
      }
      throw new IllegalStateException("the warm-up failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Closes the user key and stops everything.
   *
   * @throws IOException if the temporary directory cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    userKey.close();
    fixture.close();
  }

  private static boolean accepted(@Nullable ServiceResponse response) {
    if (response == null || response.status() != 200) {
      return false;
    }
    String body = response.bodyText();
    return body.contains("\"refresh_token\"") && body.contains("\"session_key_jwe\"");
  }

  /** Builds one complete M6 request with a fresh nonce, as the client does. */
  private Signed build() throws NgcException {
    String nonce = nonce();
    WhfbAssertion.Signed inner =
        WhfbAssertion.sign(userKey, kid, CloudFixture.USER.upn(), Instant.now().getEpochSecond(), nonce);
    String assertion = inner.compact();
    byte[] innerInput = inner.signingInput().getBytes(StandardCharsets.US_ASCII);
    byte[] innerSignature = inner.signature();

    // The outer request exactly as EntraCloudClient.signIn builds it (member order included), signed with the
    // provider's device key.

    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5c", List.of(x5c));
    header.put("kdf_ver", 2);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("client_id", EntraCloudClient.BROKER_CLIENT_ID);
    payload.put("request_nonce", nonce);
    payload.put("scope", WhfbAssertion.SCOPE);
    payload.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    payload.put("assertion", assertion);
    payload.put("username", CloudFixture.USER.upn());
    String outerInput = b64url(JsonWriter.write(header)) + '.' + b64url(JsonWriter.write(payload));
    byte[] outerBytes = outerInput.getBytes(StandardCharsets.US_ASCII);
    byte[] outerSignature = deviceKeys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, outerBytes);
    String request = outerInput + '.' + Bytes.of(outerSignature).toBase64Url();

    String body = "windows_api_version=2.0&grant_type=" + form("urn:ietf:params:oauth:grant-type:jwt-bearer")
        + "&request=" + form(request) + "&client_info=1";
    ServiceRequest r = ServiceRequest.builder(baseUri, "POST", tokenPath)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body.getBytes(StandardCharsets.US_ASCII))
        .build();
    return new Signed(r, outerBytes, outerSignature, innerInput, innerSignature);
  }

  /** A fresh nonce from the service's token endpoint ({@code grant_type=srv_challenge}). */
  private String nonce() {
    ServiceResponse response = service.handle(ServiceRequest.builder(baseUri, "POST", tokenPath)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("grant_type=srv_challenge".getBytes(StandardCharsets.US_ASCII))
        .build());
    try {
      if (response.status() == 200 && JSONObjectUtils.parse(response.bodyText()).get("Nonce") instanceof String n) {
        return n;
      }
    } catch (ParseException e) {
      // falls through
    }
    throw new IllegalStateException("the service gave no nonce: HTTP " + response.status());
  }

  private static String b64url(String json) {
    return Bytes.of(json.getBytes(StandardCharsets.UTF_8)).toBase64Url();
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private void awaitStart() {
    try {
      start.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the threads lined up", e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the other benchmark thread did not line up", e);
    }
  }

  /**
   * One thread's requests for one iteration, built before it, checked after it.
   *
   * <p>Thread safety: one per benchmark thread.
   */
  @State(Scope.Thread)
  public static class Batch {
    final ServiceRequest[] requests = new ServiceRequest[REQUESTS];
    int accepted;
    int handled;
    @Nullable ServiceResponse last;

    /**
     * Builds {@value #REQUESTS} fresh requests, then waits for the other threads.
     *
     * @param bench the shared state
     * @throws NgcException if a key cannot sign
     */
    @Setup(Level.Iteration)
    public void build(ServiceSignInBench bench) throws NgcException {
      for (int i = 0; i < REQUESTS; i++) {
        requests[i] = bench.build().request;
      }
      accepted = 0;
      handled = 0;
      last = null;
      bench.awaitStart();
    }

    /** Fails the run unless every request of the iteration was accepted with a PRT. */
    @TearDown(Level.Iteration)
    public void check() {
      if (handled != REQUESTS || accepted != REQUESTS || !accepted(last)) {
        throw new IllegalStateException("the service accepted " + accepted + " of " + handled + " sign-ins ("
            + REQUESTS + " expected): " + (last == null ? "no response" : last.bodyText()));
      }
    }

    void record(ServiceResponse response) {
      handled++;
      if (response.status() == 200) {
        accepted++;
      }
      last = response;
    }
  }

  /**
   * One thread's raw cryptography engines: a {@code SHA256withRSA} {@link Signature}, an
   * {@code RSA/ECB/OAEPPadding} {@link Cipher} and a {@link SecureRandom}, each created once; and the session key.
   *
   * <p>Thread safety: one per benchmark thread.
   */
  @State(Scope.Thread)
  public static class Raw {
    @SuppressWarnings("NullAway.Init")
    Signature verifier;

    @SuppressWarnings("NullAway.Init")
    Cipher oaep;

    @SuppressWarnings("NullAway.Init")
    SecureRandom random;

    final byte[] sessionKey = new byte[32];

    /**
     * Creates the engines.
     *
     * @throws GeneralSecurityException if the JDK lacks one
     */
    @Setup(Level.Trial)
    public void create() throws GeneralSecurityException {
      verifier = Signature.getInstance("SHA256withRSA");
      oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      random = new SecureRandom();
      random.nextBytes(sessionKey);
    }

    /**
     * Lines the threads up before each iteration, as {@link Batch} does.
     *
     * @param bench the shared state
     */
    @Setup(Level.Iteration)
    public void line(ServiceSignInBench bench) {
      bench.awaitStart();
    }
  }

  /**
   * Nanoseconds spent in each side of {@link #paired}, per iteration (JMH reports them as secondary results, summed
   * over the threads).
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class PairTimes {
    /** Nanoseconds spent in {@code NgcService.handle} in this iteration. */
    public long serviceNanos;
    /** Nanoseconds spent in the raw cryptography in this iteration. */
    public long rawNanos;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      serviceNanos = 0;
      rawNanos = 0;
    }
  }

  /**
   * Bytes allocated by the measured loop of {@link #service}, {@link #rawCrypto} and their single-thread variants,
   * per iteration (JMH reports them as secondary results, summed over the threads), and the number of sign-ins they
   * cover. Read from the thread's allocation counter before and after the loop.
   *
   * <p>Thread safety: one instance per benchmark thread.
   */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Allocation {
    /** Bytes allocated by this thread's measured loop in this iteration. */
    public long allocatedBytes;
    /** Sign-ins (or rounds of raw cryptography) in this iteration. */
    public long signIns;

    /** Starts every iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      allocatedBytes = 0;
      signIns = 0;
    }
  }

  private void serve(Batch batch, Allocation allocation, Blackhole bh) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (ServiceRequest r : batch.requests) {
      ServiceResponse response = service.handle(r);
      batch.record(response);
      bh.consume(response);
    }
    allocation.allocatedBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
    allocation.signIns += REQUESTS;
  }

  private void rawRounds(Raw raw, Allocation allocation, Blackhole bh) throws GeneralSecurityException {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < REQUESTS; i++) {
      bh.consume(raw(raw));
    }
    allocation.allocatedBytes += THREADS.getCurrentThreadAllocatedBytes() - before;
    allocation.signIns += REQUESTS;
  }

  /** Two RS256 verifications and one RSA-OAEP encryption of the session key; fails if a signature is invalid. */
  private byte[] raw(Raw raw) throws GeneralSecurityException {
    Signature v = raw.verifier;
    v.initVerify(devicePublicKey);
    v.update(sample.outerInput);
    boolean outer = v.verify(sample.outerSignature);
    v.initVerify(userPublicKey);
    v.update(sample.innerInput);
    boolean inner = v.verify(sample.innerSignature);
    if (!outer || !inner) {
      throw new IllegalStateException("a sample signature does not verify");
    }
    raw.oaep.init(Cipher.ENCRYPT_MODE, transportKey, OAEP_SHA1, raw.random);
    return raw.oaep.doFinal(raw.sessionKey);
  }

  /**
   * The service handles {@value #REQUESTS} sign-in requests, on each of two threads.
   *
   * @param batch this thread's requests
   * @param allocation the allocation counters
   * @param bh the sink
   */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(REQUESTS)
  public void service(Batch batch, Allocation allocation, Blackhole bh) {
    serve(batch, allocation, bh);
  }

  /**
   * The raw cryptography of {@value #REQUESTS} sign-ins, on each of two threads.
   *
   * @param raw this thread's engines
   * @param allocation the allocation counters
   * @param bh the sink
   * @throws GeneralSecurityException if the JDK fails
   */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(REQUESTS)
  public void rawCrypto(Raw raw, Allocation allocation, Blackhole bh) throws GeneralSecurityException {
    rawRounds(raw, allocation, bh);
  }

  /**
   * {@link #service} on one thread.
   *
   * @param batch the requests
   * @param allocation the allocation counters
   * @param bh the sink
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(REQUESTS)
  public void serviceSingleThread(Batch batch, Allocation allocation, Blackhole bh) {
    serve(batch, allocation, bh);
  }

  /**
   * {@link #rawCrypto} on one thread.
   *
   * @param raw the engines
   * @param allocation the allocation counters
   * @param bh the sink
   * @throws GeneralSecurityException if the JDK fails
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(REQUESTS)
  public void rawCryptoSingleThread(Raw raw, Allocation allocation, Blackhole bh) throws GeneralSecurityException {
    rawRounds(raw, allocation, bh);
  }

  /**
   * One request to the service and one round of raw cryptography per step, alternating the order, each side timed
   * into {@link PairTimes}; on each of two threads. The score is the time of both sides together.
   *
   * @param batch this thread's requests
   * @param raw this thread's engines
   * @param times the per-side counters
   * @param bh the sink
   * @throws GeneralSecurityException if the JDK fails
   */
  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(REQUESTS)
  public void paired(Batch batch, Raw raw, PairTimes times, Blackhole bh) throws GeneralSecurityException {
    pairs(batch, raw, times, bh);
  }

  /**
   * {@link #paired} on one thread.
   *
   * @param batch the requests
   * @param raw the engines
   * @param times the per-side counters
   * @param bh the sink
   * @throws GeneralSecurityException if the JDK fails
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(REQUESTS)
  public void pairedSingleThread(Batch batch, Raw raw, PairTimes times, Blackhole bh)
      throws GeneralSecurityException {
    pairs(batch, raw, times, bh);
  }

  private void pairs(Batch batch, Raw raw, PairTimes times, Blackhole bh) throws GeneralSecurityException {
    for (int i = 0; i < REQUESTS; i++) {
      ServiceRequest r = batch.requests[i];
      if ((i & 1) == 0) {
        long t0 = System.nanoTime();
        ServiceResponse response = service.handle(r);
        long t1 = System.nanoTime();
        bh.consume(raw(raw));
        long t2 = System.nanoTime();
        times.serviceNanos += t1 - t0;
        times.rawNanos += t2 - t1;
        batch.record(response);
        bh.consume(response);
      } else {
        long t0 = System.nanoTime();
        bh.consume(raw(raw));
        long t1 = System.nanoTime();
        ServiceResponse response = service.handle(r);
        long t2 = System.nanoTime();
        times.rawNanos += t1 - t0;
        times.serviceNanos += t2 - t1;
        batch.record(response);
        bh.consume(response);
      }
    }
  }
}
