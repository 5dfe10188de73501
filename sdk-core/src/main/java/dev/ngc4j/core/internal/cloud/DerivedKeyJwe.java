package dev.ngc4j.core.internal.cloud;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.SessionKeyHandle;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A compact {@code alg:"dir"} JWE encrypted under a key derived from the session key: the form of the PRT
 * renewal and access token responses (M8, M9) and of the {@code tgt_*} {@code clientKey}.
 *
 * <p>The header is {@code {"alg":"dir","enc":"A256GCM","ctx":"<std-b64>"}} and the encrypted key segment is
 * empty. The content key is {@link Sp800108Kdf#kdfV1} of the session key and the raw ctx, even when the request
 * used KDFv2. The IV length selects the form, as the protocol notes observe:
 *
 * <ul>
 *   <li>{@link Form#GCM}: 12-byte IV, AES-256-GCM, AAD = the ASCII of the header segment, 16-byte tag;
 *   <li>{@link Form#CBC}: 16-byte IV, AES-256-CBC with PKCS#7 padding and an EMPTY tag segment, even though the
 *       header says {@code A256GCM}. This form carries no integrity protection at all (it is not
 *       A256CBC-HS512: there is no MAC key and no tag); the caller must opt in to it per call, and should treat
 *       the plaintext as untrusted until it has parsed and validated it.
 * </ul>
 *
 * <p>Decryption is deliberately narrow: exactly five strict unpadded base64url segments; a UTF-8 JSON header
 * holding only string-valued {@code alg} (must be {@code dir}), {@code enc} (must be {@code A256GCM}),
 * {@code ctx} (required, canonical padded standard base64), {@code typ}, {@code cty} and {@code kid}; an empty
 * encrypted key. The CBC padding is checked without data-dependent branches. Every failure, whatever its cause,
 * is the same {@link NgcException} ({@link ErrorCode#CLOUD_ERROR}) with the same message and no cause.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class DerivedKeyJwe {
  /** The GCM IV length, in bytes. */
  static final int GCM_IV_BYTES = 12;

  /** The GCM tag length, in bytes. */
  static final int GCM_TAG_BYTES = 16;

  /** The CBC IV length (one AES block), in bytes. */
  static final int CBC_IV_BYTES = 16;

  /** The AES block length, in bytes. */
  static final int BLOCK_BYTES = 16;

  /** The longest compact serialization accepted, in characters. */
  static final int MAX_COMPACT_CHARS = 1024 * 1024;

  /** The detail of the one exception every decryption failure produces. */
  static final String FAILURE_DETAIL = "the session-key encrypted response could not be decrypted";

  private static final String FAILURE_REMEDY = "sign in again to obtain a new session key";

  private static final Set<String> ALLOWED_HEADER_MEMBERS = Set.of("alg", "enc", "ctx", "typ", "cty", "kid");

  private static final SecureRandom RANDOM = new SecureRandom();

  private DerivedKeyJwe() {}

  /** The content encryption forms. */
  public enum Form {
    /** AES-256-GCM, 12-byte IV, 16-byte tag, header segment as AAD. */
    GCM,
    /** AES-256-CBC with PKCS#7, 16-byte IV, empty tag: unauthenticated. */
    CBC
  }

  /**
   * Decrypts a response; only the GCM form is accepted.
   *
   * @param compact the compact serialization
   * @param sessionKey the 32-byte session key
   * @return the plaintext
   * @throws NgcException ({@link ErrorCode#CLOUD_ERROR}) on any failure, always with the same message
   */
  public static byte[] decrypt(String compact, byte[] sessionKey) throws NgcException {
    return decrypt(compact, sessionKey, false);
  }

  /**
   * Decrypts a response in the GCM form, or, when {@code allowCbc}, also in the unauthenticated CBC form.
   *
   * @param compact the compact serialization
   * @param sessionKey the 32-byte session key
   * @param allowCbc whether the unauthenticated CBC form is accepted
   * @return the plaintext
   * @throws NgcException ({@link ErrorCode#CLOUD_ERROR}) on any failure, always with the same message
   * @throws IllegalArgumentException if the session key is not 32 bytes
   */
  public static byte[] decrypt(String compact, byte[] sessionKey, boolean allowCbc) throws NgcException {
    Objects.requireNonNull(compact, "compact");
    Objects.requireNonNull(sessionKey, "sessionKey");
    checkSessionKey(sessionKey);
    return decrypt(compact, ctx -> Sp800108Kdf.kdfV1(sessionKey, ctx), allowCbc);
  }

  /**
   * Decrypts a response with the key a session key handle derives (KDFv1 of the header's ctx, label
   * {@value Sp800108Kdf#ENTRA_LABEL}): the client side, where the session key stays inside the provider. The checks
   * and the single failure are those of {@link #decrypt(String, byte[], boolean)}.
   *
   * @param compact the compact serialization
   * @param sessionKey the session key handle
   * @param allowCbc whether the unauthenticated CBC form is accepted
   * @return the plaintext
   * @throws NgcException ({@link ErrorCode#CLOUD_ERROR}) on any failure of the JWE, always with the same message;
   *     the provider's own exception if it fails to derive the key
   * @throws IllegalStateException if the handle is closed
   */
  public static byte[] decrypt(String compact, SessionKeyHandle sessionKey, boolean allowCbc) throws NgcException {
    Objects.requireNonNull(compact, "compact");
    Objects.requireNonNull(sessionKey, "sessionKey");
    Bytes label = Bytes.of(Sp800108Kdf.ENTRA_LABEL.getBytes(StandardCharsets.US_ASCII));
    return decrypt(compact, ctx -> sessionKey.deriveKey(label, Bytes.of(ctx)), allowCbc);
  }

  /** Derives the content key from the header's raw ctx; the caller zeroes the result. */
  @FunctionalInterface
  private interface ContentKeyDerivation {
    byte[] derive(byte[] ctx) throws NgcException;
  }

  private static byte[] decrypt(String compact, ContentKeyDerivation derivation, boolean allowCbc)
      throws NgcException {
    if (compact.length() > MAX_COMPACT_CHARS) {
      throw failure();
    }
    List<String> parts = CompactSerialization.split(compact, 5);
    if (parts.size() != 5) {
      throw failure();
    }
    String headerSegment = parts.get(0);
    Map<String, Object> header = CompactSerialization.jsonObject(decode(headerSegment), DerivedKeyJwe::failure);
    if (!ALLOWED_HEADER_MEMBERS.containsAll(header.keySet())) {
      throw failure();
    }
    for (Object value : header.values()) {
      if (!(value instanceof String)) {
        throw failure();
      }
    }
    if (!"dir".equals(header.get("alg")) || !StrictJwe.ENC_A256GCM.equals(header.get("enc"))) {
      throw failure();
    }
    byte[] ctx = DerivedKeyJws.decodeStandard(header.get("ctx"));
    if (ctx == null) {
      throw failure();
    }
    byte[] encryptedKey = decode(parts.get(1));
    byte[] iv = decode(parts.get(2));
    byte[] ciphertext = decode(parts.get(3));
    byte[] tag = decode(parts.get(4));
    if (encryptedKey.length != 0) {
      throw failure();
    }
    boolean gcm = iv.length == GCM_IV_BYTES && tag.length == GCM_TAG_BYTES;
    boolean cbc = allowCbc && iv.length == CBC_IV_BYTES && tag.length == 0
        && ciphertext.length > 0 && ciphertext.length % BLOCK_BYTES == 0;
    if (!gcm && !cbc) {
      throw failure();
    }
    byte[] key = derivation.derive(ctx);
    try {
      return gcm ? openGcm(key, iv, headerSegment, ciphertext, tag) : openCbc(key, iv, ciphertext);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Encrypts {@code plaintext} in {@code form} under a key derived from the session key and fresh ctx: the
   * service side, for tests and simulators.
   *
   * @param plaintext the content
   * @param sessionKey the 32-byte session key
   * @param form the form
   * @return the compact serialization
   * @throws IllegalArgumentException if the session key is not 32 bytes
   */
  public static String encrypt(byte[] plaintext, byte[] sessionKey, Form form) {
    byte[] ctx = new byte[DerivedKeyJws.CTX_BYTES];
    RANDOM.nextBytes(ctx);
    return encrypt(plaintext, sessionKey, form, ctx);
  }

  /** Encrypts with the given ctx; for tests. */
  static String encrypt(byte[] plaintext, byte[] sessionKey, Form form, byte[] ctx) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(sessionKey, "sessionKey");
    Objects.requireNonNull(form, "form");
    Objects.requireNonNull(ctx, "ctx");
    checkSessionKey(sessionKey);
    if (ctx.length == 0) {
      throw new IllegalArgumentException("ctx is empty");
    }
    String header = "{\"alg\":\"dir\",\"enc\":\"" + StrictJwe.ENC_A256GCM + "\",\"ctx\":\""
        + Base64.getEncoder().encodeToString(ctx) + "\"}";
    String headerSegment = Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url();
    byte[] key = Sp800108Kdf.kdfV1(sessionKey, ctx);
    try {
      if (form == Form.GCM) {
        byte[] iv = new byte[GCM_IV_BYTES];
        RANDOM.nextBytes(iv);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, iv));
        aes.updateAAD(headerSegment.getBytes(StandardCharsets.US_ASCII));
        byte[] sealed = aes.doFinal(plaintext);
        int ctLength = sealed.length - GCM_TAG_BYTES;
        return headerSegment
            + ".." + Bytes.of(iv).toBase64Url()
            + '.' + Bytes.of(Arrays.copyOf(sealed, ctLength)).toBase64Url()
            + '.' + Bytes.of(Arrays.copyOfRange(sealed, ctLength, sealed.length)).toBase64Url();
      }
      byte[] iv = new byte[CBC_IV_BYTES];
      RANDOM.nextBytes(iv);
      int pad = BLOCK_BYTES - plaintext.length % BLOCK_BYTES;
      byte[] padded = Arrays.copyOf(plaintext, plaintext.length + pad);
      Arrays.fill(padded, plaintext.length, padded.length, (byte) pad);
      Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] ciphertext = aes.doFinal(padded);
      Arrays.fill(padded, (byte) 0);
      return headerSegment + ".." + Bytes.of(iv).toBase64Url() + '.' + Bytes.of(ciphertext).toBase64Url() + '.';
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES-256", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] openGcm(byte[] key, byte[] iv, String headerSegment, byte[] ciphertext, byte[] tag)
      throws NgcException {
    try {
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, iv));
      aes.updateAAD(headerSegment.getBytes(StandardCharsets.US_ASCII));
      byte[] input = Arrays.copyOf(ciphertext, ciphertext.length + GCM_TAG_BYTES);
      System.arraycopy(tag, 0, input, ciphertext.length, GCM_TAG_BYTES);
      return aes.doFinal(input);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw failure();
    }
  }

  /** Decrypts raw CBC, then checks PKCS#7 padding over the whole last block without data-dependent branches. */
  private static byte[] openCbc(byte[] key, byte[] iv, byte[] ciphertext) throws NgcException {
    byte[] padded;
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      padded = aes.doFinal(ciphertext);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw failure();
    }
    int pad = padded[padded.length - 1] & 0xff;
    // bad != 0 iff pad is 0 or larger than a block, or a padding byte differs from pad.
    int bad = ((pad - 1) >>> 31) | ((BLOCK_BYTES - pad) >>> 31);
    for (int i = 1; i <= BLOCK_BYTES; i++) {
      int inPad = (i - pad - 1) >>> 31; // 1 iff i <= pad
      int diff = (padded[padded.length - i] & 0xff) ^ pad;
      bad |= inPad & ((diff | -diff) >>> 31);
    }
    if (bad != 0) {
      Arrays.fill(padded, (byte) 0);
      throw failure();
    }
    byte[] plaintext = Arrays.copyOf(padded, padded.length - pad);
    Arrays.fill(padded, (byte) 0);
    return plaintext;
  }

  private static void checkSessionKey(byte[] sessionKey) {
    if (sessionKey.length != DerivedKeyJws.SESSION_KEY_BYTES) {
      throw new IllegalArgumentException("the session key must be 32 bytes");
    }
  }

  private static byte[] decode(String segment) throws NgcException {
    return CompactSerialization.decode(segment, DerivedKeyJwe::failure);
  }

  /** Returns the one exception every decryption failure produces: same type, code, message; no cause. */
  private static NgcException failure() {
    return new NgcException(ErrorCode.CLOUD_ERROR, FAILURE_DETAIL, FAILURE_REMEDY, null);
  }
}
