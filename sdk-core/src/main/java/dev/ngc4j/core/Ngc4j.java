package dev.ngc4j.core;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GesturePolicy;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.ProvisioningPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.internal.AtomicFiles;
import dev.ngc4j.core.internal.CredentialRecords.UserRecord;
import dev.ngc4j.core.internal.CredentialRecords.State;
import dev.ngc4j.core.internal.CredentialRecords;
import dev.ngc4j.core.internal.ProviderSelector;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.CloudAuthProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.TokenSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of ngc4j: one instance per application, holding the chosen provider, its key pool and the
 * policies. Built once with {@link #builder()}; immutable and thread-safe; {@link #close()} it at shutdown.
 *
 * <pre>{@code
 * try (Ngc4j ngc = Ngc4j.builder()
 *     .dataDirectory(Path.of("/var/lib/myapp/ngc4j"))
 *     .joinType(JoinType.CLOUD_JOINED)
 *     .directory(cloud).tokenSource(mfaTokens)
 *     .build()) {
 *   Credential c = ngc.provision(UserPrincipal.of("alice@contoso.com"), gestures);
 *   byte[] sig = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, challenge, gestures);
 * }
 * }</pre>
 *
 * <h2>Provisioning, as the seed system decides it</h2>
 *
 * <p>A cloud-joined device provisions unless the policy disables it; a domain-joined device only when it enables
 * it; never in a remote session. The user's access token must carry an MFA claim. Then a key is taken from the
 * pool, the user chooses a PIN, the container is created and the public key registered. A failure at any step
 * leaves nothing behind: no container without a registration and no registration without a container. The
 * journal records success last, and a crash mid-way is undone the next time an instance is built.
 *
 * <p>Thread safety: safe for concurrent use; provisioning of one user is serialised.
 *
 * @since 0.1.0
 */
public final class Ngc4j implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Ngc4j.class);

  private final Path dataDirectory;
  private final ProviderSession session;
  private final CredentialProvider provider;
  private final KeyPool pool;
  private final JoinType joinType;
  private final @Nullable DeviceId deviceId;
  private final ProvisioningPolicy provisioningPolicy;
  private final PinPolicy pinPolicy;
  private final GesturePolicy gesturePolicy;
  private final BooleanSupplier remoteSession;
  private final @Nullable CloudAuthProvider directory;
  private final @Nullable TokenSource tokenSource;
  private final Clock clock;
  private final CredentialRecords records;
  private final Object provisioningLock = new Object();
  private final Map<UserPrincipal, PrimaryRefreshToken> prts = new ConcurrentHashMap<>();
  private volatile @Nullable DeviceId joinedDevice;
  private static final String DEVICE_ID_FILE = "device-id";

  private Ngc4j(Builder b, ProviderSession session, CredentialProvider provider) {
    this.dataDirectory = b.dataDirectory;
    this.session = session;
    this.provider = provider;
    this.joinType = b.joinType;
    this.deviceId = b.deviceId;
    this.provisioningPolicy = b.provisioningPolicy;
    this.pinPolicy = b.pinPolicy;
    this.gesturePolicy = b.gesturePolicy;
    this.remoteSession = b.remoteSession;
    this.directory = b.directory;
    this.tokenSource = b.tokenSource;
    this.clock = b.clock;
    this.records = new CredentialRecords(b.dataDirectory.resolve("credentials"));
    this.pool = KeyPool.start(session.keySource(), b.poolCapacity, b.poolLowWater);
    this.joinedDevice = readJoinedDevice(b.dataDirectory);
  }

  private static @Nullable DeviceId readJoinedDevice(Path dataDirectory) {
    Path f = dataDirectory.resolve(DEVICE_ID_FILE);
    try {
      if (!Files.exists(f)) {
        return null;
      }
      return DeviceId.parse(new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).trim());
    } catch (IOException | IllegalArgumentException e) {
      log.warn("Ignoring an unreadable device id file {}; join the device again", f);
      return null;
    }
  }

  /**
   * Returns a new builder.
   *
   * @return a builder with the documented defaults
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Provisions a credential for the user with a PIN as its first protector.
   *
   * @param user the user
   * @param gestures the application's gesture prompt (asked for a new PIN)
   * @return the credential
   * @throws NgcException {@link PolicyException} ({@code POLICY_FORBIDS}, {@code REMOTE_SESSION},
   *     {@code DEVICE_NOT_JOINED}, {@code MFA_REQUIRED}, {@code PIN_POLICY_VIOLATION}), {@code CONTAINER_EXISTS}
   *     when the user already has one, {@code GESTURE_CANCELLED}, {@code REGISTRATION_FAILED}, storage errors
   * @since 0.1.0
   */
  public Credential provision(UserPrincipal user, GestureSource gestures) throws NgcException {
    return provision(user, ProtectorSpec.pin(), gestures);
  }

  /**
   * Provisions a credential for the user.
   *
   * @param user the user
   * @param firstProtector the protector created with the container
   * @param gestures the application's gesture prompt
   * @return the credential
   * @throws NgcException as {@link #provision(UserPrincipal, GestureSource)}
   * @since 0.1.0
   */
  public Credential provision(UserPrincipal user, ProtectorSpec firstProtector, GestureSource gestures)
      throws NgcException {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(firstProtector, "firstProtector");
    Objects.requireNonNull(gestures, "gestures");
    synchronized (provisioningLock) {
      provisioningPolicy.check(joinType, remoteSession.getAsBoolean());
      gesturePolicy.check(firstProtector.kind());
      CloudAuthProvider dir = requireDirectory();
      Optional<UserRecord> existing = records.read(user);
      if (existing.isPresent()) {
        throw new NgcException(
            ErrorCode.CONTAINER_EXISTS,
            "User " + user + " already has a credential on this device (key "
                + existing.get().keyId().orElse("pending") + ")",
            "call deprovision(user) first to replace it",
            null);
      }
      AccessToken token = mfaToken(user);
      ContainerId id = CredentialRecords.containerIdFor(user);
      String providerId = session.providerId();
      records.write(new UserRecord(user, id, providerId, State.PENDING, Optional.empty(), false, clock.instant()));
      KeyContainer container = null;
      boolean registered = false;
      try {
        Optional<String> attestationNonce = attestationNonce(dir);
        Optional<Bytes> challenge = attestationNonce.map(Ngc4j::qualifyingData);
        PooledKey key = pool.take();
        try {
          container = session.containers().create(
              new ContainerSpec(id, user, firstProtector, pinPolicy, challenge), key, gestures);
        } finally {
          key.close();
        }
        KeyId keyId = container.keyId();
        records.write(new UserRecord(user, id, providerId, State.PENDING, Optional.of(keyId.toBase64Url()), false,
            clock.instant()));
        Optional<AttestationStatement> attestation = challenge.isPresent()
            ? Optional.of(session.attestor().orElseThrow().attest(container, challenge.get()))
            : Optional.empty();
        dir.registerKey(new KeyRegistration(
            user, keyId, container.publicKey(), attestation, token, attestation.isPresent() ? attestationNonce
                : Optional.empty()));
        registered = true;
        records.write(new UserRecord(user, id, providerId, State.COMPLETE, Optional.of(keyId.toBase64Url()), true,
            clock.instant()));
        log.info("Provisioned a credential for {} (key {}, provider {})", user, keyId.shortForm(), providerId);
        return new Credential(container, providerId, gesturePolicy);
      } catch (NgcException | RuntimeException e) {
        undo(user, id, container, registered, token, e);
        throw e;
      }
    }
  }

  /**
   * Returns the user's credential, if one is provisioned on this device.
   *
   * @param user the user
   * @return the credential, or empty
   * @throws NgcException {@code CONTAINER_CORRUPTED}, {@code STORAGE_FAILURE}, or {@code CONTAINER_NOT_FOUND} when
   *     the journal names a container the provider no longer has
   * @since 0.1.0
   */
  public Optional<Credential> credential(UserPrincipal user) throws NgcException {
    Optional<UserRecord> r = records.read(Objects.requireNonNull(user, "user"));
    if (r.isEmpty() || r.get().state() != State.COMPLETE) {
      return Optional.empty();
    }
    return Optional.of(new Credential(session.containers().open(r.get().container()), r.get().providerId(),
        gesturePolicy));
  }

  /**
   * Removes the user's credential: withdraws the key registration, then deletes the container and the record. If
   * the directory refuses, nothing is deleted.
   *
   * @param user the user
   * @return true if there was a credential
   * @throws NgcException {@code CLOUD_ERROR} or storage errors
   * @since 0.1.0
   */
  public boolean deprovision(UserPrincipal user) throws NgcException {
    synchronized (provisioningLock) {
      Optional<UserRecord> r = records.read(Objects.requireNonNull(user, "user"));
      if (r.isEmpty()) {
        return false;
      }
      UserRecord rec = r.get();
      if (rec.registered() && rec.keyId().isPresent()) {
        requireDirectory().unregisterKey(user, new KeyId(Bytes.fromBase64Url(rec.keyId().get())), mfaToken(user));
      }
      session.containers().delete(rec.container());
      records.delete(rec.container());
      log.info("Removed the credential of {}", user);
      return true;
    }
  }

  /**
   * Joins this device to the directory: the provider's device key gets a device certificate and its transport key
   * is registered, so that sign-ins can return session keys only this device can unwrap. The device id is kept
   * in the data directory.
   *
   * @param token an access token of a user allowed to join devices (audience: the registration service)
   * @return the directory's id for this device
   * @throws NgcException {@code UNSUPPORTED} when the provider holds no device keys, {@code REGISTRATION_FAILED}
   *     when no directory is configured, {@code CLOUD_ERROR} with the server's code
   * @since 0.1.0
   */
  public DeviceId joinDevice(AccessToken token) throws NgcException {
    Objects.requireNonNull(token, "token");
    CloudAuthProvider dir = requireDirectory(ErrorCode.DEVICE_NOT_JOINED, "join the device to");
    DeviceId id = dir.joinDevice(requireDeviceKeys(), token);
    try {
      AtomicFiles.write(dataDirectory.resolve(DEVICE_ID_FILE), id.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not record the device id in " + dataDirectory, e);
    }
    joinedDevice = id;
    log.info("Joined the device to the directory as {}", id);
    return id;
  }

  /**
   * Signs the user in to the directory: a fresh server nonce is signed with the user's key (the gesture is asked
   * for through {@code gestures}) and with the device key, and the directory returns a Primary Refresh Token
   * whose session key stays inside the provider.
   *
   * @param user the user
   * @param gestures the application's gesture prompt
   * @return the PRT; the instance also remembers it for {@link #status(UserPrincipal)}
   * @throws NgcException {@code CONTAINER_NOT_FOUND} when the user has no credential here, {@code
   *     KEY_NOT_REGISTERED}, {@code DEVICE_NOT_JOINED}, gesture errors ({@code WRONG_GESTURE}, {@code LOCKED_OUT},
   *     {@code GESTURE_CANCELLED}), {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  public PrimaryRefreshToken signIn(UserPrincipal user, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(gestures, "gestures");
    CloudAuthProvider dir = requireDirectory(ErrorCode.DEVICE_NOT_JOINED, "sign in to");
    DeviceKeys keys = requireDeviceKeys();
    Optional<UserRecord> r = records.read(user);
    if (r.isEmpty() || r.get().state() != State.COMPLETE) {
      throw new NgcException(ErrorCode.CONTAINER_NOT_FOUND, "User " + user + " has no credential on this device",
          "call provision(user, gestures) first", null);
    }
    if (!r.get().registered()) {
      throw new NgcException(ErrorCode.KEY_NOT_REGISTERED, "The key of " + user + " was never registered",
          "deprovision(user) and provision again", null);
    }
    KeyContainer container = session.containers().open(r.get().container());
    PrimaryRefreshToken prt = dir.signIn(container, gestures, keys);
    remember(prt);
    return prt;
  }

  /**
   * Renews a PRT with its session key; the session key is kept, the token and its expiry are new.
   *
   * @param prt the PRT
   * @return the renewed PRT
   * @throws NgcException {@code CLOUD_ERROR} (for instance when the key or the device was removed from the
   *     directory), {@code UNSUPPORTED} when the provider holds no device keys
   * @since 0.1.0
   */
  public PrimaryRefreshToken renew(PrimaryRefreshToken prt) throws NgcException {
    Objects.requireNonNull(prt, "prt");
    CloudAuthProvider dir = requireDirectory(ErrorCode.DEVICE_NOT_JOINED, "renew with");
    PrimaryRefreshToken renewed = dir.renew(prt, requireDeviceKeys());
    remember(renewed);
    return renewed;
  }

  /**
   * Makes a PRT cookie for browser single sign-on.
   *
   * @param prt the PRT
   * @return the cookie value (a bearer secret; never log it)
   * @throws NgcException {@code UNSUPPORTED} when the directory protocol has none, {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  public String prtCookie(PrimaryRefreshToken prt) throws NgcException {
    Objects.requireNonNull(prt, "prt");
    return requireDirectory(ErrorCode.DEVICE_NOT_JOINED, "sign in to").prtCookie(prt);
  }

  /**
   * Returns the directory's id for this device: the one {@link #joinDevice(AccessToken)} recorded, else the one
   * given to the builder.
   *
   * @return the device id, or empty when the device is not joined
   * @since 0.1.0
   */
  public Optional<DeviceId> deviceId() {
    return Optional.ofNullable(joinedDevice != null ? joinedDevice : deviceId);
  }

  /**
   * Returns the provider's device keys (the device key and the transport key), for protocol steps an application
   * drives itself, such as proving the device to an identity provider.
   *
   * @return the device keys, or empty when the provider holds none
   * @since 0.1.0
   */
  public Optional<DeviceKeys> deviceKeys() {
    return session.deviceKeys();
  }

  private void remember(PrimaryRefreshToken prt) {
    prts.put(prt.user(), prt);
  }

  private DeviceKeys requireDeviceKeys() throws NgcException {
    return session.deviceKeys().orElseThrow(() -> new NgcException(ErrorCode.UNSUPPORTED,
        "The provider " + session.providerId() + " holds no device key or transport key",
        "use a provider whose capabilities include device keys (software, TPM)", null));
  }

  /**
   * Reports the device, the user's credential, the pool and every prerequisite, each failing item with why and
   * what to do.
   *
   * @param user the user to report on
   * @return the status
   * @since 0.1.0
   */
  public Status status(UserPrincipal user) {
    Objects.requireNonNull(user, "user");
    List<Status.Check> checks = new ArrayList<>();
    checks.add(joinType == JoinType.CLOUD_JOINED || joinType == JoinType.DOMAIN_JOINED
        ? Status.Check.pass("DeviceJoined")
        : Status.Check.fail("DeviceJoined", "the device is " + joinType, "join the device to a directory"));
    try {
      provisioningPolicy.check(joinType, false);
      checks.add(Status.Check.pass("PolicyAllowsProvisioning"));
    } catch (PolicyException e) {
      checks.add(Status.Check.fail("PolicyAllowsProvisioning", e.detail(), e.remedy()));
    }
    checks.add(remoteSession.getAsBoolean()
        ? Status.Check.fail("LocalSession", "this is a remote session", "sign in on the device itself")
        : Status.Check.pass("LocalSession"));
    ProbeResult p = probeNow();
    checks.add(p.available()
        ? Status.Check.pass("ProviderAvailable")
        : Status.Check.fail("ProviderAvailable", p.reason().orElse("unavailable"),
            p.remedy().orElse(ErrorCode.PROVIDER_UNAVAILABLE.remedy())));
    checks.add(directory != null
        ? Status.Check.pass("DirectoryConfigured")
        : Status.Check.fail("DirectoryConfigured", "no CloudAuthProvider is configured",
            "pass one to Ngc4j.builder().directory(...)"));
    if (directory != null) {
      checks.add(deviceId().isPresent()
          ? Status.Check.pass("DeviceRegistered")
          : Status.Check.fail("DeviceRegistered", "this device has no device id in the directory",
              session.deviceKeys().isPresent() ? "call joinDevice(token) once"
                  : "use a provider with device keys, then call joinDevice(token)"));
    }
    checks.add(tokenSource != null
        ? Status.Check.pass("MfaTokenSourceConfigured")
        : Status.Check.fail("MfaTokenSourceConfigured", "no TokenSource is configured",
            "pass one to Ngc4j.builder().tokenSource(...) so the user can prove MFA"));

    boolean set = false;
    boolean registered = false;
    boolean locked = false;
    Optional<KeyId> keyId = Optional.empty();
    Optional<Integer> attempts = Optional.empty();
    try {
      Optional<UserRecord> r = records.read(user);
      if (r.isEmpty()) {
        checks.add(Status.Check.fail("CredentialProvisioned", "no credential for " + user,
            "call provision(user, gestures)"));
      } else if (r.get().state() != State.COMPLETE) {
        checks.add(Status.Check.fail("CredentialProvisioned", "provisioning of " + user + " did not finish",
            "build a new Ngc4j instance to clean up, then provision again"));
      } else {
        KeyContainer c = session.containers().open(r.get().container());
        set = true;
        registered = r.get().registered();
        keyId = Optional.of(c.keyId());
        LockoutState ls = c.lockoutState();
        locked = ls.lockedOut();
        attempts = Optional.of(ls.attemptsRemaining());
        checks.add(Status.Check.pass("CredentialProvisioned"));
        checks.add(locked
            ? Status.Check.fail("ContainerUsable", "the container is locked out"
                + ls.lockedUntil().map(t -> " until " + t).orElse(""), ErrorCode.LOCKED_OUT.remedy())
            : Status.Check.pass("ContainerUsable"));
      }
    } catch (NgcException e) {
      checks.add(Status.Check.fail("ContainerUsable", e.detail(), e.remedy()));
    }
    Status.DeviceState device = new Status.DeviceState(
        joinType, deviceId().map(DeviceId::toString), session.providerId(),
        session.capabilities().hardwareBacked(), dataDirectory.toString());
    PrimaryRefreshToken prt = prts.get(user);
    boolean prtPresent = prt != null && prt.expiresAt().isAfter(clock.instant());
    Status.UserState userState = new Status.UserState(user, set, keyId, registered, locked, attempts, prtPresent);
    return new Status(device, userState, pool.stats(), checks);
  }

  /**
   * Returns the key pool (for its counters and warm-up).
   *
   * @return the pool
   * @since 0.1.0
   */
  public KeyPool keyPool() {
    return pool;
  }

  /**
   * Returns the id of the provider in use.
   *
   * @return the provider id
   * @since 0.1.0
   */
  public String providerId() {
    return session.providerId();
  }

  /**
   * Stops the key pool and closes the provider. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    prts.values().forEach(p -> p.sessionKey().close());
    prts.clear();
    pool.close();
    session.close();
  }

  private ProbeResult probeNow() {
    try {
      return provider.probe();
    } catch (RuntimeException e) {
      return ProbeResult.unavailable(session.capabilities(), "the provider's probe failed: " + e,
          ErrorCode.PROVIDER_UNAVAILABLE.remedy());
    }
  }

  private CloudAuthProvider requireDirectory() throws NgcException {
    return requireDirectory(ErrorCode.REGISTRATION_FAILED, "register the key with");
  }

  private CloudAuthProvider requireDirectory(ErrorCode code, String purpose) throws NgcException {
    if (directory == null) {
      throw new NgcException(
          code,
          "No directory is configured to " + purpose,
          "pass a CloudAuthProvider to Ngc4j.builder().directory(...)",
          null);
    }
    return directory;
  }

  private AccessToken mfaToken(UserPrincipal user) throws NgcException {
    if (tokenSource == null) {
      throw new PolicyException(
          ErrorCode.MFA_REQUIRED,
          "No token source is configured, so the user cannot prove multi-factor authentication",
          "pass a TokenSource to Ngc4j.builder().tokenSource(...)",
          null);
    }
    AccessToken token = Objects.requireNonNull(tokenSource.token(user), "token source returned null");
    if (!token.subject().equals(user)) {
      throw new PolicyException(
          ErrorCode.MFA_REQUIRED,
          "UPN mismatch: the access token was issued to " + token.subject() + ", not to " + user,
          "sign in as " + user + " when the token source asks",
          null);
    }
    if (!token.expiresAt().isAfter(clock.instant())) {
      throw new PolicyException(
          ErrorCode.MFA_REQUIRED, "The access token for " + user + " expired at " + token.expiresAt(),
          "obtain a fresh token with MFA and retry", null);
    }
    if (!token.hasMfaClaim()) {
      throw new PolicyException(
          ErrorCode.MFA_REQUIRED,
          "The access token for " + user + " does not prove MFA (amr = " + token.authenticationMethods() + ")",
          ErrorCode.MFA_REQUIRED.remedy(),
          null);
    }
    return token;
  }

  /**
   * When the provider attests its keys: makes sure its attestation key is certified by the directory (enrolling
   * it the first time), then gets a registration nonce. Empty when the provider does not attest, the directory
   * takes no attestation ({@code UNSUPPORTED}) or the TPM cannot ({@code ATTESTATION_UNSUPPORTED}); every other
   * failure ends the provisioning.
   */
  private Optional<String> attestationNonce(CloudAuthProvider dir) throws NgcException {
    Optional<Attestor> attestor = session.attestor();
    if (attestor.isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<AttestationKeyEnrollment> enrollment = attestor.get().keyEnrollment();
      if (enrollment.isPresent() && enrollment.get().certificateChain().isEmpty()) {
        DeviceKeys keys = session.deviceKeys().orElseThrow(() -> new NgcException(ErrorCode.DEVICE_NOT_JOINED,
            "The provider has no device keys to sign the attestation key's enrolment with",
            "join the device with a provider that has device keys first", null));
        enrollment.get().installCertificateChain(dir.enrollAttestationKey(enrollment.get(), keys));
        log.info("The directory certified this device's attestation key");
      }
      return Optional.of(dir.attestationNonce());
    } catch (NgcException e) {
      // The directory takes no attestation, or this TPM cannot attest (no EK certificate, no EK): register the
      // key unattested; a directory that requires attestation then refuses it with its own clear error.
      if (e.code() != ErrorCode.UNSUPPORTED && e.code() != ErrorCode.ATTESTATION_UNSUPPORTED) {
        throw e;
      }
      log.info("Registering without attestation: {}", e.detail());
      return Optional.empty();
    }
  }

  /** The qualifying data of a registration nonce: SHA-256 of its UTF-8 bytes. */
  private static Bytes qualifyingData(String nonce) {
    try {
      return Bytes.of(java.security.MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(
          java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private void undo(
      UserPrincipal user, ContainerId id, @Nullable KeyContainer container, boolean registered, AccessToken token,
      Exception cause) {
    if (registered && container != null && directory != null) {
      try {
        directory.unregisterKey(user, container.keyId(), token);
      } catch (NgcException | RuntimeException e) {
        cause.addSuppressed(e);
        log.warn("Could not withdraw the registration of key {} after a failed provisioning of {}",
            container.keyId().shortForm(), user);
        return; // keep the container and the PENDING record so that the registration is not orphaned
      }
    }
    try {
      session.containers().delete(id);
      records.delete(id);
    } catch (NgcException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private void recover() throws NgcException {
    for (UserRecord r : records.all()) {
      if (r.state() == State.COMPLETE) {
        continue;
      }
      if (r.keyId().isPresent()) {
        log.warn("Provisioning of {} was interrupted after its key was created; removing the container. If the key"
            + " was registered before the interruption, remove key {} from the directory.", r.user(),
            r.keyId().get().substring(0, 8));
      }
      try {
        session.containers().delete(r.container());
      } catch (ContainerCorruptedException e) {
        log.warn("Could not remove the interrupted container {}: {}", r.container(), e.getMessage());
        continue;
      }
      records.delete(r.container());
    }
  }

  /**
   * Builds an {@link Ngc4j}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private Path dataDirectory = Path.of(System.getProperty("user.home"), ".ngc4j");
    private @Nullable CredentialProvider provider;
    private @Nullable String providerId;
    private boolean requireHardware;
    private boolean allowSoftwareKeys;
    private final Map<String, String> providerSettings = new HashMap<>();
    private JoinType joinType = JoinType.NOT_JOINED;
    private @Nullable DeviceId deviceId;
    private ProvisioningPolicy provisioningPolicy = ProvisioningPolicy.notConfigured();
    private PinPolicy pinPolicy = PinPolicy.defaults();
    private GesturePolicy gesturePolicy = GesturePolicy.allowAll();
    private BooleanSupplier remoteSession = RemoteSession::fromEnvironment;
    private @Nullable CloudAuthProvider directory;
    private @Nullable TokenSource tokenSource;
    private int poolCapacity = 3;
    private int poolLowWater = 1;
    private Clock clock = Clock.systemUTC();
    private @Nullable ClassLoader classLoader;

    private Builder() {}

    /**
     * Sets where ngc4j keeps its state. Default {@code ~/.ngc4j}. Created owner-only.
     *
     * @param dir the directory
     * @return this builder
     * @since 0.1.0
     */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Uses this provider, bypassing discovery. Always wins over ids and priorities.
     *
     * @param provider the provider
     * @return this builder
     * @since 0.1.0
     */
    public Builder provider(CredentialProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Uses the discovered provider with this id. Default: the system property {@code ngc4j.provider}, else
     * selection by priority.
     *
     * @param id the provider id
     * @return this builder
     * @since 0.1.0
     */
    public Builder providerId(String id) {
      this.providerId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Refuses any provider whose keys are not in hardware, even one named explicitly.
     *
     * @return this builder
     * @since 0.1.0
     */
    public Builder requireHardware() {
      this.requireHardware = true;
      return this;
    }

    /**
     * Lets selection by priority fall back to a software provider. Default: a software provider is only used when
     * named or passed explicitly.
     *
     * @return this builder
     * @since 0.1.0
     */
    public Builder allowSoftwareKeys() {
      this.allowSoftwareKeys = true;
      return this;
    }

    /**
     * Sets a provider-specific setting (see each provider's documentation). System properties
     * {@code ngc4j.<providerId>.<key>} are read as well; builder settings win.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @since 0.1.0
     */
    public Builder providerSetting(String key, String value) {
      providerSettings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets how the device is joined. Default {@link JoinType#NOT_JOINED}, which provisions nothing.
     *
     * @param joinType the join type
     * @return this builder
     * @since 0.1.0
     */
    public Builder joinType(JoinType joinType) {
      this.joinType = Objects.requireNonNull(joinType, "joinType");
      return this;
    }

    /**
     * Sets the directory's id of this device, shown in the status.
     *
     * @param deviceId the device id
     * @return this builder
     * @since 0.1.0
     */
    public Builder deviceId(DeviceId deviceId) {
      this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
      return this;
    }

    /**
     * Sets the administrator's credential policy. Default: not configured.
     *
     * @param policy the policy
     * @return this builder
     * @since 0.1.0
     */
    public Builder provisioningPolicy(ProvisioningPolicy policy) {
      this.provisioningPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the PIN policy. Default {@link PinPolicy#defaults()}.
     *
     * @param policy the policy
     * @return this builder
     * @since 0.1.0
     */
    public Builder pinPolicy(PinPolicy policy) {
      this.pinPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the allowed gestures. Default: all.
     *
     * @param policy the policy
     * @return this builder
     * @since 0.1.0
     */
    public Builder gesturePolicy(GesturePolicy policy) {
      this.gesturePolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how to tell whether the user is in a remote session. Default: the environment ({@code SSH_CONNECTION},
     * {@code SSH_TTY}, an X display forwarded over SSH, xrdp).
     *
     * @param detector returns true in a remote session
     * @return this builder
     * @since 0.1.0
     */
    public Builder remoteSession(BooleanSupplier detector) {
      this.remoteSession = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * Sets the directory keys are registered with.
     *
     * @param directory the cloud protocol client
     * @return this builder
     * @since 0.1.0
     */
    public Builder directory(CloudAuthProvider directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Sets where the user's MFA access token comes from.
     *
     * @param tokenSource the token source
     * @return this builder
     * @since 0.1.0
     */
    public Builder tokenSource(TokenSource tokenSource) {
      this.tokenSource = Objects.requireNonNull(tokenSource, "tokenSource");
      return this;
    }

    /**
     * Sizes the key pool. Default capacity 3, refilled at 1. Capacity 0 disables pre-generation.
     *
     * @param capacity the most keys kept ready
     * @param lowWater refill at or below this many
     * @return this builder
     * @since 0.1.0
     */
    public Builder keyPool(int capacity, int lowWater) {
      this.poolCapacity = capacity;
      this.poolLowWater = lowWater;
      return this;
    }

    /**
     * Sets the clock. Default UTC system clock.
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
     * Sets the class loader providers are discovered through. Default: the one that loaded ngc4j.
     *
     * @param loader the class loader
     * @return this builder
     * @since 0.1.0
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Chooses and opens the provider, finishes or undoes any interrupted provisioning, and starts the key pool.
     *
     * @return the instance
     * @throws NgcException {@link ProviderUnavailableException} ({@code NO_PROVIDER}, {@code AMBIGUOUS_PROVIDER},
     *     {@code HARDWARE_REQUIRED}, {@code PROVIDER_UNAVAILABLE}, {@code PROVIDER_INCOMPATIBLE}), storage errors
     * @since 0.1.0
     */
    public Ngc4j build() throws NgcException {
      if (poolCapacity < 0 || poolLowWater < 0 || (poolCapacity > 0 && poolLowWater >= poolCapacity)) {
        throw new IllegalStateException("key pool: need 0 <= lowWater < capacity, or capacity 0");
      }
      String configured = providerId != null ? providerId : System.getProperty(ProviderSelector.PROPERTY);
      ClassLoader loader = classLoader != null ? classLoader : Ngc4j.class.getClassLoader();
      List<CredentialProvider> discovered = provider != null ? List.of() : ProviderSelector.discover(loader);
      ProviderSelector.Choice choice =
          ProviderSelector.select(provider, configured, requireHardware, allowSoftwareKeys, discovered);
      String id = choice.provider().id();
      Path providerDir;
      try {
        AtomicFiles.ownerOnlyDirectory(dataDirectory);
        providerDir = AtomicFiles.ownerOnlyDirectory(dataDirectory.resolve("providers").resolve(id));
      } catch (IOException e) {
        throw new NgcException(ErrorCode.STORAGE_FAILURE, "Could not create the data directory " + dataDirectory, e);
      }
      Map<String, String> settings = new HashMap<>();
      String prefix = "ngc4j." + id + ".";
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith(prefix)) {
          settings.put(name.substring(prefix.length()), System.getProperty(name));
        }
      }
      settings.putAll(providerSettings);
      ProviderSession session = choice.provider().open(new ProviderContext(providerDir, clock, settings));
      Ngc4j ngc = null;
      try {
        ngc = new Ngc4j(this, session, choice.provider());
        ngc.recover();
        return ngc;
      } catch (NgcException | RuntimeException e) {
        if (ngc != null) {
          ngc.close();
        } else {
          session.close();
        }
        throw e;
      }
    }
  }
}
