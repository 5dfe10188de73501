package dev.ngc4j.provider.support;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What every provider's {@code DeviceKeys} does with a PRT {@code session_key_jwe} ({@link SessionKeyEnvelope}),
 * around the one step that is the provider's own (decrypting the wrapped key with the transport key):
 *
 * <ol>
 *   <li>refuse an IV that is not 12 bytes or a tag that is not 16;
 *   <li>draw a random substitute key <em>before</em> the unwrap, then unwrap; a result that is missing or not exactly
 *       32 bytes is replaced by the substitute, so that the failure surfaces at the same tag check as a wrong key
 *       (RFC 7516 §11.5: no padding oracle);
 *   <li>authenticate the whole envelope with AES-256-GCM under the key, the protected header's bytes as additional
 *       data;
 *   <li>hand only an authentic key to the provider, which keeps it (in memory, or imported into its hardware);
 *   <li>zero every copy made here.
 * </ol>
 *
 * <p>Every envelope failure is the same {@link NgcException} ({@link ErrorCode#CLOUD_ERROR}) with the same message
 * and no cause ({@link #unwrapFailure()}); failures of the provider itself (its key file, its hardware) keep their
 * own exceptions.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class SessionKeyEnvelopes {
  /** The detail of the one exception every session-key unwrap or authentication failure produces. */
  public static final String UNWRAP_FAILURE_DETAIL = "the PRT session key could not be unwrapped and authenticated";

  private static final String UNWRAP_FAILURE_REMEDY =
      "sign in again; if it keeps failing, the device's transport key may not be the one registered at join";
  private static final int IV_LENGTH = 12;
  private static final int TAG_LENGTH = 16;

  private SessionKeyEnvelopes() {}

  /** Decrypts the wrapped key with the transport key: the provider's own step. */
  @FunctionalInterface
  public interface Unwrap {
    /**
     * Decrypts with RSA-OAEP and the algorithm's hash for OAEP and MGF1, the label empty.
     *
     * @param algorithm the envelope's algorithm
     * @param encryptedKey the wrapped key
     * @return the key (any length; the caller checks and zeroes it), or {@code null} on any failure of the
     *     ciphertext, whatever its cause
     * @throws NgcException if the provider itself fails (not for a bad ciphertext)
     */
    byte @Nullable [] unwrap(KeyWrapAlgorithm algorithm, byte[] encryptedKey) throws NgcException;
  }

  /** AES-256-GCM decryption and authentication. */
  @FunctionalInterface
  public interface Gcm {
    /**
     * Decrypts and authenticates.
     *
     * @param key the 32-byte key
     * @param iv the 12-byte IV
     * @param aad the additional data
     * @param sealed ciphertext and tag
     * @return the plaintext, which the caller zeroes, or {@code null} on any failure
     */
    byte @Nullable [] open(byte[] key, byte[] iv, byte[] aad, byte[] sealed);
  }

  /**
   * Keeps an authentic session key: the provider's handle.
   *
   * @param <H> the handle
   */
  @FunctionalInterface
  public interface Keep<H> {
    /**
     * Makes the handle; the key array is zeroed after this returns.
     *
     * @param sessionKey the 32-byte session key
     * @return the handle
     * @throws NgcException if the provider cannot keep it
     */
    H keep(byte[] sessionKey) throws NgcException;
  }

  /**
   * Unwraps and authenticates an envelope, and hands the key to {@code keep}.
   *
   * @param <H> the handle
   * @param envelope the envelope
   * @param random the source of the substitute key
   * @param unwrap the provider's unwrap with its transport key
   * @param gcm AES-256-GCM ({@link #jdkGcm} or the provider's own)
   * @param keep makes the handle of an authentic key
   * @return the handle
   * @throws NgcException {@link #unwrapFailure()} for every envelope failure; the provider's own failures as they are
   */
  public static <H> H open(SessionKeyEnvelope envelope, SecureRandom random, Unwrap unwrap, Gcm gcm, Keep<H> keep)
      throws NgcException {
    byte[] iv = envelope.initializationVector().toByteArray();
    byte[] tag = envelope.authenticationTag().toByteArray();
    if (iv.length != IV_LENGTH || tag.length != TAG_LENGTH) {
      throw unwrapFailure();
    }
    byte[] ciphertext = envelope.ciphertext().toByteArray();
    byte[] sealed = Arrays.copyOf(ciphertext, ciphertext.length + tag.length);
    System.arraycopy(tag, 0, sealed, ciphertext.length, tag.length);
    byte[] aad = envelope.protectedHeader().toByteArray();
    // RFC 7516 §11.5: draw the substitute first, so that both outcomes of the unwrap take the same path.
    byte[] substitute = new byte[SessionKeyEnvelope.SESSION_KEY_BYTES];
    random.nextBytes(substitute);
    byte[] unwrapped = unwrap.unwrap(envelope.algorithm(), envelope.encryptedKey().toByteArray());
    byte[] key = substitute;
    boolean unwrapOk = false;
    if (unwrapped != null && unwrapped.length == SessionKeyEnvelope.SESSION_KEY_BYTES) {
      key = unwrapped;
      unwrapOk = true;
    }
    byte[] plaintext = null;
    try {
      plaintext = gcm.open(key, iv, aad, sealed);
      if (plaintext == null || !unwrapOk) {
        throw unwrapFailure();
      }
      return keep.keep(key);
    } finally {
      Arrays.fill(substitute, (byte) 0);
      if (unwrapped != null) {
        Arrays.fill(unwrapped, (byte) 0);
      }
      if (plaintext != null) {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * AES-256-GCM with the JDK. The JCA's {@link SecretKeySpec} keeps a copy of the key until garbage collection
   * (best effort zeroing only).
   *
   * @param key the 32-byte key
   * @param iv the 12-byte IV
   * @param aad the additional data
   * @param sealed ciphertext and tag
   * @return the plaintext, which the caller zeroes, or {@code null} on any failure
   */
  public static byte @Nullable [] jdkGcm(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, iv));
      gcm.updateAAD(aad);
      return gcm.doFinal(sealed);
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Returns the one exception every unwrap failure produces: same type, code and message; no cause.
   *
   * @return {@code CLOUD_ERROR}
   */
  public static NgcException unwrapFailure() {
    return new NgcException(ErrorCode.CLOUD_ERROR, UNWRAP_FAILURE_DETAIL, UNWRAP_FAILURE_REMEDY, null);
  }

  /**
   * Makes the checks every provider's {@code signWithDeviceKey} starts with: arguments present, session open, RS256.
   *
   * @param session the provider session the device keys belong to
   * @param algorithm the algorithm asked for
   * @param message the message
   * @throws NgcException {@code UNSUPPORTED} for an algorithm other than RS256
   * @throws IllegalStateException if the session is closed
   */
  public static void checkDeviceKeySign(ProviderSessionBase session, SignatureAlgorithm algorithm, byte[] message)
      throws NgcException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(message, "message");
    session.ensureOpen();
    requireRs256(algorithm, session.providerName());
  }

  /**
   * Refuses every device-key algorithm but RS256, the one the Entra ID protocol uses.
   *
   * @param algorithm the algorithm asked for
   * @param provider the provider, for the message ("software provider", "TPM provider")
   * @throws NgcException {@code UNSUPPORTED} for any other algorithm
   */
  public static void requireRs256(SignatureAlgorithm algorithm, String provider) throws NgcException {
    if (algorithm != SignatureAlgorithm.RSA_PKCS1_SHA256) {
      throw new NgcException(
          ErrorCode.UNSUPPORTED,
          "The " + provider + "'s device key signs with RS256 (RSA_PKCS1_SHA256) only, not " + algorithm,
          "sign device requests with RSA_PKCS1_SHA256, as the Entra ID protocol does",
          null);
    }
  }
  /**
   * Makes the checks of {@link dev.ngc4j.spi.SessionKeyHandle#deriveKey} and returns the HMAC input of its one
   * NIST SP 800-108 counter-mode block with L = 256 bits: {@code 00000001 || label || 00 || context || 00000100}.
   *
   * @param label the label
   * @param context the context
   * @param closed whether the handle was closed
   * @return a fresh array
   * @throws IllegalStateException if the handle was closed
   */
  public static byte[] kdfInput(Bytes label, Bytes context, boolean closed) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(context, "context");
    if (closed) {
      throw new IllegalStateException("this session key handle is closed");
    }
    return kdfInput(label.toByteArray(), context.toByteArray());
  }

  /**
   * Returns the HMAC input of one NIST SP 800-108 counter-mode block with L = 256 bits:
   * {@code 00000001 || label || 00 || context || 00000100}.
   *
   * @param label the label
   * @param context the context
   * @return a fresh array
   */
  public static byte[] kdfInput(byte[] label, byte[] context) {
    ByteBuffer input = ByteBuffer.allocate(4 + label.length + 1 + context.length + 4);
    input.putInt(1).put(label).put((byte) 0).put(context).putInt(256);
    return input.array();
  }
}
