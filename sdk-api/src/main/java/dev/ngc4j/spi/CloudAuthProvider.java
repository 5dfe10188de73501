package dev.ngc4j.spi;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;

/**
 * The cloud directory's protocol: device join, key registration, nonce, sign-in returning a PRT whose session
 * key stays protected, and renewal. The Entra ID wire protocol is implemented in {@code sdk-core}.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public interface CloudAuthProvider {
  /**
   * Joins the device: registers the device key and the transport key, and stores the device certificate.
   *
   * @param keys the provider's device keys
   * @param token an access token of a user allowed to join devices
   * @return the directory's device id
   * @throws NgcException {@code CLOUD_ERROR} with the server code
   * @since 0.1.0
   */
  dev.ngc4j.api.DeviceId joinDevice(DeviceKeys keys, AccessToken token) throws NgcException;

  /**
   * Registers a credential's public key for the user.
   *
   * @param registration the key, its attestation and the MFA token
   * @throws NgcException {@code MFA_REQUIRED} (checked locally first), {@code REGISTRATION_FAILED},
   *     {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  void registerKey(KeyRegistration registration) throws NgcException;

  /**
   * Withdraws a registered key. Idempotent.
   *
   * @param user the user
   * @param keyId the key
   * @param token the user's access token
   * @throws NgcException {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  void unregisterKey(UserPrincipal user, KeyId keyId, AccessToken token) throws NgcException;

  /**
   * Gets a fresh server nonce.
   *
   * @return the nonce
   * @throws NgcException {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  Bytes nonce() throws NgcException;

  /**
   * Signs in: signs a fresh nonce with the user's key through its container and gesture, and returns a PRT.
   *
   * @param container the user's container
   * @param gestures where to get the gesture
   * @param keys the device keys (outer request signature, session-key unwrap)
   * @return the PRT
   * @throws NgcException {@code KEY_NOT_REGISTERED}, {@code CLOUD_ERROR}, gesture errors
   * @since 0.1.0
   */
  PrimaryRefreshToken signIn(KeyContainer container, GestureSource gestures, DeviceKeys keys) throws NgcException;

  /**
   * Renews a PRT with its session key.
   *
   * @param prt the PRT
   * @param keys the device keys
   * @return the new PRT
   * @throws NgcException {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  PrimaryRefreshToken renew(PrimaryRefreshToken prt, DeviceKeys keys) throws NgcException;

  /**
   * Makes a PRT cookie ({@code x-ms-RefreshTokenCredential}) for browser single sign-on: a JWT with the PRT and a
   * fresh nonce, signed with a key derived from the session key.
   *
   * @implSpec throws {@code UNSUPPORTED}.
   * @param prt the PRT
   * @return the cookie value
   * @throws NgcException {@code UNSUPPORTED} when the protocol has no such cookie, {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  default String prtCookie(PrimaryRefreshToken prt) throws NgcException {
    throw new NgcException(
        dev.ngc4j.api.ErrorCode.UNSUPPORTED, "This directory protocol has no PRT cookie", "use signIn and renew", null);
  }

  /**
   * Gets a fresh registration nonce from the directory, for the attestation statement sent with a key
   * registration (its qualifying data is SHA-256 of the nonce's UTF-8 bytes).
   *
   * @return the nonce
   * @throws NgcException {@code UNSUPPORTED} when the directory takes no attestation, {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  default String attestationNonce() throws NgcException {
    throw new NgcException(dev.ngc4j.api.ErrorCode.UNSUPPORTED, "This directory protocol takes no key attestation",
        "register keys without attestation", null);
  }

  /**
   * Has the directory certify the device's attestation key (see {@link AttestationKeyEnrollment}) and returns
   * the chain it issued; the caller installs it with
   * {@link AttestationKeyEnrollment#installCertificateChain}.
   *
   * @param enrollment the provider's attestation key
   * @param keys the device keys (the requests are signed with the device key)
   * @return the AK certificate chain, AK certificate first
   * @throws NgcException {@code UNSUPPORTED} when the directory certifies no attestation keys,
   *     {@code ATTESTATION_INVALID} when it refuses the TPM (EK not trusted, activation failed),
   *     {@code DEVICE_NOT_JOINED}, {@code CLOUD_ERROR}
   * @since 0.1.0
   */
  default java.util.List<java.security.cert.X509Certificate> enrollAttestationKey(
      AttestationKeyEnrollment enrollment, DeviceKeys keys) throws NgcException {
    throw new NgcException(dev.ngc4j.api.ErrorCode.UNSUPPORTED,
        "This directory protocol certifies no attestation keys", "register keys without attestation", null);
  }
}
