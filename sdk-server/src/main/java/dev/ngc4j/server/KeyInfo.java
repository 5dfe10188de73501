package dev.ngc4j.server;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A registered credential key (one per user per device).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param kid the registration id returned to the client
 * @param userId the user's object id
 * @param deviceId the device id
 * @param keyIdentifier standard base64 of SHA-256 of the RSA1 blob (the {@code kid} of sign-in assertions)
 * @param keyId base64url SHA-256 of the DER SubjectPublicKeyInfo (ngc4j's {@code KeyId})
 * @param attestation the attestation outcome ({@code none} or {@code verified:<format>})
 * @param created when it was registered
 * @since 0.1.0
 */
public record KeyInfo(
    UUID kid, UUID userId, UUID deviceId, String keyIdentifier, String keyId, String attestation, Instant created) {
  /**
   * Validates the fields.
   *
   * @param kid the registration id
   * @param userId the user
   * @param deviceId the device
   * @param keyIdentifier the key identifier
   * @param keyId the key id
   * @param attestation the attestation outcome
   * @param created the creation time
   */
  public KeyInfo {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(keyIdentifier, "keyIdentifier");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(attestation, "attestation");
    Objects.requireNonNull(created, "created");
  }
}
