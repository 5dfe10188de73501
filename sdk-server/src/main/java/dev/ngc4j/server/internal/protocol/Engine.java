package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.server.AttestationPolicy;
import dev.ngc4j.server.AttestationVerifierHook;
import dev.ngc4j.server.ServiceRequest;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.TpmAttestationVerifier;
import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.server.internal.attestation.AikCa;
import dev.ngc4j.server.internal.attestation.AikEnrollment;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.MasterKey;
import dev.ngc4j.server.internal.crypto.ServiceSecrets;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.internal.store.StoreException;
import dev.ngc4j.server.internal.token.AccessTokens;
import dev.ngc4j.server.internal.token.CompactJws;
import dev.ngc4j.server.internal.token.NonceService;
import dev.ngc4j.server.internal.token.ReplayCache;
import dev.ngc4j.server.internal.token.SealedTokens;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Guids;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service: routes requests to the endpoint handlers, maps refusals to the contract's error bodies, and owns
 * the state they share (directory, secrets, nonces, sealing keys, caches).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Engine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  /** The DRS resource (audience of join and key registration tokens). */
  public static final String DRS_RESOURCE = "urn:ms-drs:enterpriseregistration.windows.net";

  /** The Windows broker client id (PRT requests). */
  public static final String BROKER_CLIENT_ID = "38aa3b87-a06d-4817-b275-7a316988d93b";

  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Allowed clock skew on token times. */
  static final Duration SKEW = Duration.ofMinutes(5);

  /** The configuration. */
  public record Config(
      Clock clock,
      AttestationPolicy attestationPolicy,
      @Nullable AttestationVerifierHook attestationVerifier,
      boolean requireKdfV2,
      Duration nonceLifetime,
      Duration prtLifetime,
      boolean testIdentitySource,
      boolean cbcRenewalResponses,
      Duration deviceCertificateValidity,
      int replayCacheCapacity,
      @Nullable TpmTrust tpmTrust) {}

  /** The endpoints. */
  public enum Endpoint {
    DISCOVERY(true, "GET"),
    JOIN(true, "POST"),
    KEY_REGISTRATION(true, "POST"),
    KEY_WITHDRAWAL(true, "DELETE"),
    DRS_NONCE(true, "GET"),
    TOKEN(false, "POST"),
    AUTHORIZE(false, "GET"),
    JWKS(false, "GET"),
    AIK_CHALLENGE(true, "POST"),
    AIK_CERTIFICATE(true, "POST");

    final boolean drs;
    final String method;

    Endpoint(boolean drs, String method) {
      this.drs = drs;
      this.method = method;
    }
  }

  /** A tenant path segment resolved: {@code common}, or one tenant. */
  record Scope(@Nullable Tenant tenant) {
    boolean common() {
      return tenant == null;
    }

    boolean admits(UUID tenantId) {
      return tenant == null || tenant.id().equals(tenantId);
    }
  }

  private record Route(Endpoint endpoint, String param) {}

  final DirectoryStore store;
  private final boolean ownsStore;
  private final MasterKey masterKey;
  final ServiceSecrets secrets;
  final Config config;
  final Clock clock;
  final ReplayCache replay;
  final NonceService nonces;
  final SealedTokens sealed;
  final AccessTokens accessTokens;
  final Responses responses;
  final ParsedKeys keys = new ParsedKeys();
  private final ConcurrentHashMap<UUID, Tenant> tenantsById = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Tenant> tenantsByDomain = new ConcurrentHashMap<>();
  private final DrsEndpoints drs;
  private final TokenEndpoint token;
  private final AuthorizeEndpoint authorize;
  /** The key-registration attestation hook: the application's, else the TPM verifier when TPM trust is set. */
  final @Nullable AttestationVerifierHook attestationVerifier;
  private final @Nullable AikEnrollment aik;

  /** The header members of a device-signed AIK enrollment request. */
  private static final Set<String> AIK_HEADER = Set.of("alg", "typ", "x5c");

  /**
   * Creates the engine, loading or creating the service's secrets.
   *
   * @param store the directory
   * @param ownsStore whether {@link #close} closes the store
   * @param masterKey the master key (closed with the engine)
   * @param config the configuration
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the secrets cannot be loaded or created
   */
  public Engine(DirectoryStore store, boolean ownsStore, MasterKey masterKey, Config config) throws NgcException {
    this.store = store;
    this.ownsStore = ownsStore;
    this.masterKey = masterKey;
    this.config = config;
    this.clock = config.clock();
    this.secrets = ServiceSecrets.load(store, masterKey, clock.instant());
    this.replay = new ReplayCache(config.replayCacheCapacity());
    this.nonces = new NonceService(clock, config.nonceLifetime(), replay);
    this.sealed = new SealedTokens(secrets.prtKey());
    this.accessTokens = new AccessTokens(secrets.tokenKey(), clock, Duration.ofHours(1), SKEW);
    this.responses = new Responses(clock);
    TpmTrust tpmTrust = config.tpmTrust();
    AikCa aikCa = tpmTrust == null ? null : AikCa.load(store, masterKey, clock.instant());
    this.aik = tpmTrust == null || aikCa == null ? null : new AikEnrollment(tpmTrust, aikCa, clock, replay, store);
    AttestationVerifierHook hook = config.attestationVerifier();
    if (hook == null && tpmTrust != null && aikCa != null) {
      hook = AttestationVerifierHook.of(
          TpmAttestationVerifier.create(clock, tpmTrust.clockSkew()), List.of(aikCa.certificate()));
    }
    this.attestationVerifier = hook;
    this.drs = new DrsEndpoints(this);
    this.token = new TokenEndpoint(this);
    this.authorize = new AuthorizeEndpoint(this);
  }

  /**
   * Handles a request, routing it by path.
   *
   * @param request the request
   * @return the response
   */
  public ServiceResponse handle(ServiceRequest request) {
    return handle(request, null);
  }

  /**
   * Handles a request that must be for one endpoint (404 otherwise).
   *
   * @param request the request
   * @param expected the endpoint, or null to route by path
   * @return the response
   */
  public ServiceResponse handle(ServiceRequest request, @Nullable Endpoint expected) {
    String traceId = traceId();
    String correlationId = request.header("client-request-id").filter(Guids::isGuid).orElse(traceId);
    Route route = route(request.path());
    boolean drsForm = route != null ? route.endpoint().drs : request.path().regionMatches(true, 0, "/EnrollmentServer", 0, 17);
    try {
      if (route == null || (expected != null && route.endpoint() != expected)) {
        throw new Refusal(ErrorKind.NOT_FOUND);
      }
      if (!route.endpoint().method.equals(request.method())) {
        throw new Refusal(ErrorKind.METHOD_NOT_ALLOWED);
      }
      if (request.bodyLength() > MAX_BODY_BYTES) {
        throw new Refusal(ErrorKind.BODY_TOO_LARGE);
      }
      try (Call call = new Call(request, route.param(), traceId, correlationId)) {
        return switch (route.endpoint()) {
          case DISCOVERY -> drs.discovery(call);
          case JOIN -> drs.join(call);
          case KEY_REGISTRATION -> drs.registerKey(call);
          case KEY_WITHDRAWAL -> drs.withdrawKey(call);
          case DRS_NONCE -> drs.nonce(call);
          case TOKEN -> token.handle(call);
          case AUTHORIZE -> authorize.handle(call);
          case JWKS -> drs.jwks(call);
          case AIK_CHALLENGE, AIK_CERTIFICATE -> aik(call, route.endpoint());
        };
      }
    } catch (Refusal refusal) {
      log.debug("refused {} {}: {} (trace {})", request.method(), route == null ? "?" : route.endpoint(),
          refusal.kind().code(), traceId);
      return error(drsForm, refusal, traceId, correlationId);
    } catch (RuntimeException e) {
      log.warn("unexpected failure handling {} (trace {})", route == null ? "?" : route.endpoint(), traceId, e);
      return error(drsForm, new Refusal(ErrorKind.SERVER_ERROR), traceId, correlationId);
    }
  }

  /**
   * Returns the error response for a refusal in the form of the endpoint a path belongs to (used by the HTTP
   * layer for 413 before the body is read).
   *
   * @param path the raw request path
   * @param kind the kind
   * @return the response
   */
  public ServiceResponse errorFor(String path, ErrorKind kind) {
    String traceId = traceId();
    Route route = route(path);
    boolean drsForm = route != null ? route.endpoint().drs : path.regionMatches(true, 0, "/EnrollmentServer", 0, 17);
    return error(drsForm, new Refusal(kind), traceId, traceId);
  }

  /** A random version-4 GUID; trace ids are not secrets, so a fast generator is enough. */
  private static String traceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private ServiceResponse error(boolean drsForm, Refusal refusal, String traceId, String correlationId) {
    return drsForm ? responses.drsError(refusal, traceId) : responses.oauthError(refusal, traceId, correlationId);
  }

  private static @Nullable Route route(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(1, path.length() - 1) : path.substring(1);
    String[] s = segments(trimmed);
    if (s.length == 0) {
      return null;
    }
    if (s.length >= 2 && eq(s[0], "EnrollmentServer")) {
      if (s.length == 2 && eq(s[1], "device")) {
        return new Route(Endpoint.JOIN, "");
      }
      if (s.length == 2 && eq(s[1], "key")) {
        return new Route(Endpoint.KEY_REGISTRATION, "");
      }
      if (s.length == 3 && eq(s[1], "key")) {
        return new Route(Endpoint.KEY_WITHDRAWAL, s[2]);
      }
      if (s.length == 3 && eq(s[1], "nonce")) {
        return new Route(Endpoint.DRS_NONCE, s[2]);
      }
      if (s.length == 3 && eq(s[1], "aik") && eq(s[2], "challenge")) {
        return new Route(Endpoint.AIK_CHALLENGE, "");
      }
      if (s.length == 3 && eq(s[1], "aik") && eq(s[2], "certificate")) {
        return new Route(Endpoint.AIK_CERTIFICATE, "");
      }
      return null;
    }
    if (s.length == 2 && eq(s[1], "Discover")) {
      return new Route(Endpoint.DISCOVERY, s[0]);
    }
    if (s.length == 3 && eq(s[1], "oauth2") && eq(s[2], "token")) {
      return new Route(Endpoint.TOKEN, s[0]);
    }
    if ((s.length == 3 && eq(s[1], "oauth2") && eq(s[2], "authorize"))
        || (s.length == 4 && eq(s[1], "oauth2") && eq(s[2], "v2.0") && eq(s[3], "authorize"))) {
      return new Route(Endpoint.AUTHORIZE, s[0]);
    }
    if ((s.length == 3 && eq(s[1], "discovery") && eq(s[2], "keys"))
        || (s.length == 4 && eq(s[1], "discovery") && eq(s[2], "v2.0") && eq(s[3], "keys"))) {
      return new Route(Endpoint.JWKS, s[0]);
    }
    return null;
  }

  /** The '/'-separated segments, or none if a segment is empty or there are more than four. */
  private static String[] segments(String path) {
    String[] out = new String[4];
    int count = 0;
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      if (end == start || count == out.length) {
        return new String[0];
      }
      out[count++] = path.substring(start, end);
      if (slash < 0) {
        return count == out.length ? out : java.util.Arrays.copyOf(out, count);
      }
      start = slash + 1;
    }
  }

  private static boolean eq(String a, String b) {
    return a.equalsIgnoreCase(b);
  }

  // ---- AIK enrollment -------------------------------------------------------------------------------------

  /**
   * {@code POST /EnrollmentServer/aik/challenge} and {@code /aik/certificate}: a JSON body
   * {@code {"request": "<compact JWS>"}} signed RS256 by the device key ({@link #authenticateDevice}); the payload
   * goes to {@link AikEnrollment}. 404 when the service has no TPM trust configured.
   */
  private ServiceResponse aik(Call call, Endpoint endpoint) throws Refusal {
    AikEnrollment enrollment = aik;
    if (enrollment == null) {
      throw new Refusal(ErrorKind.NOT_FOUND);
    }
    String contentType = call.request.header("Content-Type").orElse("application/json");
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    CompactJws request;
    try {
      if (!mediaType.equalsIgnoreCase("application/json")) {
        throw new Malformed("the body is not application/json");
      }
      Map<String, Object> body = Json.parseObject(call.body);
      if (!Set.of("request").equals(body.keySet())) {
        throw new Malformed("the body must be exactly {\"request\": \"<compact JWS>\"}");
      }
      request = CompactJws.parse(Json.string(body, "request"), AikEnrollment.MAX_REQUEST_CHARS);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    Device device = authenticateDevice(request, AIK_HEADER);
    Map<String, Object> response = endpoint == Endpoint.AIK_CHALLENGE
        ? enrollment.challenge(device, request.payload())
        : enrollment.certificate(device, request.payload());
    return responses.json(200, response, call.traceId);
  }

  /**
   * Returns the AIK CA certificate, when TPM trust is configured.
   *
   * @return the certificate
   */
  public Optional<X509Certificate> aikCaCertificate() {
    AikEnrollment enrollment = aik;
    return enrollment == null ? Optional.empty() : Optional.of(enrollment.caCertificate());
  }

  // ---- shared look-ups ------------------------------------------------------------------------------------

  /** Resolves a tenant path segment ({@code common}, a tenant id or a domain); unknown → invalid_request. */
  Scope scope(String segment) throws Refusal {
    if (segment.equalsIgnoreCase("common") || segment.equalsIgnoreCase("organizations")) {
      return new Scope(null);
    }
    Optional<Tenant> tenant;
    if (Guids.isGuid(segment)) {
      tenant = tenant(UUID.fromString(segment));
    } else {
      tenant = tenantByDomain(segment);
    }
    return new Scope(tenant.orElseThrow(() -> new Refusal(ErrorKind.INVALID_REQUEST)));
  }

  /** A tenant by id, cached (tenants never change). */
  Optional<Tenant> tenant(UUID id) throws Refusal {
    Tenant hit = tenantsById.get(id);
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<Tenant> tenant = storeRead(() -> store.tenant(id));
    tenant.ifPresent(this::remember);
    return tenant;
  }

  /** A tenant by domain, cached. */
  Optional<Tenant> tenantByDomain(String domain) throws Refusal {
    String key = domain.toLowerCase(Locale.ROOT);
    Tenant hit = tenantsByDomain.get(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<Tenant> tenant = storeRead(() -> store.tenantByDomain(key));
    tenant.ifPresent(this::remember);
    return tenant;
  }

  private void remember(Tenant tenant) {
    tenantsById.put(tenant.id(), tenant);
    tenantsByDomain.put(tenant.domain().toLowerCase(Locale.ROOT), tenant);
  }

  Optional<User> user(UUID objectId) throws Refusal {
    return storeRead(() -> store.user(objectId));
  }

  Optional<Device> device(UUID deviceId) throws Refusal {
    return storeRead(() -> store.device(deviceId));
  }

  /** The device certificate's public key; a certificate that does not parse is an unknown device. */
  PublicKey deviceKey(Device device) throws Refusal {
    PublicKey key = keys.certificateKey(device.certificateThumbprint(), device.certificate());
    if (key == null) {
      throw new Refusal(ErrorKind.DEVICE_UNKNOWN);
    }
    return key;
  }

  /** The device's transport key (validated at join). */
  RSAPublicKey transportKey(Device device) throws Refusal {
    RSAPublicKey key = keys.rsa1Key("t:" + device.deviceId(), device.transportKey());
    if (key == null) {
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
    return key;
  }

  /** A registered key's public key. */
  RSAPublicKey userKey(RegisteredKey key) throws Refusal {
    RSAPublicKey parsed = keys.rsa1Key("k:" + key.keyIdentifier(), key.keyMaterial());
    if (parsed == null) {
      throw new Refusal(ErrorKind.KEY_NOT_REGISTERED);
    }
    return parsed;
  }

  /** A store read; a storage failure is a 500 (logged without request content). */
  <T> T storeRead(StoreCall<T> read) throws Refusal {
    try {
      return read.call();
    } catch (StoreException e) {
      log.warn("directory read failed: {}", e.getMessage());
      throw new Refusal(ErrorKind.SERVER_ERROR);
    }
  }

  /** A directory operation. */
  interface StoreCall<T> {
    T call() throws StoreException;
  }

  /**
   * Authenticates a device-signed JWT (RS256, x5c = the device certificate): looks the device up by the SHA-256
   * thumbprint of the presented certificate, requires it byte-equal to the stored one and enabled, and verifies
   * the signature with the stored certificate's key. The chain is never validated per request. Shared by the token
   * endpoint (PRT requests, device credentials) and AIK enrollment.
   */
  Device authenticateDevice(CompactJws jws, Set<String> allowedHeader) throws Refusal {
    if (!"RS256".equals(jws.alg())) {
      throw new Refusal(ErrorKind.DEVICE_SIGNATURE_INVALID);
    }
    byte[] certificate;
    try {
      if (!jws.headerOnly(allowedHeader)) {
        throw new Malformed("unexpected header member");
      }
      Object x5c = jws.header().get("x5c");
      if (x5c instanceof List<?> list && list.size() == 1) {
        x5c = list.get(0);
      }
      if (!(x5c instanceof String text)) {
        throw new Malformed("x5c is not one certificate");
      }
      certificate = Base64Strict.decodeStd(text);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    String thumbprint = HexFormat.of().formatHex(Jca.sha256(certificate));
    Device device = storeRead(() -> store.deviceByThumbprint(thumbprint))
        .orElseThrow(() -> new Refusal(ErrorKind.DEVICE_UNKNOWN));
    // The certificate is public: a plain (vectorised) comparison is enough, no constant-time one is needed.
    if (!Arrays.equals(device.certificate(), certificate)) {
      throw new Refusal(ErrorKind.DEVICE_UNKNOWN);
    }
    if (!device.enabled()) {
      throw new Refusal(ErrorKind.DEVICE_DISABLED);
    }
    PublicKey deviceKey = deviceKey(device);
    if (!jws.verifyRs256(deviceKey)) {
      throw new Refusal(ErrorKind.DEVICE_SIGNATURE_INVALID);
    }
    return device;
  }

  /** Verifies the {@code Authorization: Bearer} token for an audience. */
  AccessTokens.Claims bearer(Call call, String audience) throws Refusal {
    String header = call.request.header("Authorization").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new Refusal(ErrorKind.TOKEN_INVALID);
    }
    try {
      return accessTokens.verify(header.substring(7).trim(), audience);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.TOKEN_INVALID);
    }
  }

  /** Consumes a nonce, mapping the outcome to the contract's codes. */
  void consumeNonce(String nonce) throws Refusal {
    checkNonce(nonces.consume(nonce));
  }

  /** Maps a nonce outcome to the contract's codes (OK passes). */
  static void checkNonce(NonceService.Result outcome) throws Refusal {
    switch (outcome) {
      case OK -> {
        return;
      }
      case EXPIRED -> throw new Refusal(ErrorKind.NONCE_EXPIRED);
      case REPLAYED -> throw new Refusal(ErrorKind.NONCE_REPLAYED);
      case INVALID -> throw new Refusal(ErrorKind.NONCE_INVALID);
      case BUSY -> throw new Refusal(ErrorKind.UNAVAILABLE);
    }
  }

  /**
   * Returns the directory (for the admin surface).
   *
   * @return the store
   */
  public DirectoryStore store() {
    return store;
  }

  /**
   * Returns the service secrets (CA, token key).
   *
   * @return the secrets
   */
  public ServiceSecrets secrets() {
    return secrets;
  }

  /**
   * Returns the clock.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Issues a nonce (for tests and tools).
   *
   * @return the nonce
   */
  public String issueNonce() {
    return nonces.issue();
  }

  /** Clears the keys and closes the store if this engine owns it. */
  @Override
  public void close() {
    nonces.destroy();
    if (aik != null) {
      aik.destroy();
    }
    secrets.close();
    masterKey.close();
    if (ownsStore) {
      store.close();
    }
  }
}
