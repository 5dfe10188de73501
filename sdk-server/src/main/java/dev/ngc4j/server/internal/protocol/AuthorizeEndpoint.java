package dev.ngc4j.server.internal.protocol;

import dev.ngc4j.core.internal.cloud.DerivedKeyJws;
import dev.ngc4j.server.ServiceResponse;
import dev.ngc4j.server.internal.crypto.Jca;
import dev.ngc4j.server.internal.token.AuthCode;
import dev.ngc4j.server.internal.token.CompactJws;
import dev.ngc4j.server.internal.token.NonceService;
import dev.ngc4j.server.internal.token.Prt;
import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.FormBody;
import dev.ngc4j.server.internal.util.Json;
import dev.ngc4j.server.internal.util.Malformed;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The authorize endpoint with a PRT cookie (M10): {@code x-ms-RefreshTokenCredential} as a header or cookie, an
 * HS256 JWT under the PRT's session key carrying the PRT and a nonce. Success is a 302 to {@code redirect_uri}
 * with a single-use code; an expired nonce is a 302 back to this endpoint with a fresh {@code sso_nonce}.
 */
final class AuthorizeEndpoint {
  static final String CREDENTIAL = "x-ms-RefreshTokenCredential";
  private static final int MAX_JWT_CHARS = 16 * 1024;
  private static final Duration CODE_LIFETIME = Duration.ofMinutes(5);

  private final Engine engine;
  private final TokenEndpoint tokens;

  AuthorizeEndpoint(Engine engine) {
    this.engine = engine;
    this.tokens = new TokenEndpoint(engine);
  }

  ServiceResponse handle(Call call) throws Refusal {
    Engine.Scope scope = engine.scope(call.param);
    String rawQuery = call.request.rawQuery().orElse("");
    String clientId;
    String redirectUri;
    String responseType;
    String resource;
    String state;
    try {
      FormBody query = FormBody.parseQuery(rawQuery);
      clientId = query.get("client_id");
      redirectUri = query.get("redirect_uri");
      responseType = query.get("response_type");
      resource = query.get("resource");
      state = query.get("state");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    if (clientId == null || clientId.isEmpty() || redirectUri == null || !"code".equals(responseType)
        || !acceptableRedirect(redirectUri)) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    String credential = credential(call);
    if (credential == null) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    CompactJws jws;
    DerivedKeyJws.KdfVersion version;
    String prtText;
    try {
      jws = CompactJws.parse(credential, MAX_JWT_CHARS);
      if (!"HS256".equals(jws.alg())) {
        throw new Refusal(ErrorKind.SESSION_SIGNATURE_INVALID);
      }
      version = TokenEndpoint.kdfVersion(jws);
      prtText = Json.string(jws.payload(), "refresh_token");
    } catch (Malformed e) {
      throw new Refusal(ErrorKind.INVALID_REQUEST);
    }
    Prt prt = tokens.openPrt(prtText);
    try {
      tokens.verifySessionSignature(jws, version, prt);
      String nonce;
      try {
        nonce = Json.optString(jws.payload(), "request_nonce");
      } catch (Malformed e) {
        throw new Refusal(ErrorKind.INVALID_REQUEST);
      }
      if (nonce == null || nonce.isEmpty()) {
        throw new Refusal(ErrorKind.NONCE_MISSING);
      }
      NonceService.Result outcome = engine.nonces.consume(nonce);
      if (outcome == NonceService.Result.EXPIRED) {
        return engine.responses.redirect(call.base() + call.request.path() + "?"
            + withSsoNonce(rawQuery, engine.nonces.issue()), call.traceId);
      }
      Engine.checkNonce(outcome);
      tokens.checkPrtAgainstDirectory(prt);
      if (!scope.admits(prt.tenantId())) {
        throw new Refusal(ErrorKind.INVALID_REQUEST);
      }
      byte[] jti = new byte[16];
      Jca.RANDOM.nextBytes(jti);
      long expiresAt = engine.clock.instant().plus(CODE_LIFETIME).getEpochSecond();
      String code = engine.sealed.sealCode(new AuthCode(
          Base64Strict.url(jti), prt.tenantId(), prt.userId(), prt.deviceId(), prt.amr(), clientId, redirectUri,
          resource == null ? "" : resource, expiresAt));
      StringBuilder location = new StringBuilder(redirectUri);
      location.append(redirectUri.indexOf('?') < 0 ? '?' : '&').append("code=").append(encode(code));
      if (state != null) {
        location.append("&state=").append(encode(state));
      }
      return engine.responses.redirect(location.toString(), call.traceId);
    } finally {
      prt.destroy();
    }
  }

  /** The credential from the header, or from the cookie of the same name. */
  private static @Nullable String credential(Call call) {
    String header = call.request.header(CREDENTIAL).orElse(null);
    if (header != null && !header.isEmpty()) {
      return header.trim();
    }
    for (String cookies : call.request.headers().getOrDefault("Cookie", java.util.List.of())) {
      for (String cookie : cookies.split(";", -1)) {
        int eq = cookie.indexOf('=');
        if (eq > 0 && cookie.substring(0, eq).trim().equalsIgnoreCase(CREDENTIAL)) {
          return cookie.substring(eq + 1).trim();
        }
      }
    }
    return null;
  }

  /** An absolute URI without a fragment (http(s) or an app scheme such as {@code ms-appx-web}). */
  private static boolean acceptableRedirect(String redirectUri) {
    try {
      URI uri = new URI(redirectUri);
      return uri.isAbsolute() && uri.getRawFragment() == null && redirectUri.length() <= 2048;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String withSsoNonce(String rawQuery, String nonce) {
    StringBuilder out = new StringBuilder();
    for (String part : rawQuery.split("&", -1)) {
      if (part.isEmpty() || part.startsWith("sso_nonce=") || part.equals("sso_nonce")) {
        continue;
      }
      out.append(part).append('&');
    }
    return out.append("sso_nonce=").append(encode(nonce)).toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
