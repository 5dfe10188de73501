package dev.ngc4j.core.internal.cloud;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A compact JWE with a pinned RSA-OAEP key algorithm and {@code enc} A256GCM: the form of Entra ID's
 * {@code session_key_jwe}, whose unwrapped content encryption key is the session key.
 *
 * <p>Decryption is deliberately narrow. The caller pins {@code alg}; the protected header may hold only
 * {@code alg}, {@code enc}, {@code typ}, {@code cty} and {@code kid}, so {@code zip}, {@code crit}, PBES2 and
 * ECDH parameters and every other algorithm ({@code RSA1_5}, {@code dir}, ...) are refused before any RSA
 * operation. Every segment must be strict unpadded base64url, there must be exactly five, the IV must be 96 bits
 * and the tag 128 bits. RSA-OAEP uses SHA-1 with MGF1-SHA-1 and RSA-OAEP-256 SHA-256 with MGF1-SHA-256, always
 * with explicit {@link OAEPParameterSpec}s and the empty label (SunJCE's name-only transformations would pair
 * SHA-256 with MGF1-SHA-1). When the key cannot be unwrapped, or unwraps to anything but 32 bytes, a random key
 * takes its place and the failure surfaces at the tag check (RFC 7516 §11.5). Every failure, whatever its cause,
 * is the same {@link NgcException} ({@link ErrorCode#CLOUD_ERROR}) with the same message and no cause.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class StrictJwe {
  /** The only content encryption algorithm accepted and produced. */
  static final String ENC_A256GCM = "A256GCM";

  /** The content encryption key length of A256GCM, in bytes. */
  static final int CEK_BYTES = 32;

  /** The GCM IV length, in bytes (96 bits). */
  static final int IV_BYTES = 12;

  /** The GCM tag length, in bytes (128 bits). */
  static final int TAG_BYTES = 16;

  /** The longest compact serialization accepted, in characters; a session key JWE is far shorter. */
  static final int MAX_COMPACT_CHARS = 64 * 1024;

  /** The detail of the one exception every decryption failure produces. */
  static final String FAILURE_DETAIL = "the encrypted session key could not be decrypted";

  private static final String FAILURE_REMEDY =
      "sign in again to obtain a new session key; check that the device's transport key is the one registered";

  private static final Set<String> ALLOWED_HEADER_MEMBERS = Set.of("alg", "enc", "typ", "cty", "kid");

  private static final SecureRandom RANDOM = new SecureRandom();

  private StrictJwe() {}

  /** The key management algorithms this class supports; the caller pins exactly one per call. */
  public enum KeyAlgorithm {
    /** {@code RSA-OAEP}: OAEP with SHA-1 and MGF1-SHA-1 (what Entra ID uses for {@code session_key_jwe}). */
    RSA_OAEP("RSA-OAEP", "SHA-1"),
    /** {@code RSA-OAEP-256}: OAEP with SHA-256 and MGF1-SHA-256. */
    RSA_OAEP_256("RSA-OAEP-256", "SHA-256");

    private final String headerName;
    private final String digest;

    KeyAlgorithm(String headerName, String digest) {
      this.headerName = headerName;
      this.digest = digest;
    }

    /**
     * Returns the JOSE {@code alg} name.
     *
     * @return the header name, for example {@code RSA-OAEP}
     */
    public String headerName() {
      return headerName;
    }

    /** Returns the explicit OAEP parameters: this digest, MGF1 with the same digest, the empty label. */
    OAEPParameterSpec oaepParameters() {
      return new OAEPParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest), PSource.PSpecified.DEFAULT);
    }
  }

  /** The result of a successful decryption: the unwrapped content encryption key and the plaintext. */
  public static final class Decrypted {
    private final byte[] contentKey;
    private final byte[] plaintext;

    Decrypted(byte[] contentKey, byte[] plaintext) {
      this.contentKey = contentKey.clone();
      this.plaintext = plaintext.clone();
    }

    /**
     * Returns the 32-byte content encryption key; for {@code session_key_jwe} this is the session key.
     *
     * @return a fresh copy the caller owns and should clear after use
     */
    public byte[] contentKey() {
      return contentKey.clone();
    }

    /**
     * Returns the decrypted content.
     *
     * @return a fresh copy
     */
    public byte[] plaintext() {
      return plaintext.clone();
    }

    /** Names the lengths only; never the key. */
    @Override
    public String toString() {
      return "Decrypted[contentKey=" + contentKey.length + " bytes, plaintext=" + plaintext.length + " bytes]";
    }
  }

  /**
   * Decrypts a compact JWE whose {@code alg} must be {@code pinned} and whose {@code enc} must be A256GCM.
   *
   * @param compact the compact serialization (five base64url segments)
   * @param key the RSA private key the content key was wrapped for (the device transport key)
   * @param pinned the only key algorithm accepted
   * @return the content key and the plaintext
   * @throws NgcException ({@link ErrorCode#CLOUD_ERROR}) on any failure, always with the same message
   */
  public static Decrypted decrypt(String compact, PrivateKey key, KeyAlgorithm pinned) throws NgcException {
    Objects.requireNonNull(compact, "compact");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pinned, "pinned");
    if (compact.length() > MAX_COMPACT_CHARS) {
      throw failure();
    }
    List<String> parts = CompactSerialization.split(compact, 5);
    if (parts.size() != 5) {
      throw failure();
    }
    String headerSegment = parts.get(0);
    checkHeader(decode(headerSegment), pinned);
    byte[] encryptedKey = decode(parts.get(1));
    byte[] iv = decode(parts.get(2));
    byte[] ciphertext = decode(parts.get(3));
    byte[] tag = decode(parts.get(4));
    if (encryptedKey.length == 0 || iv.length != IV_BYTES || tag.length != TAG_BYTES) {
      throw failure();
    }
    // RFC 7516 §11.5: draw the substitute first, so that both outcomes of the unwrap take the same path.
    byte[] substitute = new byte[CEK_BYTES];
    RANDOM.nextBytes(substitute);
    byte[] unwrapped = oaepUnwrap(key, pinned, encryptedKey);
    boolean unwrapOk = false;
    byte[] cek = substitute;
    if (unwrapped != null && unwrapped.length == CEK_BYTES) {
      unwrapOk = true;
      cek = unwrapped;
    }
    byte[] plaintext;
    try {
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
      aes.updateAAD(headerSegment.getBytes(StandardCharsets.US_ASCII));
      byte[] input = Arrays.copyOf(ciphertext, ciphertext.length + TAG_BYTES);
      System.arraycopy(tag, 0, input, ciphertext.length, TAG_BYTES);
      plaintext = aes.doFinal(input);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw failure();
    } finally {
      Arrays.fill(substitute, (byte) 0);
      if (unwrapped != null && !unwrapOk) {
        Arrays.fill(unwrapped, (byte) 0);
      }
    }
    if (!unwrapOk) {
      // Unreachable short of a 2^-128 tag collision under the random key; never return that key.
      throw failure();
    }
    Decrypted result = new Decrypted(cek, plaintext);
    Arrays.fill(cek, (byte) 0);
    return result;
  }

  /**
   * Unwraps an RSA-OAEP encrypted key with the explicit parameters of {@code algorithm}: the one OAEP path
   * {@link #decrypt} uses. The encrypted key must be exactly as long as the modulus when the key exposes it.
   *
   * @param key the RSA private key
   * @param algorithm the key algorithm, which fixes the digests
   * @param encryptedKey the RSA ciphertext
   * @return the unwrapped bytes (any length), or {@code null} on any failure; the cause is never revealed
   */
  public static byte @Nullable [] oaepUnwrap(PrivateKey key, KeyAlgorithm algorithm, byte[] encryptedKey) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(encryptedKey, "encryptedKey");
    try {
      if (key instanceof RSAKey rsa && encryptedKey.length != (rsa.getModulus().bitLength() + 7) / 8) {
        return null;
      }
      Cipher rsaOaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsaOaep.init(Cipher.DECRYPT_MODE, key, algorithm.oaepParameters());
      return rsaOaep.doFinal(encryptedKey);
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Encrypts {@code plaintext} under {@code contentKey} with A256GCM and wraps the key for {@code recipient}: the
   * service side of {@code session_key_jwe}. The header is {@code {"enc":"A256GCM","alg":"<alg>"}}.
   *
   * @param plaintext the content
   * @param contentKey the 32-byte content encryption key (the session key)
   * @param recipient the recipient's RSA public key (the device transport key)
   * @param algorithm the key algorithm
   * @return the compact serialization
   * @throws NgcException ({@link ErrorCode#UNSUPPORTED}) if the JDK refuses the key
   * @throws IllegalArgumentException if the content key is not 32 bytes
   */
  public static String encrypt(byte[] plaintext, byte[] contentKey, RSAPublicKey recipient, KeyAlgorithm algorithm)
      throws NgcException {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(contentKey, "contentKey");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(algorithm, "algorithm");
    if (contentKey.length != CEK_BYTES) {
      throw new IllegalArgumentException("the content encryption key must be 32 bytes");
    }
    String header = "{\"enc\":\"" + ENC_A256GCM + "\",\"alg\":\"" + algorithm.headerName() + "\"}";
    String headerSegment = Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url();
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher rsaOaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsaOaep.init(Cipher.ENCRYPT_MODE, recipient, algorithm.oaepParameters(), RANDOM);
      byte[] encryptedKey = rsaOaep.doFinal(contentKey);
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(contentKey, "AES"), new GCMParameterSpec(TAG_BYTES * 8, iv));
      aes.updateAAD(headerSegment.getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = aes.doFinal(plaintext);
      int ctLength = sealed.length - TAG_BYTES;
      return headerSegment
          + '.' + Bytes.of(encryptedKey).toBase64Url()
          + '.' + Bytes.of(iv).toBase64Url()
          + '.' + Bytes.of(Arrays.copyOf(sealed, ctLength)).toBase64Url()
          + '.' + Bytes.of(Arrays.copyOfRange(sealed, ctLength, sealed.length)).toBase64Url();
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.UNSUPPORTED,
          "the JWE could not be encrypted for this RSA key",
          "use an RSA public key of at least 2048 bits",
          e);
    }
  }

  /** Accepts only {@code alg} = the pinned name, {@code enc} = A256GCM, and string-valued harmless members. */
  private static void checkHeader(byte[] headerBytes, KeyAlgorithm pinned) throws NgcException {
    Map<String, Object> header = CompactSerialization.jsonObject(headerBytes, StrictJwe::failure);
    if (!ALLOWED_HEADER_MEMBERS.containsAll(header.keySet())) {
      throw failure();
    }
    for (Object value : header.values()) {
      if (!(value instanceof String)) {
        throw failure();
      }
    }
    if (!pinned.headerName().equals(header.get("alg")) || !ENC_A256GCM.equals(header.get("enc"))) {
      throw failure();
    }
  }

  private static byte[] decode(String segment) throws NgcException {
    return CompactSerialization.decode(segment, StrictJwe::failure);
  }

  /** Returns the one exception every decryption failure produces: same type, code, message; no cause. */
  private static NgcException failure() {
    return new NgcException(ErrorCode.CLOUD_ERROR, FAILURE_DETAIL, FAILURE_REMEDY, null);
  }
}
