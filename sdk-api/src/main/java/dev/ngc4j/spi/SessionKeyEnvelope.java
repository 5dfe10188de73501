package dev.ngc4j.spi;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.Experimental;
import java.util.Objects;

/**
 * The parts of a {@code session_key_jwe} (a compact JWE whose content key is the PRT session key), already split
 * and base64url-decoded strictly by the caller. A provider unwraps {@link #encryptedKey()} with the transport key
 * and MUST authenticate the envelope (AES-256-GCM over {@link #ciphertext()} with the unwrapped key, the
 * {@link #initializationVector()}, the {@link #authenticationTag()}, and the ASCII bytes of the protected header
 * segment as additional data) before it accepts the key: a tampered envelope never yields a session key.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param algorithm how the key is wrapped, from the JWE header, already checked against the allow-list
 * @param protectedHeader the ASCII bytes of the first compact segment, exactly as received (the GCM AAD)
 * @param encryptedKey the wrapped session key (the second segment, decoded)
 * @param initializationVector the GCM IV (12 bytes)
 * @param ciphertext the ciphertext (may be a single byte)
 * @param authenticationTag the GCM tag (16 bytes)
 * @since 0.1.0
 */
@Experimental
public record SessionKeyEnvelope(
    KeyWrapAlgorithm algorithm,
    Bytes protectedHeader,
    Bytes encryptedKey,
    Bytes initializationVector,
    Bytes ciphertext,
    Bytes authenticationTag) {
  /** The session key length, in bytes. */
  public static final int SESSION_KEY_BYTES = 32;

  /**
   * Validates the fields.
   *
   * @param algorithm the wrap algorithm
   * @param protectedHeader the header segment
   * @param encryptedKey the wrapped key
   * @param initializationVector the IV
   * @param ciphertext the ciphertext
   * @param authenticationTag the tag
   */
  public SessionKeyEnvelope {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(protectedHeader, "protectedHeader");
    Objects.requireNonNull(encryptedKey, "encryptedKey");
    Objects.requireNonNull(initializationVector, "initializationVector");
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(authenticationTag, "authenticationTag");
  }
}
