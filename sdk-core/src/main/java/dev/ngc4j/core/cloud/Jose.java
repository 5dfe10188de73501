package dev.ngc4j.core.cloud;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The JOSE pieces of the client: building RS256 compact JWTs whose signature comes from elsewhere (the provider),
 * splitting the {@code session_key_jwe} strictly into a {@link SessionKeyEnvelope}, and reading the unsigned
 * {@code id_token} for display.
 *
 * <p>Encodings follow the protocol: JWT segments are unpadded base64url; {@code x5c}, {@code kid}, {@code ctx},
 * {@code kngc}, {@code TransportKey} and the CSR are standard base64 with padding.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class Jose {
  /** The longest {@code session_key_jwe} accepted, in characters; a real one has about 500. */
  static final int MAX_SESSION_KEY_JWE_CHARS = 16 * 1024;

  /** The detail of the one exception every malformed {@code session_key_jwe} produces. */
  static final String SESSION_KEY_JWE_MALFORMED =
      "The sign-in response's session_key_jwe is malformed or uses an algorithm this client refuses";

  private static final Set<String> SESSION_KEY_HEADER_MEMBERS = Set.of("alg", "enc");
  private static final int MAX_CLAIMS = 64;
  private static final int MAX_CLAIM_CHARS = 1024;

  private Jose() {}

  /** Unpadded base64url. */
  static String b64url(byte[] bytes) {
    return Bytes.of(bytes).toBase64Url();
  }

  /** Standard base64 with padding. */
  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Returns {@code b64url(header) "." b64url(payload)}. */
  static String signingInput(Map<String, ?> header, byte[] payload) {
    return b64url(Json.write(header).getBytes(StandardCharsets.UTF_8)) + '.' + b64url(payload);
  }

  /** Splits at every '.', keeping empty segments. */
  static List<String> split(String compact) {
    List<String> parts = new ArrayList<>(5);
    int start = 0;
    for (int dot = compact.indexOf('.'); dot >= 0 && parts.size() < 6; dot = compact.indexOf('.', start)) {
      parts.add(compact.substring(start, dot));
      start = dot + 1;
    }
    parts.add(compact.substring(start));
    return parts;
  }

  /**
   * Splits a {@code session_key_jwe}: exactly five strict unpadded base64url segments; a UTF-8 JSON header with
   * exactly {@code alg} ({@code RSA-OAEP} or {@code RSA-OAEP-256}) and {@code enc} ({@code A256GCM}), nothing else;
   * a non-empty encrypted key, a 12-byte IV and a 16-byte tag. Every deviation gives the same
   * {@link ErrorCode#CLOUD_ERROR}, before any key is used.
   */
  static SessionKeyEnvelope sessionKeyEnvelope(String compact) throws NgcException {
    if (compact.length() > MAX_SESSION_KEY_JWE_CHARS) {
      throw malformedSessionKey();
    }
    List<String> parts = split(compact);
    if (parts.size() != 5) {
      throw malformedSessionKey();
    }
    byte[][] decoded = new byte[5][];
    for (int i = 0; i < 5; i++) {
      try {
        decoded[i] = Bytes.fromBase64Url(parts.get(i)).toByteArray();
      } catch (IllegalArgumentException e) {
        throw malformedSessionKey();
      }
    }
    Map<String, Object> header;
    try {
      header = Json.parseObject(decoded[0]);
    } catch (Json.MalformedJsonException e) {
      throw malformedSessionKey();
    }
    if (!header.keySet().equals(SESSION_KEY_HEADER_MEMBERS) || !"A256GCM".equals(header.get("enc"))) {
      throw malformedSessionKey();
    }
    KeyWrapAlgorithm algorithm = null;
    for (KeyWrapAlgorithm a : KeyWrapAlgorithm.values()) {
      if (a.jweName().equals(header.get("alg"))) {
        algorithm = a;
      }
    }
    if (algorithm == null || decoded[1].length == 0 || decoded[2].length != 12 || decoded[4].length != 16) {
      throw malformedSessionKey();
    }
    return new SessionKeyEnvelope(algorithm, Bytes.of(parts.get(0).getBytes(StandardCharsets.US_ASCII)),
        Bytes.of(decoded[1]), Bytes.of(decoded[2]), Bytes.of(decoded[3]), Bytes.of(decoded[4]));
  }

  private static NgcException malformedSessionKey() {
    return new NgcException(ErrorCode.CLOUD_ERROR, SESSION_KEY_JWE_MALFORMED,
        "check that the authority URI points at the directory; sign in again", null);
  }

  /** What an {@code id_token} says: for display only, never for a security decision. */
  record IdToken(List<String> authenticationMethods, Map<String, String> claims) {
    static final IdToken EMPTY = new IdToken(List.of(), Map.of());
  }

  /**
   * Reads the claims of an unsigned {@code id_token} ({@code alg:none}, as Entra ID sends it in M7). Its signature
   * is not checked and cannot be: the claims are shown to the user, never trusted. Top-level string and integer
   * claims become strings (at most {@value #MAX_CLAIMS}, each cut to {@value #MAX_CLAIM_CHARS} characters); the
   * {@code amr} array becomes the authentication methods. A missing or malformed token gives no claims.
   */
  static IdToken readIdToken(@Nullable String idToken) {
    if (idToken == null || idToken.length() > 64 * 1024) {
      return IdToken.EMPTY;
    }
    List<String> parts = split(idToken);
    if (parts.size() != 3) {
      return IdToken.EMPTY;
    }
    Map<String, Object> json;
    try {
      json = Json.parseObject(Bytes.fromBase64Url(parts.get(1)).toByteArray());
    } catch (IllegalArgumentException | Json.MalformedJsonException e) {
      return IdToken.EMPTY;
    }
    List<String> amr = new ArrayList<>();
    if (json.get("amr") instanceof List<?> values) {
      for (Object v : values) {
        if (v instanceof String s && s.length() <= 64) {
          amr.add(s);
        }
      }
    }
    Map<String, String> claims = new TreeMap<>();
    for (Map.Entry<String, Object> e : new TreeMap<>(json).entrySet()) {
      if (claims.size() >= MAX_CLAIMS) {
        break;
      }
      Object v = e.getValue();
      if (v instanceof String s) {
        claims.put(e.getKey(), s.length() > MAX_CLAIM_CHARS ? s.substring(0, MAX_CLAIM_CHARS) : s);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
        claims.put(e.getKey(), String.valueOf(v));
      }
    }
    return new IdToken(List.copyOf(amr), claims);
  }
}
