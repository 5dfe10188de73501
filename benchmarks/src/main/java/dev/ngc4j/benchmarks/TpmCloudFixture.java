package dev.ngc4j.benchmarks;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.examples.TestIdentityTokens;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.server.AttestationPolicy;
import dev.ngc4j.server.KeyInfo;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The TPM cloud flow stood up once, as {@code TpmCloudEndToEndTest} does it, but with the provider opened at the
 * SPI level: a real {@code swtpm} ({@link Swtpm}, its EK certificate from a local CA standing in for the TPM maker,
 * dictionary-attack parameters relaxed), the real service ({@link NgcService} with {@link TpmTrust} for that CA
 * and attestation {@link AttestationPolicy#OPTIONAL OPTIONAL}, so that the unattested baseline is accepted too)
 * behind the real {@link NgcServer} on loopback HTTPS, one tenant and one user, the real client
 * ({@link EntraCloudClient}), the TPM provider's session, the device joined with the TPM's device keys, an MFA
 * access token that proves the device, and the attestation key enrolled once (which makes the AK in the TPM).
 * Everything lives in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>The registration steps mirror {@code Ngc4j.provision}: an attested one gets a registration nonce, creates the
 * container with SHA-256 of the nonce's UTF-8 bytes as the attestation challenge (TPM2_Certify by the AK while
 * the PIN is at hand), takes the statement from the attestor and registers the key with it; a plain one creates
 * the container without a challenge and registers the key without a statement.
 *
 * <p>Thread safety: set up, used and closed by one thread.
 */
final class TpmCloudFixture implements AutoCloseable {
  static final String TENANT = "tpm-bench.example";
  static final UserPrincipal USER = UserPrincipal.of("alice@" + TENANT);
  /** The prefix of {@link KeyInfo#attestation()} for a key whose TPM statement the service verified. */
  static final String VERIFIED_TPM = "verified:tpm";
  /** {@link KeyInfo#attestation()} of a key registered without a statement. */
  static final String UNATTESTED = "none";

  private static final char[] PASSWORD = "bench-pa55-word-tpm".toCharArray();
  private static final char[] MFA = {'2', '4', '6', '8', '1', '3'};
  /** An access token is fetched again when it has less than this left (the benchmarks never wait for one). */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);

  private final Path directory;
  private final Swtpm swtpm;
  private final NgcService service;
  private final NgcServer server;
  private final EntraCloudClient cloud;
  private final TestIdentityTokens identity;
  private final ProviderSession session;
  private final DeviceKeys deviceKeys;
  private final Attestor attestor;
  private final AttestationKeyEnrollment enrollment;
  private AccessToken token;
  private int next;

  private TpmCloudFixture(Path directory, Swtpm swtpm, NgcService service, NgcServer server, EntraCloudClient cloud,
      TestIdentityTokens identity, ProviderSession session, DeviceKeys deviceKeys, AccessToken token) {
    this.directory = directory;
    this.swtpm = swtpm;
    this.service = service;
    this.server = server;
    this.cloud = cloud;
    this.identity = identity;
    this.session = session;
    this.deviceKeys = deviceKeys;
    this.attestor = session.attestor().orElseThrow(() -> new IllegalStateException("the TPM provider has no attestor"));
    this.enrollment = attestor.keyEnrollment().orElseThrow(
        () -> new IllegalStateException("the TPM provider's attestor has no attestation key enrolment"));
    this.token = token;
  }

  /**
   * Starts swtpm, the service and the server, creates the tenant and the user, opens the TPM provider, joins the
   * device, gets the MFA token, enrols the attestation key (making it in the TPM) and checks that the service
   * issued its certificate.
   *
   * @return the fixture
   * @throws IOException if swtpm or the temporary directory fails
   * @throws NgcException if any step of the flow fails
   */
  static TpmCloudFixture open() throws IOException, NgcException {
    Path dir = Files.createTempDirectory("ngc4j-bench-tpm-cloud-");
    Swtpm swtpm = null;
    NgcService service = null;
    NgcServer server = null;
    ProviderSession session = null;
    try {
      swtpm = Swtpm.start(dir.resolve("tpm"));
      swtpm.relaxDictionaryAttack();
      service = NgcService.builder()
          .dataDirectory(dir.resolve("service"))
          .testIdentitySource(true)
          .attestationPolicy(AttestationPolicy.OPTIONAL)
          .tpmTrust(TpmTrust.builder()
              .ekRoots(List.of(swtpm.ekRootCertificate()))
              .ekIntermediates(List.of(swtpm.ekIssuerCertificate()))
              .build())
          .build();
      server = NgcServer.builder().service(service).https(true).start();
      service.createTenant(TENANT, "TPM benchmarks");
      service.createUser(TENANT, USER.upn(), "Alice", PASSWORD.clone(), MFA.clone());
      EntraCloudClient cloud = EntraCloudClient.builder()
          .tenant(TENANT)
          .baseUri(server.uri())
          .sslContext(server.clientSslContext())
          .stateDirectory(dir.resolve("device").resolve("cloud"))
          .build();
      TestIdentityTokens identity = new TestIdentityTokens(server.uri(), TENANT, server.clientSslContext());
      identity.add(USER, PASSWORD, MFA);
      session = TpmCredentialProvider.builder().device(swtpm.deviceSpec()).build()
          .open(new ProviderContext(dir.resolve("device").resolve("provider"), Clock.systemUTC(), Map.of()));
      DeviceKeys keys = session.deviceKeys().orElseThrow(
          () -> new IllegalStateException("the TPM provider has no device keys"));
      cloud.joinDevice(keys, identity.passwordOnly(USER));
      identity.proveDevice(() -> cloud.deviceCredential(keys));
      TpmCloudFixture fixture =
          new TpmCloudFixture(dir, swtpm, service, server, cloud, identity, session, keys, identity.token(USER));
      List<X509Certificate> chain = fixture.enrollAttestationKey();
      X509Certificate ca = service.aikCaCertificate().orElseThrow(
          () -> new IllegalStateException("the service has TPM trust but no AIK CA"));
      if (!fixture.enrollment.certificateChain().orElse(List.of()).equals(chain)
          || !chain.get(chain.size() - 1).equals(ca)) {
        throw new IllegalStateException("the attestation key's chain was not installed, or is not the service's");
      }
      return fixture;
    } catch (IOException | NgcException | RuntimeException e) {
      if (session != null) {
        session.close();
      }
      if (server != null) {
        server.close();
      }
      if (service != null) {
        service.close();
      }
      if (swtpm != null) {
        swtpm.close();
      }
      CloudFixture.deleteRecursively(dir);
      throw e;
    }
  }

  ProviderSession session() {
    return session;
  }

  /**
   * The AK enrolment round trip: the service checks the EK certificate chain and makes a credential for the AK
   * (TPM2_MakeCredential's work, in Java), the TPM recovers it (TPM2_ActivateCredential), the service issues the
   * AIK certificate, and the chain is installed. Both requests are signed with the TPM's device key.
   *
   * @return the installed chain, AK certificate first
   * @throws NgcException if the service or the TPM refuses
   */
  List<X509Certificate> enrollAttestationKey() throws NgcException {
    List<X509Certificate> chain = cloud.enrollAttestationKey(enrollment, deviceKeys);
    enrollment.installCertificateChain(chain);
    return chain;
  }

  /**
   * Returns the user's MFA access token, fetched again when it is about to expire.
   *
   * @return the token
   * @throws NgcException if the identity source refuses
   */
  AccessToken token() throws NgcException {
    if (!token.expiresAt().isAfter(Instant.now().plus(TOKEN_MARGIN))) {
      token = identity.token(USER);
    }
    return token;
  }

  /**
   * A new container id, for a container {@link #cleanUp} deletes.
   *
   * @return the id
   */
  ContainerId nextContainer() {
    return ContainerId.of("bench-" + next++);
  }

  /**
   * An attested registration as {@code Ngc4j.provision} does it: registration nonce (HTTPS), container created with
   * the nonce's digest as the attestation challenge (TPM2_Certify), the statement from the attestor, and the key
   * registered with it (the service verifies the statement against the AIK CA and the nonce).
   *
   * @param id the container to create
   * @param key the pool key to bind
   * @param accessToken the user's MFA token
   * @return the registered key
   * @throws NgcException if any step fails
   */
  KeyId registerAttested(ContainerId id, PooledKey key, AccessToken accessToken) throws NgcException {
    String nonce = cloud.attestationNonce();
    Bytes challenge = qualifyingData(nonce);
    KeyContainer container = session.containers().create(
        new ContainerSpec(id, USER, ProtectorSpec.pin(), PinPolicy.defaults(), Optional.of(challenge)), key,
        TpmSignBench.pin());
    AttestationStatement statement = attestor.attest(container, challenge);
    KeyId keyId = container.keyId();
    cloud.registerKey(new KeyRegistration(
        USER, keyId, container.publicKey(), Optional.of(statement), accessToken, Optional.of(nonce)));
    return keyId;
  }

  /**
   * The baseline: the same container creation without an attestation challenge, and the key registered without a
   * statement.
   *
   * @param id the container to create
   * @param key the pool key to bind
   * @param accessToken the user's MFA token
   * @return the registered key
   * @throws NgcException if any step fails
   */
  KeyId registerPlain(ContainerId id, PooledKey key, AccessToken accessToken) throws NgcException {
    KeyContainer container = session.containers().create(
        new ContainerSpec(id, USER, ProtectorSpec.pin(), PinPolicy.defaults()), key, TpmSignBench.pin());
    KeyId keyId = container.keyId();
    cloud.registerKey(new KeyRegistration(USER, keyId, container.publicKey(), accessToken));
    return keyId;
  }

  /**
   * Checks on the service's side that the key is the user's only registered key and was recorded with the expected
   * attestation outcome, so that a benchmark cannot measure another path than it claims to.
   *
   * @param keyId the key just registered
   * @param attested whether its statement must have verified ({@value #VERIFIED_TPM}...) or it must be unattested
   * @throws NgcException if the directory cannot be read
   * @throws IllegalStateException if the key is missing or its outcome is not the expected one
   */
  void checkRegistered(KeyId keyId, boolean attested) throws NgcException {
    List<KeyInfo> keys = service.keysOfUser(USER.upn());
    if (keys.size() != 1 || !keys.get(0).keyId().equals(keyId.toBase64Url())) {
      throw new IllegalStateException("the service should hold exactly key " + keyId + " for " + USER + ", not "
          + keys);
    }
    String outcome = keys.get(0).attestation();
    boolean ok = attested ? outcome.startsWith(VERIFIED_TPM) : outcome.equals(UNATTESTED);
    if (!ok) {
      throw new IllegalStateException("key " + keyId + " was registered with attestation '" + outcome + "', not "
          + (attested ? VERIFIED_TPM + "..." : UNATTESTED) + ": the benchmark does not measure the path it names");
    }
  }

  /**
   * Withdraws a registered key (when there is one) and deletes its container (when it was created).
   *
   * @param id the container, or null
   * @param keyId the registered key, or null
   * @throws NgcException if the service or the provider fails
   */
  void cleanUp(@Nullable ContainerId id, @Nullable KeyId keyId) throws NgcException {
    if (keyId != null) {
      cloud.unregisterKey(USER, keyId, token());
    }
    if (id != null) {
      session.containers().delete(id);
    }
  }

  /** SHA-256 of the nonce's UTF-8 bytes, the qualifying data {@code Ngc4j.provision} certifies the key with. */
  static Bytes qualifyingData(String nonce) {
    try {
      return Bytes.of(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      session.close();
      server.close();
      service.close();
      swtpm.close();
    } finally {
      CloudFixture.deleteRecursively(directory);
    }
  }
}
