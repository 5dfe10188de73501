package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.DerivedKeyJwe;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.crypto.PasswordHasher;
import dev.ngc4j.server.internal.crypto.SessionKeyJwe;
import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.internal.token.AuthCode;
import dev.ngc4j.server.internal.token.CompactJws;
import dev.ngc4j.server.internal.token.Prt;
import dev.ngc4j.server.internal.token.ReplayCache;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.FormBody;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The OAuth token endpoint: nonces (M3), PRT issuance with the device and user keys (M6/M7), PRT renewal (M8),
 * the authorization-code grant, and the test identity source's password grant.
 */
final class TokenEndpoint {
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final int MAX_JWT_CHARS = 32 * 1024;
  private static final long MAX_ASSERTION_WINDOW_SECONDS = 3600;
  private static final List<String> WHFB_AMR = List.of("rsa", "ngcmfa", "mfa");
  private static final Set<String> OUTER_HEADER = Set.of("alg", "typ", "x5c", "kdf_ver", "kid");
  private static final Set<String> INNER_HEADER = Set.of("alg", "typ", "kid", "use");
  private static final Set<String> HS256_HEADER = Set.of("alg", "typ", "ctx", "kdf_ver");
  private static final Set<String> FORM_CONTENT_TYPES = Set.of("application/x-www-form-urlencoded");

  private static final String UNSIGNED_HEADER_SEGMENT =
      Base64Strict.url("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Engine engine;

  TokenEndpoint(Engine engine) {
    this.engine = engine;
  }

  ServiceResponse handle(Call call) throws Refusal {
    Engine.Scope scope = engine.scope(call.param);
    String contentType = call.request.header("Content-Type").orElse("application/x-www-form-urlencoded");
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    if (!FORM_CONTENT_TYPES.contains(mediaType.toLowerCase(Locale.ROOT))) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    FormBody form;
    String grantType;
    try {
      form = FormBody.parse(call.body);
      grantType = form.get("grant_type");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (grantType == null) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    return switch (grantType) {
      case "srv_challenge" -> engine.responses.json(200, Map.of("Nonce", engine.nonces.issue()), call.traceId);
      case JWT_BEARER -> jwtBearer(call, scope, form);
      case "authorization_code" -> authorizationCode(call, scope, form);
      case "password" -> password(call, scope, form);
      // A PRT used as an ordinary refresh token (not in a session-key signed request): AADSTS7000016.
      case "refresh_token" -> throw new Refusal(
          form.has("refresh_token") ? ErrorKind.SESSION_SIGNATURE_INVALID : ErrorKind.INVALID_REQUEST);
      default -> throw new Refusal(ErrorKind.INVALID_REQUEST);
    };
  }

  private ServiceResponse jwtBearer(Call call, Engine.Scope scope, FormBody form) throws Refusal {
    CompactJws request;
    try {
      String text = form.get("request");
      if (text == null) {
        throw new Malformed("no request");
      }
      request = CompactJws.parse(text, MAX_JWT_CHARS);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if ("HS256".equals(request.alg())) {
      return renew(call, scope, request);
    }
    return signIn(call, scope, request);
  }

  // ---- M6/M7 ------------------------------------------------------------------------------------------------

  private ServiceResponse signIn(Call call, Engine.Scope scope, CompactJws outer) throws Refusal {
    Device device = engine.authenticateDevice(outer, OUTER_HEADER);
    Map<String, Object> p = outer.payload();
    CompactJws inner;
    String outerNonce;
    String innerNonce;
    String clientId;
    try {
      if (!JWT_BEARER.equals(Json.optString(p, "grant_type"))) {
        throw new Malformed("not a jwt-bearer request");
      }
      inner = CompactJws.parse(Json.string(p, "assertion"), MAX_JWT_CHARS);
      outerNonce = Json.optString(p, "request_nonce");
      innerNonce = Json.optString(inner.payload(), "request_nonce");
      String client = Json.optString(p, "client_id");
      clientId = client == null || client.isEmpty() ? Engine.BROKER_CLIENT_ID : client;
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (outerNonce == null || outerNonce.isEmpty() || innerNonce == null || innerNonce.isEmpty()) {
      throw new Refusal(ErrorKind.NONCE_MISSING);
    }
    engine.consumeNonce(outerNonce);
    if (!innerNonce.equals(outerNonce)) {
      engine.consumeNonce(innerNonce);
    }
    if (!"RS256".equals(inner.alg())) {
      throw new Refusal(ErrorKind.ASSERTION_SIGNATURE_INVALID);
    }
    String kid;
    String iss;
    try {
      if (!inner.headerOnly(INNER_HEADER) || !"ngc".equals(inner.header().get("use"))) {
        throw new Malformed("not an NGC assertion header");
      }
      kid = Json.string(inner.header(), "kid");
      iss = Json.string(inner.payload(), "iss");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    RegisteredKey key = engine.storeRead(() -> engine.store.keyByIdentifier(kid))
        .orElseThrow(() -> new Refusal(ErrorKind.KEY_NOT_REGISTERED));
    User user = engine.user(key.userId()).orElseThrow(() -> new Refusal(ErrorKind.KEY_USER_MISMATCH));
    if (!user.upn().equalsIgnoreCase(iss)) {
      throw new Refusal(ErrorKind.KEY_USER_MISMATCH);
    }
    if (!key.deviceId().equals(device.deviceId()) || !device.tenantId().equals(user.tenantId())) {
      throw new Refusal(ErrorKind.KEY_DEVICE_MISMATCH);
    }
    RSAPublicKey userKey = engine.userKey(key);
    if (!inner.verifyRs256(userKey)) {
      throw new Refusal(ErrorKind.ASSERTION_SIGNATURE_INVALID);
    }
    checkAssertionTime(inner.payload());
    Tenant tenant = engine.tenant(user.tenantId()).orElseThrow(() -> new Refusal(ErrorKind.SERVER_ERROR));
    Object aud = inner.payload().get("aud");
    boolean audOk = aud instanceof String a
        && (a.equals("common") || a.equalsIgnoreCase(tenant.id().toString()) || a.equalsIgnoreCase(tenant.domain()));
    if (!audOk || !scope.admits(tenant.id())) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (!user.enabled()) {
      throw new Refusal(ErrorKind.USER_DISABLED);
    }
    long now = engine.clock.instant().getEpochSecond();
    byte[] sessionKey = new byte[32];
    Jca.RANDOM.nextBytes(sessionKey);
    Prt prt = new Prt(
        tenant.id(), user.objectId(), device.deviceId(), key.kid(), key.keyIdentifier(), sessionKey, now,
        now + engine.config.prtLifetime().toSeconds(), WHFB_AMR);
    try {
      String sessionKeyJwe = SessionKeyJwe.encrypt(new byte[] {0x20}, sessionKey, engine.transportKey(device));
      String prtText = engine.sealed.sealPrt(prt);
      Map<String, Object> body = prtResponse(call, prt, prtText, user, clientId, sessionKeyJwe);
      return engine.responses.json(200, body, call.traceId);
    } catch (GeneralSecurityException e) {
      throw new Refusal(ErrorKind.SERVER_ERROR);
    } finally {
      Arrays.fill(sessionKey, (byte) 0);
      prt.destroy();
    }
  }

  private void checkAssertionTime(Map<String, Object> claims) throws Refusal {
    long now = engine.clock.instant().getEpochSecond();
    long skew = Engine.SKEW.toSeconds();
    if (!(claims.get("iat") instanceof Long iat) || !(claims.get("exp") instanceof Long exp)
        || exp <= iat || exp - iat > MAX_ASSERTION_WINDOW_SECONDS || now < iat - skew || now >= exp + skew) {
      throw new Refusal(ErrorKind.ASSERTION_TIME);
    }
  }

  /** The M7 body (also the plaintext of the M8 response, without {@code session_key_jwe}). */
  private Map<String, Object> prtResponse(
      Call call, Prt prt, String prtText, User user, String clientId, @Nullable String sessionKeyJwe) {
    long lifetime = prt.expiresAt() - prt.issuedAt();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "pop");
    body.put("expires_in", Long.toString(lifetime));
    body.put("ext_expires_in", Long.toString(lifetime));
    body.put("expires_on", Long.toString(prt.expiresAt()));
    body.put("refresh_token", prtText);
    body.put("refresh_token_expires_in", lifetime);
    if (sessionKeyJwe != null) {
      body.put("session_key_jwe", sessionKeyJwe);
    }
    body.put("id_token", idToken(call, prt, user, clientId));
    body.put("client_info", clientInfo(user));
    body.put("device_tenant_id", prt.tenantId().toString());
    return body;
  }

  private String idToken(Call call, Prt prt, User user, String clientId) {
    long now = engine.clock.instant().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", clientId);
    claims.put("iss", call.base() + "/" + user.tenantId() + "/");
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + engine.accessTokens.lifetimeSeconds());
    claims.put("amr", prt.amr());
    claims.put("deviceid", prt.deviceId().toString());
    claims.put("name", user.displayName());
    claims.put("oid", user.objectId().toString());
    claims.put("tid", user.tenantId().toString());
    claims.put("upn", user.upn());
    claims.put("unique_name", user.upn());
    claims.put("ver", "1.0");
    return UNSIGNED_HEADER_SEGMENT + '.' + Base64Strict.url(Json.write(claims).getBytes(StandardCharsets.UTF_8)) + '.';
  }

  private static String clientInfo(User user) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("uid", user.objectId().toString());
    info.put("utid", user.tenantId().toString());
    return Base64Strict.url(Json.write(info).getBytes(StandardCharsets.UTF_8));
  }

  // ---- M8 renewal -------------------------------------------------------------------------------------------

  private ServiceResponse renew(Call call, Engine.Scope scope, CompactJws request) throws Refusal {
    String prtText;
    DerivedKeyJws.KdfVersion version;
    String clientId;
    try {
      version = kdfVersion(request);
      Map<String, Object> p = request.payload();
      if (!"refresh_token".equals(Json.optString(p, "grant_type"))) {
        throw new Malformed("not a refresh_token request");
      }
      prtText = Json.string(p, "refresh_token");
      String client = Json.optString(p, "client_id");
      clientId = client == null || client.isEmpty() ? Engine.BROKER_CLIENT_ID : client;
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    Prt prt = openPrt(prtText);
    try {
      verifySessionSignature(request, version, prt);
      String nonce;
      try {
        nonce = Json.optString(request.payload(), "request_nonce");
      } catch (Malformed e) {
        throw new Refusal(ErrorKind.INVALID_REQUEST);
      }
      if (nonce == null || nonce.isEmpty()) {
        throw new Refusal(ErrorKind.NONCE_MISSING);
      }
      engine.consumeNonce(nonce);
      User user = checkPrtAgainstDirectory(prt);
      if (!scope.admits(prt.tenantId())) {
        throw new Refusal(ErrorKind.INVALID_REQUEST);
      }
      long now = engine.clock.instant().getEpochSecond();
      Prt renewed = prt.renewed(now, now + engine.config.prtLifetime().toSeconds());
      byte[] plaintext = null;
      try {
        String renewedText = engine.sealed.sealPrt(renewed);
        plaintext = Json.write(prtResponse(call, renewed, renewedText, user, clientId, null))
            .getBytes(StandardCharsets.UTF_8);
        DerivedKeyJwe.Form jweForm = engine.config.cbcRenewalResponses() ? DerivedKeyJwe.Form.CBC
            : DerivedKeyJwe.Form.GCM;
        String jwe = DerivedKeyJwe.encrypt(plaintext, prt.sessionKey(), jweForm);
        return engine.responses.raw(200, "application/jose", jwe.getBytes(StandardCharsets.US_ASCII), call.traceId);
      } finally {
        renewed.destroy();
        if (plaintext != null) {
          Arrays.fill(plaintext, (byte) 0);
        }
      }
    } finally {
      prt.destroy();
    }
  }

  /** The header's KDF version: no {@code kdf_ver} is v1, the integer 2 is v2; the header must be HS256-only. */
  static DerivedKeyJws.KdfVersion kdfVersion(CompactJws jws) throws Malformed {
    if (!jws.headerOnly(HS256_HEADER)) {
      throw new Malformed("unexpected header member");
    }
    Object v = jws.header().get("kdf_ver");
    if (v == null) {
      return DerivedKeyJws.KdfVersion.V1;
    }
    if (v instanceof Long l && l == 2L) {
      return DerivedKeyJws.KdfVersion.V2;
    }
    throw new Malformed("unknown kdf_ver");
  }

  /** Opens a PRT; anything not sealed here, damaged or expired is prt_invalid. */
  Prt openPrt(String text) throws Refusal {
    Prt prt;
    try {
      prt = engine.sealed.openPrt(text);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.PRT_INVALID);
    }
    if (engine.clock.instant().getEpochSecond() >= prt.expiresAt()) {
      prt.destroy();
      throw new Refusal(ErrorKind.PRT_INVALID);
    }
    return prt;
  }

  /** Refuses KDFv1 when v2 is required, then verifies the HS256 signature with the PRT's session key. */
  void verifySessionSignature(CompactJws request, DerivedKeyJws.KdfVersion version, Prt prt) throws Refusal {
    boolean requireV2 = engine.config.requireKdfV2();
    if (requireV2 && version != DerivedKeyJws.KdfVersion.V2) {
      throw new Refusal(ErrorKind.KDF_V1_REJECTED);
    }
    try {
      DerivedKeyJws.verify(request.compact(), prt.sessionKey(), requireV2);
    } catch (NgcException | IllegalArgumentException e) {
      throw new Refusal(ErrorKind.SESSION_SIGNATURE_INVALID);
    }
  }

  /** Checks that the PRT's device is still enabled, its key still registered, its user still enabled. */
  User checkPrtAgainstDirectory(Prt prt) throws Refusal {
    Device device = engine.device(prt.deviceId()).orElseThrow(() -> new Refusal(ErrorKind.DEVICE_UNKNOWN));
    if (!device.enabled()) {
      throw new Refusal(ErrorKind.DEVICE_DISABLED);
    }
    RegisteredKey key = engine.storeRead(() -> engine.store.keyByIdentifier(prt.keyIdentifier())).orElse(null);
    if (key == null || !key.kid().equals(prt.keyKid()) || !key.userId().equals(prt.userId())
        || !key.deviceId().equals(prt.deviceId())) {
      throw new Refusal(ErrorKind.KEY_NOT_REGISTERED);
    }
    User user = engine.user(prt.userId()).orElseThrow(() -> new Refusal(ErrorKind.PRT_INVALID));
    if (!user.enabled()) {
      throw new Refusal(ErrorKind.USER_DISABLED);
    }
    return user;
  }

  // ---- authorization code -----------------------------------------------------------------------------------

  private ServiceResponse authorizationCode(Call call, Engine.Scope scope, FormBody form) throws Refusal {
    String codeText;
    String clientId;
    String redirectUri;
    try {
      codeText = form.get("code");
      clientId = form.get("client_id");
      redirectUri = form.get("redirect_uri");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (codeText == null || clientId == null || redirectUri == null) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    AuthCode code;
    try {
      code = engine.sealed.openCode(codeText);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.PRT_INVALID);
    }
    long now = engine.clock.instant().getEpochSecond();
    if (now >= code.expiresAt()) {
      throw new Refusal(ErrorKind.PRT_INVALID);
    }
    ReplayCache.Result first = engine.replay.consume("c:" + code.jti(), code.expiresAt(), now);
    if (first == ReplayCache.Result.FULL) {
      throw new Refusal(ErrorKind.UNAVAILABLE);
    }
    if (first == ReplayCache.Result.REPLAYED || !code.clientId().equals(clientId)
        || !code.redirectUri().equals(redirectUri) || !scope.admits(code.tenantId())) {
      throw new Refusal(ErrorKind.PRT_INVALID);
    }
    Device device = engine.device(code.deviceId()).orElseThrow(() -> new Refusal(ErrorKind.DEVICE_UNKNOWN));
    if (!device.enabled()) {
      throw new Refusal(ErrorKind.DEVICE_DISABLED);
    }
    User user = engine.user(code.userId()).orElseThrow(() -> new Refusal(ErrorKind.PRT_INVALID));
    if (!user.enabled()) {
      throw new Refusal(ErrorKind.USER_DISABLED);
    }
    String audience = code.resource().isEmpty() ? clientId : code.resource();
    return tokenResponse(call, user, audience, code.amr(), code.deviceId(), clientId);
  }

  private ServiceResponse tokenResponse(
      Call call, User user, String audience, List<String> amr, @Nullable UUID deviceId, String clientId) {
    String issuer = call.base() + "/" + user.tenantId() + "/";
    String accessToken =
        engine.accessTokens.issue(issuer, audience, user.tenantId(), user.objectId(), user.upn(), amr, deviceId,
            clientId);
    long lifetime = engine.accessTokens.lifetimeSeconds();
    long now = engine.clock.instant().getEpochSecond();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("scope", "user_impersonation");
    body.put("expires_in", Long.toString(lifetime));
    body.put("ext_expires_in", Long.toString(lifetime));
    body.put("expires_on", Long.toString(now + lifetime));
    body.put("not_before", Long.toString(now));
    body.put("resource", audience);
    body.put("access_token", accessToken);
    return engine.responses.json(200, body, call.traceId);
  }

  // ---- test identity: password grant ------------------------------------------------------------------------

  private ServiceResponse password(Call call, Engine.Scope scope, FormBody form) throws Refusal {
    if (!engine.config.testIdentitySource()) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    String username;
    String resource;
    String clientId;
    String deviceCredential;
    byte[] password = null;
    byte[] mfaCode = null;
    try {
      username = form.get("username");
      resource = form.get("resource");
      clientId = form.get("client_id");
      deviceCredential = form.get("device_credential");
      password = form.secret("password");
      mfaCode = form.secret("mfa_code");
      if (username == null || username.isEmpty() || password == null) {
        throw new Refusal(ErrorKind.INVALID_REQUEST);
      }
      User user = engine.storeRead(() -> engine.store.userByUpn(username)).orElse(null);
      if (user == null || user.passwordHash().isEmpty()) {
        PasswordHasher.verifyDummy(password);
        throw new Refusal(ErrorKind.INVALID_CREDENTIALS);
      }
      if (!PasswordHasher.verify(password, user.passwordHash().get()) || !scope.admits(user.tenantId())) {
        throw new Refusal(ErrorKind.INVALID_CREDENTIALS);
      }
      List<String> amr = List.of("pwd");
      if (mfaCode != null) {
        if (user.mfaSecretHash().isEmpty() || !PasswordHasher.verify(mfaCode, user.mfaSecretHash().get())) {
          throw new Refusal(ErrorKind.INVALID_CREDENTIALS);
        }
        amr = List.of("pwd", "mfa", "ngcmfa");
      }
      if (!user.enabled()) {
        throw new Refusal(ErrorKind.USER_DISABLED);
      }
      UUID deviceId = null;
      if (deviceCredential != null) {
        Device device = deviceCredential(deviceCredential);
        if (!device.tenantId().equals(user.tenantId())) {
          throw new Refusal(ErrorKind.DEVICE_UNKNOWN);
        }
        deviceId = device.deviceId();
      }
      String audience = resource == null || resource.isEmpty() ? Engine.DRS_RESOURCE : resource;
      String client = clientId == null || clientId.isEmpty() ? Engine.BROKER_CLIENT_ID : clientId;
      return tokenResponse(call, user, audience, amr, deviceId, client);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    } finally {
      if (password != null) {
        Arrays.fill(password, (byte) 0);
      }
      if (mfaCode != null) {
        Arrays.fill(mfaCode, (byte) 0);
      }
    }
  }

  /** An {@code x-ms-DeviceCredential} JWT: device-signed, {@code grant_type: device_auth}, with a fresh nonce. */
  private Device deviceCredential(String text) throws Refusal {
    CompactJws jws;
    try {
      jws = CompactJws.parse(text, MAX_JWT_CHARS);
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    Device device = engine.authenticateDevice(jws, OUTER_HEADER);
    String nonce;
    try {
      Map<String, Object> p = jws.payload();
      if (!"device_auth".equals(Json.optString(p, "grant_type"))
          || !"aad:brokerplugin".equals(Json.optString(p, "iss"))) {
        throw new Malformed("not a device credential");
      }
      nonce = Json.optString(p, "request_nonce");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (nonce == null || nonce.isEmpty()) {
      throw new Refusal(ErrorKind.NONCE_MISSING);
    }
    engine.consumeNonce(nonce);
    return device;
  }
}
