package dev.ngc4j.server;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.server.internal.crypto.MasterKey;
import dev.ngc4j.server.internal.crypto.PasswordHasher;
import dev.ngc4j.server.internal.protocol.Engine;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.internal.store.JdbcDirectoryStore;
import dev.ngc4j.server.internal.store.StoreException;
import dev.ngc4j.server.internal.util.Guids;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The ngc4j service as a library: the Entra ID wire protocol (device join, WHfB key registration, nonces, PRT
 * issuance and renewal, the PRT cookie and authorization code, a test identity source) on the service's own
 * directory, without HTTP. {@link NgcServer} is a thin HTTP(S) adapter around it; tests and benchmarks can call
 * {@link #handle} directly.
 *
 * <p>Endpoints, tokens and error bodies follow {@code docs/cloud-service.md}. Every refused request leaves the
 * directory unchanged. Nonces and the replay cache live in memory (a restart invalidates outstanding nonces);
 * PRTs are stateless (sealed under a key kept in the directory, encrypted by the master key file
 * {@code <dataDir>/master.key}), so the sign-in path writes nothing to the database.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (NgcService service = NgcService.builder().dataDirectory(Path.of("data")).testIdentitySource(true).build()) {
 *   TenantInfo tenant = service.createTenant("contoso.example", "Contoso");
 *   service.createUser("contoso.example", "alice@contoso.example", "Alice", password, mfaCode);
 *   ServiceResponse response = service.handle(request);
 * }
 * }</pre>
 *
 * <p>Administrative methods change the directory through this object; the service caches only data that cannot
 * go stale (tenants, and parsed keys checked against the stored bytes), so the directory stays the single
 * source of truth.
 *
 * <p>Thread safety: safe for concurrent use; {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class NgcService implements AutoCloseable {
  private static final Pattern DOMAIN = Pattern.compile("(?=.{3,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
  private static final Pattern UPN_LOCAL = Pattern.compile("[a-z0-9._%+'-]{1,64}");
  private static final String ADMIN = "admin";

  private final Engine engine;

  private NgcService(Engine engine) {
    this.engine = engine;
  }

  /**
   * Starts building a service.
   *
   * @return a builder with the documented defaults
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- request level ----------------------------------------------------------------------------------------

  /**
   * Handles any request, routing it by path to the endpoint it names (404 if none).
   *
   * @param request the request
   * @return the response; never null, never an exception (failures are error bodies)
   * @since 0.1.0
   */
  public ServiceResponse handle(ServiceRequest request) {
    return engine.handle(Objects.requireNonNull(request, "request"));
  }

  /**
   * M0: {@code GET /{tenant}/Discover}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse discover(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.DISCOVERY);
  }

  /**
   * M2: {@code POST /EnrollmentServer/device/}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse join(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.JOIN);
  }

  /**
   * M5: {@code POST /EnrollmentServer/key/}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse registerKey(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.KEY_REGISTRATION);
  }

  /**
   * Key withdrawal: {@code DELETE /EnrollmentServer/key/{keyId}}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse withdrawKey(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.KEY_WITHDRAWAL);
  }

  /**
   * DRS nonce: {@code GET /EnrollmentServer/nonce/{tenant}/}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse drsNonce(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.DRS_NONCE);
  }

  /**
   * The token endpoint {@code POST /{tenant}/oauth2/token}: M3 nonces, M6 PRT issuance, M8 renewal, the
   * authorization-code grant and the test identity source's password grant.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse token(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.TOKEN);
  }

  /**
   * M10: {@code GET /{tenant}/oauth2/authorize} with a PRT cookie.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse authorize(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.AUTHORIZE);
  }

  /**
   * The access-token signing keys: {@code GET /{tenant}/discovery/keys}.
   *
   * @param request the request
   * @return the response
   * @since 0.1.0
   */
  public ServiceResponse signingKeys(ServiceRequest request) {
    return engine.handle(request, Engine.Endpoint.JWKS);
  }

  // ---- administration ---------------------------------------------------------------------------------------

  /**
   * Creates a tenant.
   *
   * @param domain its default DNS domain (the UPN suffix of its users), case-insensitive
   * @param displayName its display name
   * @return the tenant
   * @throws IllegalArgumentException if the domain is not a DNS name or already exists
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public TenantInfo createTenant(String domain, String displayName) throws NgcException {
    String d = Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(displayName, "displayName");
    if (!DOMAIN.matcher(d).matches() || d.equals("common")) {
      throw new IllegalArgumentException("not a DNS domain name: " + domain);
    }
    Tenant tenant = new Tenant(UUID.randomUUID(), d, displayName, engine.clock().instant());
    try {
      engine.store().createTenant(tenant);
    } catch (StoreException e) {
      if (e.conflict()) {
        throw new IllegalArgumentException("a tenant with the domain " + d + " exists", e);
      }
      throw storage(e);
    }
    return info(tenant);
  }

  /**
   * Creates a user. The password and MFA code are hashed with Argon2id (random salt) for the test identity
   * source; the caller's arrays are overwritten with zeros before this method returns, whatever the outcome.
   *
   * @param tenant the tenant id or domain
   * @param upn the user principal name; its domain must be the tenant's domain
   * @param displayName the display name
   * @param password the password, or null for a user that cannot sign in with one
   * @param mfaCode the static MFA code of the test identity source, or null
   * @return the user
   * @throws IllegalArgumentException if the tenant does not exist, the UPN is malformed, in another domain or
   *     already exists
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public UserInfo createUser(
      String tenant, String upn, String displayName, char @Nullable [] password, char @Nullable [] mfaCode)
      throws NgcException {
    try {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(upn, "upn");
      Objects.requireNonNull(displayName, "displayName");
      Tenant t = tenantRecord(tenant).orElseThrow(() -> new IllegalArgumentException("no such tenant: " + tenant));
      String u = upn.toLowerCase(Locale.ROOT);
      int at = u.indexOf('@');
      if (at <= 0 || !UPN_LOCAL.matcher(u.substring(0, at)).matches() || !u.substring(at + 1).equals(t.domain())) {
        throw new IllegalArgumentException("the UPN must be local@" + t.domain() + ": " + upn);
      }
      String passwordHash = password == null ? null : PasswordHasher.hash(password);
      String mfaHash = mfaCode == null ? null : PasswordHasher.hash(mfaCode);
      User user = new User(UUID.randomUUID(), t.id(), u, displayName, true, Optional.ofNullable(passwordHash),
          Optional.ofNullable(mfaHash), engine.clock().instant());
      try {
        engine.store().createUser(user);
      } catch (StoreException e) {
        if (e.conflict()) {
          throw new IllegalArgumentException("a user " + u + " exists", e);
        }
        throw storage(e);
      }
      return info(user);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
      if (mfaCode != null) {
        Arrays.fill(mfaCode, '\0');
      }
    }
  }

  /**
   * Finds a tenant.
   *
   * @param tenant the tenant id or domain
   * @return the tenant, if it exists
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public Optional<TenantInfo> tenant(String tenant) throws NgcException {
    return tenantRecord(Objects.requireNonNull(tenant, "tenant")).map(NgcService::info);
  }

  /**
   * Finds a user.
   *
   * @param upn the user principal name, any case
   * @return the user, if it exists
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public Optional<UserInfo> user(String upn) throws NgcException {
    try {
      return engine.store().userByUpn(Objects.requireNonNull(upn, "upn")).map(NgcService::info);
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Finds a device.
   *
   * @param deviceId the device id
   * @return the device, if it exists
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public Optional<DeviceInfo> device(UUID deviceId) throws NgcException {
    try {
      return engine.store().device(Objects.requireNonNull(deviceId, "deviceId")).map(NgcService::info);
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Lists the devices on which a user has a registered key, oldest key first.
   *
   * @param upn the user principal name
   * @return the devices (empty if the user does not exist)
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public List<DeviceInfo> devicesOfUser(String upn) throws NgcException {
    List<DeviceInfo> devices = new ArrayList<>();
    for (KeyInfo key : keysOfUser(upn)) {
      device(key.deviceId()).ifPresent(devices::add);
    }
    return List.copyOf(devices);
  }

  /**
   * Enables or disables a device (audited). A disabled device cannot sign in or renew its PRTs.
   *
   * @param deviceId the device id
   * @param enabled the new state
   * @return false if there is no such device
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public boolean setDeviceEnabled(UUID deviceId, boolean enabled) throws NgcException {
    try {
      return engine.store().setDeviceEnabled(Objects.requireNonNull(deviceId, "deviceId"), enabled, ADMIN);
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Deletes a device and its registered keys (audited).
   *
   * @param deviceId the device id
   * @return false if there was no such device
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public boolean deleteDevice(UUID deviceId) throws NgcException {
    try {
      return engine.store().deleteDevice(Objects.requireNonNull(deviceId, "deviceId"), ADMIN);
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Lists a user's registered keys, oldest first.
   *
   * @param upn the user principal name
   * @return the keys (empty if the user does not exist)
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public List<KeyInfo> keysOfUser(String upn) throws NgcException {
    try {
      Optional<User> user = engine.store().userByUpn(Objects.requireNonNull(upn, "upn"));
      if (user.isEmpty()) {
        return List.of();
      }
      return engine.store().keysOfUser(user.get().objectId()).stream().map(NgcService::info).toList();
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Deletes a registered key (audited).
   *
   * @param kid the key's registration id
   * @return false if there was no such key
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public boolean deleteKey(UUID kid) throws NgcException {
    try {
      return engine.store().deleteKey(Objects.requireNonNull(kid, "kid"), ADMIN);
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Reads the audit log.
   *
   * @param afterSequence return entries with a sequence greater than this (0 for the first)
   * @param limit the most entries returned, 1 to 10,000
   * @return the entries, oldest first
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public List<AuditRecord> audit(long afterSequence, int limit) throws NgcException {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be 1 to 10000");
    }
    try {
      return engine.store().auditEvents(afterSequence, limit).stream()
          .map(e -> new AuditRecord(e.sequence(), e.at(), e.actor(), e.event(), e.subject(), e.detail()))
          .toList();
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Returns a digest of the directory's content (tenants, users, devices, keys; not the audit log). Equal
   * content gives equal digests, so a test can check that a refused request changed nothing.
   *
   * @return the digest
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory fails
   * @since 0.1.0
   */
  public String directoryDigest() throws NgcException {
    try {
      return engine.store().contentDigest();
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  /**
   * Returns the certificate of the service's CA, which issues device certificates and the HTTPS server
   * certificate.
   *
   * @return the self-signed CA certificate
   * @since 0.1.0
   */
  public X509Certificate caCertificate() {
    return engine.secrets().ca().certificate();
  }

  /**
   * Returns the certificate of the service's AIK CA, which issues AIK certificates after AIK enrollment and is the
   * trust anchor of the TPM attestation checks. It is created once (RSA-2048, self-signed), kept in the directory
   * encrypted under the master key, and survives restarts.
   *
   * @return the certificate, or empty when no {@link TpmTrust} was configured
   * @since 0.1.0
   */
  public Optional<X509Certificate> aikCaCertificate() {
    return engine.aikCaCertificate();
  }

  /**
   * Closes the service: clears its keys and closes the directory if the service opened it.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    engine.close();
  }

  /** For the HTTP adapter and tests in this module. */
  Engine engine() {
    return engine;
  }

  private Optional<Tenant> tenantRecord(String tenant) throws NgcException {
    try {
      if (Guids.isGuid(tenant)) {
        return engine.store().tenant(UUID.fromString(tenant));
      }
      return engine.store().tenantByDomain(tenant.toLowerCase(Locale.ROOT));
    } catch (StoreException e) {
      throw storage(e);
    }
  }

  static NgcException storage(StoreException e) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, "the service directory failed: " + e.getMessage(), e);
  }

  private static TenantInfo info(Tenant t) {
    return new TenantInfo(t.id(), t.domain(), t.displayName(), t.created());
  }

  static UserInfo info(User u) {
    return new UserInfo(u.objectId(), u.tenantId(), u.upn(), u.displayName(), u.enabled(), u.created());
  }

  static DeviceInfo info(Device d) {
    return new DeviceInfo(d.deviceId(), d.tenantId(), d.registeredBy(), d.displayName(), d.deviceType(),
        d.osVersion(), d.joinType(), d.certificateThumbprint(), d.enabled(), d.created());
  }

  static KeyInfo info(RegisteredKey k) {
    return new KeyInfo(k.kid(), k.userId(), k.deviceId(), k.keyIdentifier(), k.spkiSha256(), k.attestation(),
        k.created());
  }

  /**
   * Builds an {@link NgcService}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable Path dataDirectory;
    private @Nullable DirectoryStore store;
    private Clock clock = Clock.systemUTC();
    private AttestationPolicy attestationPolicy = AttestationPolicy.OPTIONAL;
    private @Nullable AttestationVerifierHook attestationVerifier;
    private boolean requireKdfV2 = true;
    private Duration nonceLifetime = Duration.ofMinutes(5);
    private Duration prtLifetime = Duration.ofDays(14);
    private boolean testIdentitySource;
    private boolean cbcRenewalResponses;
    private Duration deviceCertificateValidity = Duration.ofDays(3650);
    private int replayCacheCapacity = 262_144;
    private @Nullable TpmTrust tpmTrust;

    private Builder() {}

    /**
     * Sets the data directory: the embedded H2 database and {@code master.key} live there (created if missing,
     * owner-only). Required unless a directory store is given.
     *
     * @param dataDirectory the directory
     * @return this builder
     * @since 0.1.0
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** Uses an existing store (tests); with a data directory the master key is read from there, else ephemeral. */
    Builder store(DirectoryStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets the clock for every time check and issued time. Default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     * @since 0.1.0
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets what key registration does with attestation statements. Default {@link AttestationPolicy#OPTIONAL}.
     *
     * @param policy the policy
     * @return this builder
     * @since 0.1.0
     */
    public Builder attestationPolicy(AttestationPolicy policy) {
      this.attestationPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Registers the attestation verifier. Default: none, so no statement can verify; with {@link #tpmTrust}, the
     * {@link TpmAttestationVerifier} anchored at the service's AIK CA.
     *
     * @param verifier the verifier
     * @return this builder
     * @since 0.1.0
     */
    public Builder attestationVerifier(AttestationVerifierHook verifier) {
      this.attestationVerifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Sets whether session-key signed requests (renewal, PRT cookie) must use KDFv2. Default true.
     *
     * @param require whether KDFv1 is refused
     * @return this builder
     * @since 0.1.0
     */
    public Builder requireKdfV2(boolean require) {
      this.requireKdfV2 = require;
      return this;
    }

    /**
     * Sets how long a nonce is valid. Default 5 minutes.
     *
     * @param lifetime 10 seconds to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder nonceLifetime(Duration lifetime) {
      this.nonceLifetime = within(lifetime, Duration.ofSeconds(10), Duration.ofHours(1), "nonce lifetime");
      return this;
    }

    /**
     * Sets how long a PRT is valid after issuance or renewal. Default 14 days.
     *
     * @param lifetime 1 minute to 90 days
     * @return this builder
     * @since 0.1.0
     */
    public Builder prtLifetime(Duration lifetime) {
      this.prtLifetime = within(lifetime, Duration.ofMinutes(1), Duration.ofDays(90), "PRT lifetime");
      return this;
    }

    /**
     * Enables the test identity source (the password grant). Default off.
     *
     * @param enabled whether the password grant is offered
     * @return this builder
     * @since 0.1.0
     */
    public Builder testIdentitySource(boolean enabled) {
      this.testIdentitySource = enabled;
      return this;
    }

    /**
     * Makes renewal responses use the unauthenticated CBC form (16-byte IV, empty tag) that some Entra responses
     * were observed in, for client compatibility tests. Default off (GCM).
     *
     * @param enabled whether renewal responses use CBC
     * @return this builder
     * @since 0.1.0
     */
    public Builder cbcRenewalResponses(boolean enabled) {
      this.cbcRenewalResponses = enabled;
      return this;
    }

    /**
     * Sets the validity of issued device certificates. Default 10 years (as Entra ID's).
     *
     * @param validity 1 day to 30 years
     * @return this builder
     * @since 0.1.0
     */
    public Builder deviceCertificateValidity(Duration validity) {
      this.deviceCertificateValidity =
          within(validity, Duration.ofDays(1), Duration.ofDays(365L * 30), "device certificate validity");
      return this;
    }

    /**
     * Sets how many unexpired single-use ids (nonces, codes) the replay cache holds; when full, new ones are
     * refused with 503 rather than forgotten early. Default 262,144.
     *
     * @param capacity 1,024 to 16,777,216
     * @return this builder
     * @since 0.1.0
     */
    public Builder replayCacheCapacity(int capacity) {
      if (capacity < 1024 || capacity > 16_777_216) {
        throw new IllegalArgumentException("replay cache capacity must be 1024 to 16777216");
      }
      this.replayCacheCapacity = capacity;
      return this;
    }

    /**
     * Enables TPM attestation: the AIK enrollment endpoints ({@code POST /EnrollmentServer/aik/challenge} and
     * {@code /aik/certificate}, see {@code docs/cloud-service.md}), which issue AIK certificates from the service's
     * AIK CA after checking the EK certificate against these roots and completing a credential activation; and,
     * unless {@link #attestationVerifier} was set, a {@link TpmAttestationVerifier} anchored at that CA as the key
     * registration hook. Combine with {@link AttestationPolicy#REQUIRED} to refuse keys without attestation.
     * Default: none (the endpoints answer 404).
     *
     * @param trust the TPM makers' roots and the AIK settings
     * @return this builder
     * @since 0.1.0
     */
    public Builder tpmTrust(TpmTrust trust) {
      this.tpmTrust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    private static Duration within(Duration value, Duration min, Duration max, String what) {
      Objects.requireNonNull(value, what);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " must be between " + min + " and " + max);
      }
      return value;
    }

    /**
     * Builds the service: opens the directory, reads or creates the master key and the service's keys.
     *
     * @return the service
     * @throws IllegalStateException if neither a data directory nor a store was given
     * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the directory or key files cannot be used
     * @since 0.1.0
     */
    public NgcService build() throws NgcException {
      DirectoryStore s = store;
      Path dir = dataDirectory;
      if (s == null && dir == null) {
        throw new IllegalStateException("set a data directory");
      }
      MasterKey masterKey = dir != null ? MasterKey.loadOrCreate(dir) : MasterKey.ephemeral();
      boolean owns = s == null;
      if (s == null) {
        try {
          s = JdbcDirectoryStore.openEmbedded(Objects.requireNonNull(dir));
        } catch (StoreException e) {
          masterKey.close();
          throw new NgcException(ErrorCode.STORAGE_FAILURE, "the service directory could not be opened: "
              + e.getMessage(), e);
        }
      }
      Engine.Config config = new Engine.Config(clock, attestationPolicy, attestationVerifier, requireKdfV2,
          nonceLifetime, prtLifetime, testIdentitySource, cbcRenewalResponses, deviceCertificateValidity,
          replayCacheCapacity, tpmTrust);
      try {
        return new NgcService(new Engine(s, owns, masterKey, config));
      } catch (NgcException | RuntimeException e) {
        masterKey.close();
        if (owns) {
          s.close();
        }
        throw e;
      }
    }
  }
}
