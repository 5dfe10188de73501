package dev.ngc4j.core.internal.cloud;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.SessionKeyHandle;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A compact JWS signed HS256 with a key derived from the 32-byte session key: the form of the PRT renewal and
 * access token requests (M8, M9) and of the PRT cookie (M10).
 *
 * <p>The header is {@code {"alg":"HS256","typ":"JWT","ctx":"<std-b64>"}} for KDFv1 and additionally carries
 * {@code "kdf_ver":2} (an integer) for KDFv2. {@code ctx} is standard base64 with padding of {@value #CTX_BYTES}
 * random bytes. The signing key is {@link Sp800108Kdf#kdfV1} of the raw ctx, or {@link Sp800108Kdf#kdfV2} of the
 * raw ctx and the exact payload bytes; the signature is HMAC-SHA256 over the ASCII of
 * {@code b64url(header) "." b64url(payload)}.
 *
 * <p>Verification (the service side) is deliberately narrow: exactly three strict unpadded base64url segments;
 * a UTF-8 JSON header holding only {@code alg} (must be {@code HS256}), {@code typ} (a string), {@code ctx}
 * (required, canonical padded standard base64 of {@value #MIN_CTX_BYTES} to {@value #MAX_CTX_BYTES} bytes) and
 * {@code kdf_ver} (absent, or the integer 2); a payload that is a UTF-8 JSON object; a 32-byte signature compared
 * in constant time. Every failure, whatever its cause, is the same {@link NgcException}
 * ({@link ErrorCode#CLOUD_ERROR}) with the same message and no cause.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class DerivedKeyJws {
  /** The number of random ctx bytes a signature uses (as Windows does). */
  static final int CTX_BYTES = 24;

  /** The shortest ctx accepted on verification, in bytes. */
  static final int MIN_CTX_BYTES = 16;

  /** The longest ctx accepted on verification, in bytes. */
  static final int MAX_CTX_BYTES = 64;

  /** The session key length, in bytes. */
  static final int SESSION_KEY_BYTES = 32;

  /** The HMAC-SHA256 signature length, in bytes. */
  static final int SIGNATURE_BYTES = 32;

  /** The longest compact serialization accepted, in characters. */
  static final int MAX_COMPACT_CHARS = 64 * 1024;

  /** The detail of the one exception every verification failure produces. */
  static final String FAILURE_DETAIL = "the session-key signed token could not be verified";

  private static final String FAILURE_REMEDY = "sign the request again with the current session key";

  private static final Set<String> ALLOWED_HEADER_MEMBERS = Set.of("alg", "typ", "ctx", "kdf_ver");

  private static final SecureRandom RANDOM = new SecureRandom();

  private DerivedKeyJws() {}

  /** The key derivation version a token uses. */
  public enum KdfVersion {
    /** KDFv1: context = the raw ctx bytes; the header has no {@code kdf_ver}. */
    V1,
    /** KDFv2: context = SHA-256(ctx || payload); the header carries {@code "kdf_ver":2}. */
    V2
  }

  /** The result of a successful verification. */
  public static final class Verified {
    private final byte[] payload;
    private final KdfVersion kdfVersion;

    Verified(byte[] payload, KdfVersion kdfVersion) {
      this.payload = payload.clone();
      this.kdfVersion = kdfVersion;
    }

    /**
     * Returns the exact payload bytes (UTF-8 JSON).
     *
     * @return a fresh copy
     */
    public byte[] payload() {
      return payload.clone();
    }

    /**
     * Returns the key derivation version the token used.
     *
     * @return the version
     */
    public KdfVersion kdfVersion() {
      return kdfVersion;
    }

    @Override
    public String toString() {
      return "Verified[payload=" + payload.length + " bytes, kdf=" + kdfVersion + "]";
    }
  }

  /**
   * Signs {@code payload} with a key derived from {@code sessionKey} and fresh random ctx.
   *
   * @param payload the exact UTF-8 JSON payload bytes
   * @param sessionKey the 32-byte session key
   * @param version the key derivation version
   * @return the compact serialization
   * @throws IllegalArgumentException if the session key is not 32 bytes
   */
  public static String sign(byte[] payload, byte[] sessionKey, KdfVersion version) {
    byte[] ctx = new byte[CTX_BYTES];
    RANDOM.nextBytes(ctx);
    return sign(payload, sessionKey, version, ctx);
  }

  /** Signs with the given ctx; for tests and known-answer checks. */
  static String sign(byte[] payload, byte[] sessionKey, KdfVersion version, byte[] ctx) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(sessionKey, "sessionKey");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ctx, "ctx");
    checkSessionKey(sessionKey);
    if (ctx.length == 0) {
      throw new IllegalArgumentException("ctx is empty");
    }
    String signingInput = signingInput(payload, version, ctx);
    byte[] key = derive(sessionKey, ctx, payload, version);
    try {
      return signingInput + '.' + Bytes.of(hmac(key, signingInput)).toBase64Url();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Signs {@code payload} through a session key handle, with fresh random ctx: the client side, where the session
   * key stays inside the provider. The header and the signature are exactly those of {@link #sign(byte[], byte[],
   * KdfVersion)}; the handle derives the key ({@link SessionKeyHandle#deriveAndMac}) with the label
   * {@value Sp800108Kdf#ENTRA_LABEL} and the KDFv1 or KDFv2 context.
   *
   * @param payload the exact UTF-8 JSON payload bytes
   * @param sessionKey the session key handle
   * @param version the key derivation version
   * @return the compact serialization
   * @throws NgcException if the provider fails to derive the key
   * @throws IllegalStateException if the handle is closed
   */
  public static String sign(byte[] payload, SessionKeyHandle sessionKey, KdfVersion version) throws NgcException {
    byte[] ctx = new byte[CTX_BYTES];
    RANDOM.nextBytes(ctx);
    return sign(payload, sessionKey, version, ctx);
  }

  /** Signs through a handle with the given ctx; for tests and known-answer checks. */
  static String sign(byte[] payload, SessionKeyHandle sessionKey, KdfVersion version, byte[] ctx)
      throws NgcException {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(sessionKey, "sessionKey");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ctx, "ctx");
    if (ctx.length == 0) {
      throw new IllegalArgumentException("ctx is empty");
    }
    String signingInput = signingInput(payload, version, ctx);
    Bytes context = Bytes.of(version == KdfVersion.V2 ? Sp800108Kdf.kdfV2Context(ctx, payload) : ctx);
    Bytes mac = sessionKey.deriveAndMac(Bytes.of(Sp800108Kdf.ENTRA_LABEL.getBytes(StandardCharsets.US_ASCII)),
        context, signingInput.getBytes(StandardCharsets.US_ASCII));
    if (mac.length() != SIGNATURE_BYTES) {
      throw new IllegalStateException("the session key handle returned a MAC of " + mac.length() + " bytes");
    }
    return signingInput + '.' + mac.toBase64Url();
  }

  /** Returns {@code b64url(header) "." b64url(payload)} with the header for {@code version} and {@code ctx}. */
  private static String signingInput(byte[] payload, KdfVersion version, byte[] ctx) {
    String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"ctx\":\"" + Base64.getEncoder().encodeToString(ctx) + "\""
        + (version == KdfVersion.V2 ? ",\"kdf_ver\":2}" : "}");
    return Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url() + '.' + Bytes.of(payload).toBase64Url();
  }

  /**
   * Verifies a compact JWS signed with a key derived from {@code sessionKey}.
   *
   * @param compact the compact serialization (three base64url segments)
   * @param sessionKey the 32-byte session key
   * @param requireV2 whether a KDFv1 token (no {@code kdf_ver}) is refused
   * @return the payload and the version used
   * @throws NgcException ({@link ErrorCode#CLOUD_ERROR}) on any failure, always with the same message
   * @throws IllegalArgumentException if the session key is not 32 bytes
   */
  public static Verified verify(String compact, byte[] sessionKey, boolean requireV2) throws NgcException {
    Objects.requireNonNull(compact, "compact");
    Objects.requireNonNull(sessionKey, "sessionKey");
    checkSessionKey(sessionKey);
    if (compact.length() > MAX_COMPACT_CHARS) {
      throw failure();
    }
    List<String> parts = CompactSerialization.split(compact, 3);
    if (parts.size() != 3) {
      throw failure();
    }
    Map<String, Object> header = CompactSerialization.jsonObject(decode(parts.get(0)), DerivedKeyJws::failure);
    byte[] payload = decode(parts.get(1));
    CompactSerialization.jsonObject(payload, DerivedKeyJws::failure);
    byte[] signature = decode(parts.get(2));
    if (signature.length != SIGNATURE_BYTES || !ALLOWED_HEADER_MEMBERS.containsAll(header.keySet())) {
      throw failure();
    }
    if (!"HS256".equals(header.get("alg"))) {
      throw failure();
    }
    if (header.containsKey("typ") && !(header.get("typ") instanceof String)) {
      throw failure();
    }
    KdfVersion version;
    if (!header.containsKey("kdf_ver")) {
      version = KdfVersion.V1;
    } else if (header.get("kdf_ver") instanceof Long v && v == 2L) {
      version = KdfVersion.V2;
    } else {
      throw failure();
    }
    if (requireV2 && version != KdfVersion.V2) {
      throw failure();
    }
    byte[] ctx = decodeStandard(header.get("ctx"));
    if (ctx == null || ctx.length < MIN_CTX_BYTES || ctx.length > MAX_CTX_BYTES) {
      throw failure();
    }
    byte[] key = derive(sessionKey, ctx, payload, version);
    byte[] expected;
    try {
      expected = hmac(key, parts.get(0) + '.' + parts.get(1));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    if (!MessageDigest.isEqual(expected, signature)) {
      throw failure();
    }
    return new Verified(payload, version);
  }

  private static byte[] derive(byte[] sessionKey, byte[] ctx, byte[] payload, KdfVersion version) {
    return version == KdfVersion.V2 ? Sp800108Kdf.kdfV2(sessionKey, ctx, payload) : Sp800108Kdf.kdfV1(sessionKey, ctx);
  }

  private static byte[] hmac(byte[] key, String signingInput) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
    }
  }

  private static void checkSessionKey(byte[] sessionKey) {
    if (sessionKey.length != SESSION_KEY_BYTES) {
      throw new IllegalArgumentException("the session key must be 32 bytes");
    }
  }

  /**
   * Decodes canonical, non-empty standard base64 with padding.
   *
   * @param value a JSON member value
   * @return the bytes, or {@code null} if {@code value} is not such a string
   */
  static byte @Nullable [] decodeStandard(@Nullable Object value) {
    if (!(value instanceof String text)) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (decoded.length == 0 || !Base64.getEncoder().encodeToString(decoded).equals(text)) {
      return null;
    }
    return decoded;
  }

  private static byte[] decode(String segment) throws NgcException {
    return CompactSerialization.decode(segment, DerivedKeyJws::failure);
  }

  /** Returns the one exception every verification failure produces: same type, code, message; no cause. */
  private static NgcException failure() {
    return new NgcException(ErrorCode.CLOUD_ERROR, FAILURE_DETAIL, FAILURE_REMEDY, null);
  }
}
