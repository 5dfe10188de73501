package dev.ngc4j.spi;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.UserPrincipal;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to register a credential's public key with the directory.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param user the user
 * @param keyId the key id
 * @param publicKey the public key
 * @param attestation the attestation statement, when the key is in attesting hardware
 * @param token the user's access token with an MFA claim
 * @param attestationNonce the directory's registration nonce the attestation statement was made for (its
 *     qualifying data is SHA-256 of the nonce's UTF-8 bytes); present exactly when {@code attestation} is
 * @since 0.1.0
 */
public record KeyRegistration(
    UserPrincipal user,
    KeyId keyId,
    PublicKey publicKey,
    Optional<AttestationStatement> attestation,
    AccessToken token,
    Optional<String> attestationNonce) {
  /**
   * Validates the fields.
   *
   * @param user the user
   * @param keyId the key id
   * @param publicKey the key
   * @param attestation the attestation
   * @param token the token
   * @param attestationNonce the nonce the statement was made for
   * @throws IllegalArgumentException if a statement comes without its nonce or a nonce without a statement
   */
  public KeyRegistration {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(attestationNonce, "attestationNonce");
    if (attestation.isPresent() != attestationNonce.isPresent()) {
      throw new IllegalArgumentException("an attestation statement and its nonce go together");
    }
  }

  /**
   * A registration without attestation.
   *
   * @param user the user
   * @param keyId the key id
   * @param publicKey the key
   * @param token the token
   * @since 0.1.0
   */
  public KeyRegistration(UserPrincipal user, KeyId keyId, PublicKey publicKey, AccessToken token) {
    this(user, keyId, publicKey, Optional.empty(), token, Optional.empty());
  }
}
