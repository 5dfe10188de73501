package dev.ngc4j.core.internal.cloud;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Windows Hello for Business assertion of a PRT request (M6): the inner RS256 JWT that the user's key signs
 * after the user's gesture. Header {@code {"typ":"JWT","alg":"RS256","kid":<kid>,"use":"ngc"}} with {@code kid} =
 * standard base64 of the SHA-256 of the key's RSA1 public blob; payload {@code iss} = the UPN,
 * {@code aud:"common"}, {@code iat}, {@code exp} = {@code iat} + {@link #LIFETIME}, {@code request_nonce} and
 * {@code scope} = {@value #SCOPE}, in that member order. {@code EntraCloudClient} builds its assertions here; the
 * benchmarks measure the same code.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class WhfbAssertion {
  /** The scope of PRT requests. */
  public static final String SCOPE = "openid aza ugs";

  /** How long an assertion is valid after its {@code iat}. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private WhfbAssertion() {}

  /**
   * Returns the assertion's {@code kid}: standard base64 (padded) of the SHA-256 of the key's RSA1 public blob, the
   * {@code keyIdentifier} the directory registered.
   *
   * @param userKey the user's public key
   * @return the key id
   * @throws NgcException {@code UNSUPPORTED} for a key the RSA1 blob cannot hold
   */
  public static String kid(RSAPublicKey userKey) throws NgcException {
    return Base64.getEncoder().encodeToString(sha256(Rsa1KeyBlob.encode(userKey)));
  }

  /**
   * Returns the signing input {@code b64url(header) "." b64url(payload)}.
   *
   * @param kid the key id ({@link #kid})
   * @param upn the user principal name ({@code iss})
   * @param issuedAt {@code iat}, seconds since the epoch
   * @param nonce the service's nonce ({@code request_nonce})
   * @return the signing input, ASCII
   */
  public static String signingInput(String kid, String upn, long issuedAt, String nonce) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put("kid", Objects.requireNonNull(kid, "kid"));
    header.put("use", "ngc");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("iss", Objects.requireNonNull(upn, "upn"));
    payload.put("aud", "common");
    payload.put("iat", issuedAt);
    payload.put("exp", issuedAt + LIFETIME.toSeconds());
    payload.put("request_nonce", Objects.requireNonNull(nonce, "nonce"));
    payload.put("scope", SCOPE);
    return b64url(JsonWriter.write(header)) + '.' + b64url(JsonWriter.write(payload));
  }

  /**
   * Builds the assertion and signs it (RS256) with the unlocked user key. The signature is not checked here; the
   * caller checks it against the container's public key before sending it.
   *
   * @param key the unlocked user key
   * @param kid the key id ({@link #kid})
   * @param upn the user principal name
   * @param issuedAt {@code iat}, seconds since the epoch
   * @param nonce the service's nonce
   * @return the signing input and its signature
   * @throws NgcException if the key cannot sign
   */
  public static Signed sign(UnlockedKey key, String kid, String upn, long issuedAt, String nonce)
      throws NgcException {
    String input = signingInput(kid, upn, issuedAt, nonce);
    byte[] signature = key.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, input.getBytes(StandardCharsets.US_ASCII));
    return new Signed(input, signature);
  }

  /**
   * A signed assertion: the signing input and the RS256 signature.
   *
   * <p>Thread safety: immutable (the signature is copied in and out).
   */
  public static final class Signed {
    private final String signingInput;
    private final byte[] signature;

    Signed(String signingInput, byte[] signature) {
      this.signingInput = signingInput;
      this.signature = signature.clone();
    }

    /**
     * Returns the signing input.
     *
     * @return {@code b64url(header) "." b64url(payload)}
     */
    public String signingInput() {
      return signingInput;
    }

    /**
     * Returns the signature.
     *
     * @return a copy of the signature bytes
     */
    public byte[] signature() {
      return signature.clone();
    }

    /**
     * Returns the compact serialisation.
     *
     * @return {@code signingInput "." b64url(signature)}
     */
    public String compact() {
      return signingInput + '.' + Bytes.of(signature).toBase64Url();
    }

    /** Never shows the assertion: it is a bearer secret until its nonce is used. */
    @Override
    public String toString() {
      return "WhfbAssertion.Signed[" + signingInput.length() + " chars]";
    }
  }

  private static String b64url(String json) {
    return Bytes.of(json.getBytes(StandardCharsets.UTF_8)).toBase64Url();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
