package dev.ngc4j.core.cloud;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.CloudAuthException;
import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.internal.cloud.DerivedKeyJwe;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.core.internal.cloud.WhfbAssertion;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.CloudAuthProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import dev.ngc4j.spi.UnlockedKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Entra ID device registration and PRT client: discovery (M0), device join (M2), Windows Hello for Business key
 * registration (M5) and withdrawal, nonce (M3), sign-in with the WHfB key (M6/M7), PRT renewal (M8), the PRT cookie
 * (M10) and the {@code x-ms-DeviceCredential}. The same client talks to Entra ID and to ngc4j's own
 * {@code sdk-server}; only the base URIs differ:
 *
 * <pre>{@code
 * EntraCloudClient cloud = EntraCloudClient.builder()
 *     .tenant("contoso.onmicrosoft.com")           // or the tenant GUID
 *     .stateDirectory(dataDir.resolve("cloud"))    // the joined device's id and certificate
 *     .build();                                    // Entra ID's public endpoints by default
 *
 * EntraCloudClient local = EntraCloudClient.builder()
 *     .tenant(tenantId)
 *     .baseUri(URI.create("https://127.0.0.1:8443")) // sdk-server: authority and registration on one host
 *     .sslContext(trustingTheServersCa)
 *     .stateDirectory(dir)
 *     .build();
 * }</pre>
 *
 * <h2>Keys</h2>
 *
 * <p>Private keys never reach this class. The device key signs the certificate request and the outer request JWT
 * through {@link DeviceKeys#signWithDeviceKey}; the user's WHfB key signs the inner assertion through its
 * {@link KeyContainer}, which asks for the user's gesture; the PRT session key is unwrapped by the provider
 * ({@link DeviceKeys#unwrapSessionKey}) and used through its {@link SessionKeyHandle}, for HS256 request signatures
 * (KDFv2 by default) and to decrypt renewal responses. Nonces, PRTs, assertions and access tokens are never logged
 * and never appear in exception messages.
 *
 * <h2>Network</h2>
 *
 * <p>Every request has a connect timeout and a request timeout that covers the whole response; responses over
 * 1 MiB are refused; redirects are never followed; HTTPS is required except to a loopback address. Only discovery
 * and nonce requests are retried (bounded, exponential back-off, a short {@code Retry-After} honoured), after a
 * connection failure, a timeout, HTTP 5xx or 429. A join, key registration, sign-in or renewal is sent exactly once.
 *
 * <h2>Errors</h2>
 *
 * <p>The directory's OAuth and DRS error responses become {@link CloudAuthException}s carrying the server code
 * ({@code AADSTS<n>}, else ngc4j's stable code) and an {@link ErrorCode} mapped from the stable code first, then the
 * AADSTS number: {@code MFA_REQUIRED}, {@code DEVICE_NOT_JOINED}, {@code KEY_NOT_REGISTERED},
 * {@code REGISTRATION_FAILED}, {@code ATTESTATION_INVALID}, otherwise {@code CLOUD_ERROR}. The well-known Entra codes
 * come with specific remedies.
 *
 * <h2>What is trusted</h2>
 *
 * <p>The {@code id_token} in a sign-in response is unsigned ({@code alg:none}): its claims, and the
 * authentication methods ({@code amr}) taken from it, are copied into the {@link PrimaryRefreshToken} for display
 * only and must never be used for a security decision. The PRT's expiry is computed from this client's clock.
 *
 * <p>Thread safety: safe for concurrent use. The {@link Builder} is not.
 *
 * @since 0.1.0
 */
@Experimental
public final class EntraCloudClient implements CloudAuthProvider {
  /** Entra ID's authority, the default. */
  public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com");

  /** Entra ID's device registration service, the default. */
  public static final URI DEFAULT_REGISTRATION_SERVICE = URI.create("https://enterpriseregistration.windows.net");

  /** The Windows broker's client id ({@code aad:brokerplugin}), used for PRT requests by default. */
  public static final String BROKER_CLIENT_ID = "38aa3b87-a06d-4817-b275-7a316988d93b";

  /** The device registration service's resource: the audience of join and key registration tokens. */
  public static final String DRS_RESOURCE = "urn:ms-drs:enterpriseregistration.windows.net";

  static final String DRS_APP_ID = "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9";
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final String SCOPE = WhfbAssertion.SCOPE;
  static final String BROKER_ISSUER = "aad:brokerplugin";
  static final Duration ASSERTION_LIFETIME = WhfbAssertion.LIFETIME;
  static final int MAX_NONCE_CHARS = 16 * 1024;
  static final int MAX_TOKEN_CHARS = 64 * 1024;
  static final long MAX_PRT_LIFETIME_SECONDS = 366L * 24 * 3600;

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]{0,253}");
  private static final Pattern NONCE = Pattern.compile("[\\x21-\\x7e]+");
  private static final Logger log = LoggerFactory.getLogger(EntraCloudClient.class);

  private final String tenant;
  private final URI authority;
  private final URI registrationService;
  private final HttpTransport transport;
  private final Clock clock;
  private final DerivedKeyJws.KdfVersion kdfVersion;
  private final boolean allowCbcResponses;
  private final String clientId;
  private final String deviceDisplayName;
  private final String deviceType;
  private final String osVersion;
  private final DeviceState state;
  private final AtomicReference<@Nullable EntraEndpoints> endpoints = new AtomicReference<>();

  private EntraCloudClient(Builder b, String tenant, Path stateDirectory) {
    this.tenant = tenant;
    this.authority = b.authority;
    this.registrationService = b.registrationService;
    this.transport = new HttpTransport(
        b.sslContext, b.connectTimeout, b.requestTimeout, b.maxRetries, b.initialBackoff, "ngc4j/0.1.0");
    this.clock = b.clock;
    this.kdfVersion = b.kdfVersion == 1 ? DerivedKeyJws.KdfVersion.V1 : DerivedKeyJws.KdfVersion.V2;
    this.allowCbcResponses = b.allowCbcResponses;
    this.clientId = b.clientId;
    this.deviceDisplayName = b.deviceDisplayName;
    this.deviceType = b.deviceType;
    this.osVersion = b.osVersion;
    this.state = new DeviceState(stateDirectory);
  }

  /**
   * Returns a builder.
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M0 discovery
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Asks the registration service where its endpoints are (M0, {@code GET {registration}/{tenant}/Discover}), and
   * remembers the answer for the following requests. When discovery fails (no answer, an error, a malformed body,
   * or endpoints outside the configured authority and registration service hosts, which are never trusted), the
   * fixed paths are used instead: {@code {registration}/EnrollmentServer/device/}, {@code .../key/},
   * {@code .../nonce/{tenant}/} and {@code {authority}/{tenant}/oauth2/token}. The other methods discover on first
   * use; call this to refresh.
   *
   * @return the endpoints in use from now on; {@link EntraEndpoints#discovered()} tells which kind
   * @throws NgcException {@code INTERRUPTED} only; every other failure falls back
   * @since 0.1.0
   */
  public EntraEndpoints discover() throws NgcException {
    EntraEndpoints found = tryDiscover();
    endpoints.set(found);
    return found;
  }

  private EntraEndpoints endpoints() throws NgcException {
    EntraEndpoints known = endpoints.get();
    return known != null ? known : discover();
  }

  private EntraEndpoints tryDiscover() throws NgcException {
    URI uri = URI.create(registrationService + "/" + tenant + "/Discover?api-version=1.9");
    HttpTransport.Response response;
    try {
      response = transport.send(transport.request(uri).GET().build(), HttpTransport.Retry.SAFE, "discovery");
    } catch (NgcException e) {
      if (e.code() == ErrorCode.INTERRUPTED) {
        throw e;
      }
      log.warn("Discovery at {} failed ({}); using the fixed endpoint paths", HttpTransport.origin(uri), e.detail());
      return fallback();
    }
    if (response.status() != 200) {
      log.warn("Discovery at {} answered HTTP {}; using the fixed endpoint paths", HttpTransport.origin(uri),
          response.status());
      return fallback();
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(response.body());
    } catch (Json.MalformedJsonException e) {
      log.warn("Discovery at {} answered with a body that is {}; using the fixed endpoint paths",
          HttpTransport.origin(uri), e.getMessage());
      return fallback();
    }
    EntraEndpoints fixed = fallback();
    Optional<URI> join = discovered(json, "DeviceJoinService", "JoinEndpoint");
    Optional<URI> key = discovered(json, "KeyProvisioningService", "KeyProvisionEndpoint");
    Optional<URI> nonce = discovered(json, "NonceService", "Endpoint");
    Optional<URI> token = Json.object(json, "AuthenticationService")
        .flatMap(a -> Json.object(a, "OAuth2"))
        .flatMap(o -> Json.string(o, "TokenEndpoint"))
        .flatMap(EntraCloudClient::parseUri);
    for (Optional<URI> u : List.of(join, key, nonce, token)) {
      if (u.isPresent() && !trusted(u.get())) {
        log.warn("Discovery at {} named an endpoint outside the configured authority and registration service "
            + "({}); ignoring the whole answer and using the fixed endpoint paths", HttpTransport.origin(uri),
            HttpTransport.origin(u.get()));
        return fixed;
      }
    }
    Optional<String> tenantId = Json.object(json, "TenantInfo").flatMap(t -> Json.string(t, "TenantId"))
        .filter(t -> TENANT.matcher(t).matches());
    return new EntraEndpoints(join.orElse(fixed.deviceJoin()), key.orElse(fixed.keyProvisioning()),
        nonce.orElse(fixed.drsNonce()), token.orElse(fixed.token()), tenantId, true);
  }

  private static Optional<URI> discovered(Map<String, Object> json, String service, String member) {
    return Json.object(json, service).flatMap(s -> Json.string(s, member)).flatMap(EntraCloudClient::parseUri);
  }

  private static Optional<URI> parseUri(String text) {
    try {
      URI u = new URI(text);
      return u.isAbsolute() && u.getHost() != null && u.getRawUserInfo() == null && u.getRawFragment() == null
          ? Optional.of(u)
          : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** Whether a discovered endpoint is on the configured authority's or registration service's origin. */
  private boolean trusted(URI uri) {
    return sameOrigin(uri, authority) || sameOrigin(uri, registrationService);
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && Objects.requireNonNull(a.getHost()).equalsIgnoreCase(Objects.requireNonNull(b.getHost()))
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private EntraEndpoints fallback() {
    return new EntraEndpoints(
        URI.create(registrationService + "/EnrollmentServer/device/"),
        URI.create(registrationService + "/EnrollmentServer/key/"),
        URI.create(registrationService + "/EnrollmentServer/nonce/" + tenant + "/"),
        URI.create(authority + "/" + tenant + "/oauth2/token"),
        Optional.empty(),
        false);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M2 join
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Joins the device (M2, Entra join, {@code JoinType 0}): sends a PKCS#10 request for the device key, signed through
   * the provider, and the transport key as an RSA1 public blob; checks that the certificate the service returns
   * holds the device key; and stores the device id and certificate in the state directory (atomically,
   * owner-only), replacing an earlier join.
   *
   * @param keys the provider's device keys
   * @param token an access token for the device registration service ({@value #DRS_RESOURCE}) of a user allowed to
   *     join devices
   * @return the device id the directory assigned (the certificate's subject CN)
   * @throws NgcException {@code CLOUD_ERROR} (a {@link CloudAuthException} with the server code when the service
   *     refused), {@code UNSUPPORTED} if the provider's keys are not RSA-2048, storage errors
   * @since 0.1.0
   */
  @Override
  public DeviceId joinDevice(DeviceKeys keys, AccessToken token) throws NgcException {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(token, "token");
    checkDrsAudience(token);
    PublicKey deviceKey = keys.deviceKey();
    byte[] transportBlob = Rsa1KeyBlob.encode(rsa(keys.transportKey(), "transport key"));
    rsa(deviceKey, "device key");
    byte[] csr = Csr.build(keys, deviceKey);
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("CertificateRequest", ordered("Type", "pkcs10", "Data", Jose.b64(csr)));
    request.put("TransportKey", Jose.b64(transportBlob));
    request.put("TargetDomain", Objects.requireNonNull(registrationService.getHost()));
    request.put("DeviceType", deviceType);
    request.put("OSVersion", osVersion);
    request.put("DeviceDisplayName", deviceDisplayName);
    request.put("JoinType", 0);
    request.put("Attributes", ordered("ReuseDevice", "true", "ReturnClientSid", "true"));
    HttpTransport.Response response = transport.send(
        transport.request(withQuery(endpoints().deviceJoin(), "api-version=2.0"))
            .header("Authorization", "Bearer " + token.value())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
            .build(),
        HttpTransport.Retry.NEVER, "device join");
    if (response.status() != 200 && response.status() != 201) {
      throw CloudErrors.fromResponse("device join", response, List.of(token.value()));
    }
    Map<String, Object> json = parse(response, "device join");
    Map<String, Object> certificate = Json.object(json, "Certificate")
        .orElseThrow(() -> malformed("device join", "it has no Certificate"));
    byte[] der;
    try {
      der = Base64.getDecoder().decode(Json.string(certificate, "RawBody")
          .orElseThrow(() -> malformed("device join", "it has no Certificate.RawBody")));
    } catch (IllegalArgumentException e) {
      throw malformed("device join", "its Certificate.RawBody is not base64");
    }
    JoinedDevice device = DeviceState.fromCertificate(der);
    if (!MessageDigest.isEqual(device.certificate().getPublicKey().getEncoded(), deviceKey.getEncoded())) {
      throw malformed("device join", "the certificate it returned is not for this device key");
    }
    Optional<String> thumbprint = Json.string(certificate, "Thumbprint");
    if (thumbprint.isPresent() && thumbprint.get().matches("[0-9A-Fa-f]{40}")
        && !thumbprint.get().equalsIgnoreCase(sha1Hex(der))) {
      throw malformed("device join", "its Certificate.Thumbprint does not match the certificate");
    }
    state.store(device, tenant);
    log.info("Joined this device to tenant {} as device {}", tenant, device.deviceId());
    return device.deviceId();
  }

  /**
   * Returns the joined device stored in the state directory.
   *
   * @return the device id and certificate, or empty if the device was never joined through this state directory
   * @throws NgcException {@code STORAGE_FAILURE} if the state cannot be read or is damaged
   * @since 0.1.0
   */
  public Optional<JoinedDevice> joinedDevice() throws NgcException {
    return state.load();
  }

  private JoinedDevice requireJoined(DeviceKeys keys) throws NgcException {
    JoinedDevice device = state.load().orElseThrow(() -> new NgcException(ErrorCode.DEVICE_NOT_JOINED,
        "No joined device is stored in " + state.file(), "join the device first (joinDevice)", null));
    if (!MessageDigest.isEqual(device.certificate().getPublicKey().getEncoded(), keys.deviceKey().getEncoded())) {
      throw new NgcException(ErrorCode.DEVICE_NOT_JOINED,
          "The stored device certificate (device " + device.deviceId() + ") is not for this provider's device key",
          "join the device again with this provider", null);
    }
    return device;
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M5 key registration and withdrawal
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Registers a Windows Hello for Business key (M5): {@code {"kngc": <RSA1 blob>}}. The token is checked locally
   * first, before any request: it must carry an MFA claim ({@code amr} with {@code ngcmfa} or {@code mfa}) and belong
   * to the registration's user. When the service reports the key's {@code keyIdentifier}, it must be the SHA-256 of
   * the blob. An attestation statement is sent as the ngc4j service's {@code attestation} member
   * ({@code fmt}, {@code x5c}, {@code certInfo}, {@code pubArea}, {@code sig}, {@code nonce}).
   *
   * @param registration the key, its user and the user's access token for the registration service
   * @throws NgcException {@code MFA_REQUIRED} (a {@link PolicyException}, locally) if the token has no MFA claim;
   *     {@code REGISTRATION_FAILED} if the token is another user's or the service refused the key;
   *     {@code UNSUPPORTED} for a key that is not RSA of at least 2048 bits; the mapped {@link CloudAuthException}
   *     when the service refused
   * @since 0.1.0
   */
  @Override
  public void registerKey(KeyRegistration registration) throws NgcException {
    Objects.requireNonNull(registration, "registration");
    AccessToken token = registration.token();
    if (!token.hasMfaClaim()) {
      throw new PolicyException(ErrorCode.MFA_REQUIRED,
          "The access token of " + token.subject() + " has no multi-factor claim (amr " + new java.util.TreeSet<>(
              token.authenticationMethods()) + "); the directory registers Windows Hello keys only after MFA",
          "obtain the token with multi-factor authentication (amr ngcmfa or mfa, for example with "
              + "amr_values=ngcmfa), then provision again",
          null);
    }
    if (!token.subject().equals(registration.user())) {
      throw new NgcException(ErrorCode.REGISTRATION_FAILED,
          "The access token is " + token.subject() + "'s, not " + registration.user() + "'s",
          "obtain the token as the user whose key is registered", null);
    }
    checkDrsAudience(token);
    RSAPublicKey key = rsa(registration.publicKey(), "credential key");
    if (!KeyId.of(key).equals(registration.keyId())) {
      throw new IllegalArgumentException("the registration's key id is not the id of its public key");
    }
    byte[] blob = Rsa1KeyBlob.encode(key);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kngc", Jose.b64(blob));
    if (registration.attestation().isPresent()) {
      body.put("attestation", attestationJson(registration.attestation().get(),
          registration.attestationNonce().orElseThrow()));
    }
    HttpTransport.Response response = transport.send(
        transport.request(withQuery(endpoints().keyProvisioning(), "api-version=1.0"))
            .header("Authorization", "Bearer " + token.value())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build(),
        HttpTransport.Retry.NEVER, "key registration");
    if (response.status() != 200 && response.status() != 201) {
      throw CloudErrors.fromResponse("key registration", response, List.of(token.value()));
    }
    Map<String, Object> json = parse(response, "key registration");
    Optional<String> keyIdentifier = Json.string(json, "keyIdentifier");
    if (keyIdentifier.isPresent() && !keyIdentifier.get().equals(Jose.b64(sha256(blob)))) {
      throw new CloudAuthException(ErrorCode.REGISTRATION_FAILED, null,
          "The key registration answer names another key (keyIdentifier does not match the key sent)",
          "check that the registration service URI points at the directory, then provision again", null);
    }
    log.info("Registered key {} for {}", registration.keyId().shortForm(), registration.user());
  }

  /**
   * Withdraws a registered key: {@code DELETE {key endpoint}/{keyId}} with the key's base64url id, the ngc4j
   * service's extension of the protocol. A key the service does not know (HTTP 404) counts as withdrawn.
   *
   * @param user the user
   * @param keyId the key
   * @param token the user's access token for the registration service
   * @throws NgcException the mapped {@link CloudAuthException} when the service refused
   * @since 0.1.0
   */
  @Override
  public void unregisterKey(UserPrincipal user, KeyId keyId, AccessToken token) throws NgcException {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(token, "token");
    String base = endpoints().keyProvisioning().toString();
    int query = base.indexOf('?');
    String path = query < 0 ? base : base.substring(0, query);
    URI uri = URI.create((path.endsWith("/") ? path : path + "/") + keyId.toBase64Url() + "?api-version=1.0");
    HttpTransport.Response response = transport.send(
        transport.request(uri).header("Authorization", "Bearer " + token.value()).DELETE().build(),
        HttpTransport.Retry.NEVER, "key withdrawal");
    if (response.status() == 404) {
      log.debug("key {} of {} was not registered; nothing to withdraw", keyId.shortForm(), user);
      return;
    }
    if (!response.isSuccess()) {
      throw CloudErrors.fromResponse("key withdrawal", response, List.of(token.value()));
    }
    log.info("Withdrew key {} of {}", keyId.shortForm(), user);
  }

  private static Map<String, Object> attestationJson(AttestationStatement statement, String nonce)
      throws NgcException {
    List<String> x5c = new ArrayList<>();
    for (X509Certificate certificate : statement.certificateChain()) {
      try {
        x5c.add(Jose.b64(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new NgcException(ErrorCode.ATTESTATION_INVALID, "An attestation certificate cannot be encoded",
            "enrol the attestation key again", e);
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("fmt", statement.format().id());
    json.put("x5c", x5c);
    json.put("certInfo", Jose.b64(statement.certifiedKey().toByteArray()));
    json.put("pubArea", Jose.b64(statement.keyPublicArea().toByteArray()));
    json.put("sig", Jose.b64(statement.signature().toByteArray()));
    json.put("nonce", nonce);
    return json;
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Attestation: registration nonce and attestation-key enrolment (ngc4j service extensions)
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Gets a registration nonce from the registration service's nonce endpoint ({@code GET .../nonce/{tenant}/},
   * answer {@code {"Value": nonce}}); retried on transient failures.
   *
   * @return the nonce
   * @throws NgcException {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  @Override
  public String attestationNonce() throws NgcException {
    HttpTransport.Response response = transport.send(
        transport.request(endpoints().drsNonce()).GET().build(), HttpTransport.Retry.SAFE, "registration nonce");
    if (response.status() != 200) {
      throw CloudErrors.fromResponse("registration nonce", response, List.of());
    }
    String nonce = Json.string(parse(response, "registration nonce"), "Value")
        .orElseThrow(() -> malformed("registration nonce", "it has no Value"));
    if (nonce.length() > MAX_NONCE_CHARS || !NONCE.matcher(nonce).matches()) {
      throw malformed("registration nonce", "its Value is empty, too long or not printable ASCII");
    }
    return nonce;
  }

  /**
   * Has the ngc4j service certify the device's attestation key: {@code POST /EnrollmentServer/aik/challenge} with
   * the EK certificate and the EK's and AK's public areas, then TPM2_ActivateCredential through the provider, then
   * {@code POST /EnrollmentServer/aik/certificate} with the recovered secret; both requests are JWTs signed with
   * the device key ({@code x5c} = the device certificate). The chain returned must certify the AK's key.
   *
   * @param enrollment the provider's attestation key
   * @param keys the device keys
   * @return the AK certificate chain, AK certificate first
   * @throws NgcException {@code DEVICE_NOT_JOINED}; {@code ATTESTATION_INVALID} when the service refuses the TPM or
   *     returns a certificate for another key; the mapped {@link CloudAuthException}; {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  @Override
  public List<X509Certificate> enrollAttestationKey(AttestationKeyEnrollment enrollment, DeviceKeys keys)
      throws NgcException {
    Objects.requireNonNull(enrollment, "enrollment");
    Objects.requireNonNull(keys, "keys");
    JoinedDevice device = requireJoined(keys);
    String akPub = Jose.b64(enrollment.attestationKeyPublicArea().toByteArray());
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("ek_cert", Jose.b64(enrollment.endorsementCertificate().toByteArray()));
    first.put("ek_pub", Jose.b64(enrollment.endorsementKeyPublicArea().toByteArray()));
    first.put("ak_pub", akPub);
    Map<String, Object> challenge = aikRequest(keys, device, "challenge", first);
    String opaque = Json.string(challenge, "challenge")
        .orElseThrow(() -> malformed("attestation key challenge", "it has no challenge"));
    Bytes secret;
    try {
      secret = enrollment.activateCredential(
          Bytes.of(Base64.getDecoder().decode(Json.string(challenge, "credential_blob")
              .orElseThrow(() -> malformed("attestation key challenge", "it has no credential_blob")))),
          Bytes.of(Base64.getDecoder().decode(Json.string(challenge, "encrypted_secret")
              .orElseThrow(() -> malformed("attestation key challenge", "it has no encrypted_secret")))));
    } catch (IllegalArgumentException e) {
      throw malformed("attestation key challenge", "a blob is not base64");
    }
    Map<String, Object> second = new LinkedHashMap<>();
    second.put("challenge", opaque);
    second.put("secret", Jose.b64(secret.toByteArray()));
    second.put("ak_pub", akPub);
    Map<String, Object> issued = aikRequest(keys, device, "certificate", second);
    Object x5c = issued.get("x5c");
    if (!(x5c instanceof List<?> list) || list.isEmpty() || list.size() > 4) {
      throw malformed("attestation key certificate", "its x5c is not a short non-empty array");
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw malformed("attestation key certificate", "its x5c holds a non-string");
        }
        chain.add((X509Certificate) factory.generateCertificate(
            new java.io.ByteArrayInputStream(Base64.getDecoder().decode(text))));
      }
    } catch (java.security.cert.CertificateException | IllegalArgumentException e) {
      throw malformed("attestation key certificate", "its x5c does not hold X.509 certificates");
    }
    log.info("The service certified device {}'s attestation key", device.deviceId());
    return List.copyOf(chain);
  }

  private Map<String, Object> aikRequest(
      DeviceKeys keys, JoinedDevice device, String step, Map<String, Object> claims) throws NgcException {
    String operation = "attestation key " + step;
    long now = clock.instant().getEpochSecond();
    Map<String, Object> payload = new LinkedHashMap<>(claims);
    payload.put("iat", now);
    payload.put("exp", now + 300);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5c", List.of(Jose.b64(encoded(device))));
    String request = deviceSigned(keys, device, header, payload);
    URI join = endpoints().deviceJoin();
    URI uri = URI.create(join.getScheme() + "://" + join.getRawAuthority() + "/EnrollmentServer/aik/" + step);
    HttpTransport.Response response = transport.send(
        transport.request(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("request", request))))
            .build(),
        HttpTransport.Retry.NEVER, operation);
    if (response.status() != 200) {
      throw CloudErrors.fromResponse(operation, response, List.of(request));
    }
    return parse(response, operation);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M3 nonce
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Gets a fresh nonce from the token endpoint (M3, {@code grant_type=srv_challenge}); retried on transient
   * failures.
   *
   * @return the nonce, the ASCII bytes of the opaque string the service sent
   * @throws NgcException {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  @Override
  public Bytes nonce() throws NgcException {
    return Bytes.of(fetchNonce().getBytes(StandardCharsets.US_ASCII));
  }

  private String fetchNonce() throws NgcException {
    HttpTransport.Response response = transport.send(
        form(endpoints().token(), ordered("grant_type", "srv_challenge")), HttpTransport.Retry.SAFE, "nonce request");
    if (response.status() != 200) {
      throw CloudErrors.fromResponse("nonce request", response, List.of());
    }
    Map<String, Object> json = parse(response, "nonce request");
    String nonce = Json.string(json, "Nonce").orElseThrow(() -> malformed("nonce request", "it has no Nonce"));
    if (nonce.length() > MAX_NONCE_CHARS || !NONCE.matcher(nonce).matches()) {
      throw malformed("nonce request", "its Nonce is empty, too long or not printable ASCII");
    }
    return nonce;
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M6/M7 sign-in
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Signs in with the user's Windows Hello key and returns a PRT (M6, M7). The container is unlocked first (the
   * user's gesture), then one fresh nonce is fetched and goes into both JWTs. The inner assertion ({@code kid} = standard base64 of the SHA-256 of the key's RSA1 blob, {@code use:"ngc"},
   * {@code iss} = the UPN, {@code aud:"common"}, a five-minute validity) is signed by the container after the user's
   * gesture; the outer request ({@code x5c} = the device certificate, {@code kdf_ver:2} unless KDFv1 was chosen) is
   * signed with the device key. The response's {@code session_key_jwe} is split strictly (five base64url segments,
   * header exactly {@code alg} RSA-OAEP or RSA-OAEP-256 and {@code enc} A256GCM) and handed to the provider, which
   * unwraps and authenticates the session key and keeps it.
   *
   * <p>The PRT's {@link PrimaryRefreshToken#claims() claims} and {@link PrimaryRefreshToken#authenticationMethods()
   * authentication methods} come from the unsigned {@code id_token}: for display only.
   *
   * @param container the user's container; its user is the UPN signed in
   * @param gestures where the container gets the user's gesture
   * @param keys the device keys
   * @return the PRT, expiring {@code refresh_token_expires_in} seconds from now by this client's clock
   * @throws NgcException {@code DEVICE_NOT_JOINED} if no join is stored or it is for another device key; gesture
   *     errors from the container; the mapped {@link CloudAuthException} (for example {@code KEY_NOT_REGISTERED})
   *     when the service refused; {@code CLOUD_ERROR} for a malformed response or a session key that does not unwrap
   * @since 0.1.0
   */
  @Override
  public PrimaryRefreshToken signIn(KeyContainer container, GestureSource gestures, DeviceKeys keys)
      throws NgcException {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(gestures, "gestures");
    Objects.requireNonNull(keys, "keys");
    JoinedDevice device = requireJoined(keys);
    UserPrincipal user = container.user();
    RSAPublicKey userKey = rsa(container.publicKey(), "credential key");
    String kid = WhfbAssertion.kid(userKey);
    String nonce;
    WhfbAssertion.Signed inner;
    // The gesture first, then the nonce: a user who takes a while to answer does not use up the nonce's lifetime.
    try (UnlockedKey unlocked = container.unlock(gestures)) {
      nonce = fetchNonce();
      inner = WhfbAssertion.sign(unlocked, kid, user.upn(), clock.instant().getEpochSecond(), nonce);
    }
    checkSignature(userKey, inner.signingInput(), inner.signature(), "credential key");
    String assertion = inner.compact();

    Map<String, Object> outerHeader = new LinkedHashMap<>();
    outerHeader.put("alg", "RS256");
    outerHeader.put("typ", "JWT");
    outerHeader.put("x5c", List.of(Jose.b64(encoded(device))));
    if (kdfVersion == DerivedKeyJws.KdfVersion.V2) {
      outerHeader.put("kdf_ver", 2);
    }
    Map<String, Object> outerPayload = new LinkedHashMap<>();
    outerPayload.put("client_id", clientId);
    outerPayload.put("request_nonce", nonce);
    outerPayload.put("scope", SCOPE);
    outerPayload.put("grant_type", JWT_BEARER);
    outerPayload.put("assertion", assertion);
    outerPayload.put("username", user.upn());
    String request = deviceSigned(keys, device, outerHeader, outerPayload);

    Map<String, String> form = ordered(
        "windows_api_version", "2.0", "grant_type", JWT_BEARER, "request", request, "client_info", "1");
    HttpTransport.Response response =
        transport.send(form(endpoints().token(), form), HttpTransport.Retry.NEVER, "sign-in");
    List<String> secrets = List.of(request, assertion, nonce);
    if (response.status() != 200) {
      throw CloudErrors.fromResponse("sign-in", response, secrets);
    }
    Map<String, Object> json = parse(response, "sign-in");
    String refreshToken = token(json, "sign-in");
    long lifetime = lifetime(json, "sign-in")
        .orElseThrow(() -> malformed("sign-in", "it has no valid refresh_token_expires_in"));
    SessionKeyEnvelope envelope = Jose.sessionKeyEnvelope(Json.string(json, "session_key_jwe")
        .orElseThrow(() -> malformed("sign-in", "it has no session_key_jwe")));
    Jose.IdToken idToken = Jose.readIdToken(Json.string(json, "id_token").orElse(null));
    SessionKeyHandle sessionKey = keys.unwrapSessionKey(envelope);
    try {
      Instant issued = clock.instant();
      PrimaryRefreshToken prt = new PrimaryRefreshToken(refreshToken, user, issued.plusSeconds(lifetime), sessionKey,
          issued, idToken.authenticationMethods(), idToken.claims());
      log.info("Signed in {} on device {} (PRT until {})", user, device.deviceId(), prt.expiresAt());
      return prt;
    } catch (RuntimeException e) {
      sessionKey.close();
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M8 renewal
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Renews a PRT (M8): an HS256 request signed with a key the session key handle derives (KDFv2 by default: the
   * context is SHA-256 of 24 random ctx bytes and the exact payload), whose response is a JWE decrypted with the
   * KDFv1 key of its header's ctx, derived through the same handle (AES-256-GCM; the unauthenticated CBC form only
   * when {@link Builder#allowCbcResponses(boolean)} allows it). The new PRT keeps the same session key handle; its
   * expiry is {@code refresh_token_expires_in} from now, or the old PRT's when the response omits it. Claims and
   * authentication methods come from the response's unsigned {@code id_token} if it has one (display only), else
   * from the old PRT.
   *
   * @param prt the PRT
   * @param keys the device keys (not needed: the session key handle is in the PRT)
   * @return the new PRT
   * @throws NgcException the mapped {@link CloudAuthException} when the service refused; {@code CLOUD_ERROR} for a
   *     response that does not decrypt or parse
   * @throws IllegalStateException if the PRT's session key handle was closed
   * @since 0.1.0
   */
  @Override
  public PrimaryRefreshToken renew(PrimaryRefreshToken prt, DeviceKeys keys) throws NgcException {
    Objects.requireNonNull(prt, "prt");
    Objects.requireNonNull(keys, "keys");
    String nonce = fetchNonce();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("client_id", clientId);
    payload.put("request_nonce", nonce);
    payload.put("scope", SCOPE);
    payload.put("iss", BROKER_ISSUER);
    payload.put("grant_type", "refresh_token");
    payload.put("refresh_token", prt.token());
    payload.put("previous_refresh_token", prt.token());
    String request = DerivedKeyJws.sign(utf8(payload), prt.sessionKey(), kdfVersion);
    Map<String, String> form = ordered(
        "windows_api_version", "2.2", "grant_type", JWT_BEARER, "request", request, "client_info", "1");
    HttpTransport.Response response =
        transport.send(form(endpoints().token(), form), HttpTransport.Retry.NEVER, "PRT renewal");
    List<String> secrets = List.of(request, prt.token(), nonce);
    if (response.status() != 200) {
      throw CloudErrors.fromResponse("PRT renewal", response, secrets);
    }
    String body = new String(response.body(), StandardCharsets.US_ASCII).strip();
    if (body.startsWith("{")) {
      throw malformed("PRT renewal", "it is plain JSON, not encrypted under the session key");
    }
    byte[] plaintext = DerivedKeyJwe.decrypt(body, prt.sessionKey(), allowCbcResponses);
    Map<String, Object> json;
    try {
      json = Json.parseObject(plaintext);
    } catch (Json.MalformedJsonException e) {
      throw malformed("PRT renewal", "its decrypted content is " + e.getMessage());
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
    String refreshToken = token(json, "PRT renewal");
    Instant issued = clock.instant();
    Instant expires = lifetime(json, "PRT renewal").map(issued::plusSeconds).orElse(prt.expiresAt());
    if (json.containsKey("session_key_jwe")) {
      log.debug("the PRT renewal response carries a session_key_jwe; keeping the session key, as the protocol says");
    }
    Jose.IdToken idToken = Jose.readIdToken(Json.string(json, "id_token").orElse(null));
    List<String> amr = idToken.authenticationMethods().isEmpty()
        ? prt.authenticationMethods() : idToken.authenticationMethods();
    Map<String, String> claims = idToken.claims().isEmpty() ? prt.claims() : idToken.claims();
    log.debug("Renewed the PRT of {} (until {})", prt.user(), expires);
    return new PrimaryRefreshToken(refreshToken, prt.user(), expires, prt.sessionKey(), issued, amr, claims);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // M10 PRT cookie and the device credential
  // ------------------------------------------------------------------------------------------------------------------

  /**
   * Makes a PRT cookie (M10, {@code x-ms-RefreshTokenCredential}) for browser single sign-on: an HS256 JWT with the
   * PRT, {@code is_primary:"true"} and a fresh nonce, signed with a key derived through the session key handle
   * (KDFv2 by default). Send it as the {@code x-ms-RefreshTokenCredential} header or cookie of an
   * {@code /oauth2/authorize} request; it is a bearer secret valid for a few minutes.
   *
   * @param prt the PRT
   * @return the cookie value
   * @throws NgcException {@code CLOUD_ERROR} if no nonce could be obtained
   * @throws IllegalStateException if the PRT's session key handle was closed
   * @since 0.1.0
   */
  @Override
  public String prtCookie(PrimaryRefreshToken prt) throws NgcException {
    Objects.requireNonNull(prt, "prt");
    String nonce = fetchNonce();
    Map<String, String> payload = ordered("refresh_token", prt.token(), "is_primary", "true", "request_nonce", nonce);
    return DerivedKeyJws.sign(utf8(payload), prt.sessionKey(), kdfVersion);
  }

  /**
   * Makes an {@code x-ms-DeviceCredential}: an RS256 JWT signed with the device key, header {@code x5c} = the
   * device certificate, payload {@code grant_type:"device_auth"}, {@code iss:"aad:brokerplugin"} and a fresh nonce.
   * The ngc4j service's test identity source takes it as {@code device_credential} to put the device id in the access
   * tokens it issues.
   *
   * @param keys the device keys
   * @return the credential, a bearer secret valid as long as its nonce
   * @throws NgcException {@code DEVICE_NOT_JOINED} if no join is stored or it is for another device key;
   *     {@code CLOUD_ERROR} if no nonce could be obtained
   * @since 0.1.0
   */
  public String deviceCredential(DeviceKeys keys) throws NgcException {
    Objects.requireNonNull(keys, "keys");
    JoinedDevice device = requireJoined(keys);
    String nonce = fetchNonce();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5c", List.of(Jose.b64(encoded(device))));
    Map<String, String> payload =
        ordered("grant_type", "device_auth", "iss", BROKER_ISSUER, "request_nonce", nonce);
    return deviceSigned(keys, device, header, payload);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------------------------------

  private static String deviceSigned(
      DeviceKeys keys, JoinedDevice device, Map<String, ?> header, Map<String, ?> payload)
      throws NgcException {
    String input = Jose.signingInput(header, utf8(payload));
    byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, ascii(input));
    checkSignature(device.certificate().getPublicKey(), input, signature, "device key");
    return input + '.' + Jose.b64url(signature);
  }

  /** Checks a provider's signature before it is sent: a provider signing with the wrong key is caught here. */
  private static void checkSignature(PublicKey key, String input, byte[] signature, String which)
      throws NgcException {
    try {
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(key);
      v.update(ascii(input));
      if (v.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // falls through to the failure
    }
    throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
        "The provider's " + which + " signature does not verify with its public key",
        "check the provider; provision the credential or join the device again if its key is damaged", null);
  }

  /**
   * Refuses, before any request, an access token that is a readable JWT whose {@code aud} is neither the device
   * registration service's resource nor its application id. Opaque tokens are left to the service.
   */
  private static void checkDrsAudience(AccessToken token) throws NgcException {
    List<String> parts = Jose.split(token.value());
    if (parts.size() != 3) {
      return;
    }
    Map<String, Object> claims;
    try {
      claims = Json.parseObject(Bytes.fromBase64Url(parts.get(1)).toByteArray());
    } catch (IllegalArgumentException | Json.MalformedJsonException e) {
      return;
    }
    Object aud = claims.get("aud");
    Collection<?> audiences = aud instanceof String s ? List.of(s) : aud instanceof List<?> l ? l : null;
    if (audiences == null) {
      return;
    }
    for (Object a : audiences) {
      if (DRS_RESOURCE.equals(a) || DRS_APP_ID.equals(a)) {
        return;
      }
    }
    throw new NgcException(ErrorCode.CLOUD_ERROR,
        "The access token is for " + CloudErrors.sanitize(String.valueOf(aud), List.of(token.value()), 120)
            + ", not for the device registration service",
        "obtain the token for the resource " + DRS_RESOURCE, null);
  }

  private HttpRequest form(URI uri, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
    }
    return transport.request(uri)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.US_ASCII))
        .build();
  }

  private static URI withQuery(URI base, String query) {
    String s = base.toString();
    return URI.create(s + (base.getRawQuery() == null ? "?" : "&") + query);
  }

  private static Map<String, Object> parse(HttpTransport.Response response, String operation) throws NgcException {
    try {
      return Json.parseObject(response.body());
    } catch (Json.MalformedJsonException e) {
      throw malformed(operation, "its body is " + e.getMessage());
    }
  }

  /** The refresh token of a sign-in or renewal response: a non-empty string of printable ASCII, bounded. */
  private static String token(Map<String, Object> json, String operation) throws NgcException {
    String token = Json.string(json, "refresh_token")
        .orElseThrow(() -> malformed(operation, "it has no refresh_token"));
    if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !NONCE.matcher(token).matches()) {
      throw malformed(operation, "its refresh_token is empty, too long or not printable ASCII");
    }
    return token;
  }

  private static Optional<Long> lifetime(Map<String, Object> json, String operation) throws NgcException {
    if (!json.containsKey("refresh_token_expires_in")) {
      return Optional.empty();
    }
    Optional<Long> seconds = Json.integer(json, "refresh_token_expires_in");
    if (seconds.isEmpty() || seconds.get() < 1 || seconds.get() > MAX_PRT_LIFETIME_SECONDS) {
      throw malformed(operation, "its refresh_token_expires_in is not a number of seconds up to a year");
    }
    return seconds;
  }

  private static NgcException malformed(String operation, String why) {
    return new CloudAuthException(ErrorCode.CLOUD_ERROR, null,
        "The " + operation + " response is not usable: " + why,
        "check that the authority and registration service URIs point at the directory; retry", null);
  }

  private static RSAPublicKey rsa(PublicKey key, String which) throws NgcException {
    if (key instanceof RSAPublicKey rsa) {
      return rsa;
    }
    throw new NgcException(ErrorCode.UNSUPPORTED, "The " + which + " is " + key.getAlgorithm() + ", not RSA",
        "use a provider with RSA-2048 keys", null);
  }

  private static byte[] encoded(JoinedDevice device) throws NgcException {
    try {
      return device.certificate().getEncoded();
    } catch (CertificateEncodingException e) {
      throw new NgcException(ErrorCode.STORAGE_FAILURE, "The stored device certificate cannot be encoded", e);
    }
  }

  /** Returns the alternating names and values as a map in that order. */
  private static Map<String, String> ordered(String... namesAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return m;
  }

  private static byte[] utf8(Map<String, ?> json) {
    return Json.write(json).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String sha1Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "EntraCloudClient[tenant=" + tenant + ", authority=" + authority + ", registration=" + registrationService
        + ", kdf=" + kdfVersion + "]";
  }

  /**
   * Builds an {@link EntraCloudClient}. The tenant and the state directory are required; everything else has a
   * default suited to Entra ID.
   *
   * <p>Thread safety: not thread-safe.
   *
   * @since 0.1.0
   */
  @Experimental
  public static final class Builder {
    private @Nullable String tenant;
    private URI authority = DEFAULT_AUTHORITY;
    private URI registrationService = DEFAULT_REGISTRATION_SERVICE;
    private @Nullable Path stateDirectory;
    private @Nullable SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxRetries = 2;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Clock clock = Clock.systemUTC();
    private int kdfVersion = 2;
    private boolean allowCbcResponses;
    private String clientId = BROKER_CLIENT_ID;
    private String deviceDisplayName = "ngc4j-device";
    private String deviceType = nonEmpty(System.getProperty("os.name"), "Linux");
    private String osVersion = nonEmpty(System.getProperty("os.version"), "0.0");

    private Builder() {}

    private static String nonEmpty(@Nullable String value, String fallback) {
      return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Sets the tenant: its id (a GUID) or one of its verified domains. Required.
     *
     * @param tenant the tenant id or domain
     * @return this builder
     * @throws IllegalArgumentException if it is neither
     * @since 0.1.0
     */
    public Builder tenant(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (!TENANT.matcher(tenant).matches()) {
        throw new IllegalArgumentException("the tenant must be a GUID or a domain name");
      }
      this.tenant = tenant;
      return this;
    }

    /**
     * Sets the authority (the token endpoint's host). Default {@code https://login.microsoftonline.com}.
     *
     * @param authority an absolute {@code https} URI (plain {@code http} only to a loopback address), no query
     * @return this builder
     * @since 0.1.0
     */
    public Builder authority(URI authority) {
      this.authority = base(authority, "authority");
      return this;
    }

    /**
     * Sets the device registration service. Default {@code https://enterpriseregistration.windows.net}.
     *
     * @param registrationService an absolute {@code https} URI (plain {@code http} only to a loopback address)
     * @return this builder
     * @since 0.1.0
     */
    public Builder registrationService(URI registrationService) {
      this.registrationService = base(registrationService, "registrationService");
      return this;
    }

    /**
     * Points both the authority and the registration service at one base URI, as ngc4j's {@code sdk-server} serves
     * both.
     *
     * @param base the service's base URI, as it prints at start
     * @return this builder
     * @since 0.1.0
     */
    public Builder baseUri(URI base) {
      URI b = base(base, "base");
      this.authority = b;
      this.registrationService = b;
      return this;
    }

    /**
     * Sets where the joined device's id and certificate are kept (created owner-only if missing). Required.
     *
     * @param stateDirectory the directory
     * @return this builder
     * @since 0.1.0
     */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory").toAbsolutePath().normalize();
      return this;
    }

    /**
     * Sets the TLS context, for example one that trusts a test service's CA. Default: the JDK's default trust.
     *
     * @param sslContext the context
     * @return this builder
     * @since 0.1.0
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Sets the connect timeout. Default 10 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     * @since 0.1.0
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * Sets the timeout of each request attempt, covering the whole response. Default 30 seconds.
     *
     * @param timeout a positive duration
     * @return this builder
     * @since 0.1.0
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Sets the retries of discovery and nonce requests (never of other requests): at most {@code maxRetries} more
     * attempts, after a random delay between half and all of {@code initialBackoff}, doubling each time (at most
     * 10 seconds). Default 2 retries, 500 ms.
     *
     * @param maxRetries 0 to 10
     * @param initialBackoff 0 to 1 minute
     * @return this builder
     * @since 0.1.0
     */
    public Builder retries(int maxRetries, Duration initialBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be 0 to 10");
      }
      if (initialBackoff.isNegative() || initialBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("initialBackoff must be 0 to 1 minute");
      }
      this.maxRetries = maxRetries;
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * Sets the clock for JWT times and PRT expiry. Default the system clock.
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
     * Sets the session-key derivation version of HS256 requests (renewal, PRT cookie) and whether sign-in announces
     * {@code kdf_ver:2}. Default 2; Entra ID rejects version 1 in some flows (AADSTS5000611).
     *
     * @param version 1 or 2
     * @return this builder
     * @since 0.1.0
     */
    public Builder kdfVersion(int version) {
      if (version != 1 && version != 2) {
        throw new IllegalArgumentException("the KDF version is 1 or 2");
      }
      this.kdfVersion = version;
      return this;
    }

    /**
     * Sets whether renewal responses in the unauthenticated AES-CBC form (16-byte IV, no tag) are accepted. Default
     * false: only AES-256-GCM. Allow it only for a service known to send it.
     *
     * @param allow true to accept the CBC form
     * @return this builder
     * @since 0.1.0
     */
    public Builder allowCbcResponses(boolean allow) {
      this.allowCbcResponses = allow;
      return this;
    }

    /**
     * Sets the client id of PRT requests. Default {@value EntraCloudClient#BROKER_CLIENT_ID}, the Windows broker.
     *
     * @param clientId a GUID
     * @return this builder
     * @since 0.1.0
     */
    public Builder clientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      UUID.fromString(clientId);
      if (clientId.length() != 36) {
        throw new IllegalArgumentException("the client id must be a GUID");
      }
      this.clientId = clientId.toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Sets the name the directory shows for the device. Default {@code ngc4j-device}; the host name is a good choice.
     *
     * @param name 1 to 256 characters, no control characters
     * @return this builder
     * @since 0.1.0
     */
    public Builder deviceDisplayName(String name) {
      this.deviceDisplayName = text(name, "deviceDisplayName");
      return this;
    }

    /**
     * Sets the device type the join reports. Default the JVM's {@code os.name}.
     *
     * @param type 1 to 256 characters, no control characters
     * @return this builder
     * @since 0.1.0
     */
    public Builder deviceType(String type) {
      this.deviceType = text(type, "deviceType");
      return this;
    }

    /**
     * Sets the OS version the join reports. Default the JVM's {@code os.version}.
     *
     * @param version 1 to 256 characters, no control characters
     * @return this builder
     * @since 0.1.0
     */
    public Builder osVersion(String version) {
      this.osVersion = text(version, "osVersion");
      return this;
    }

    /**
     * Builds the client. No request is sent until a method needs one.
     *
     * @return the client
     * @throws IllegalStateException if the tenant or the state directory is missing
     * @since 0.1.0
     */
    public EntraCloudClient build() {
      if (tenant == null) {
        throw new IllegalStateException("set the tenant");
      }
      if (stateDirectory == null) {
        throw new IllegalStateException("set the state directory");
      }
      return new EntraCloudClient(this, tenant, stateDirectory);
    }

    private static URI base(URI uri, String name) {
      Objects.requireNonNull(uri, name);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost();
      if (!uri.isAbsolute() || host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(name + " must be an absolute URI with a host and no query: " + uri);
      }
      boolean loopback = host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
          || host.startsWith("127.");
      if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
        throw new IllegalArgumentException(name + " must use https (plain http only to a loopback address): " + uri);
      }
      String s = uri.toString();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      return URI.create(s);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }

    private static String text(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isEmpty() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(name + " must be 1 to 256 characters without control characters");
      }
      return value;
    }
  }
}
