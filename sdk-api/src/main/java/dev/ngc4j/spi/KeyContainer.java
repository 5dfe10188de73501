package dev.ngc4j.spi;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import java.security.PublicKey;
import java.util.List;

/**
 * A key container: one credential key and the protectors (PIN, biometric) that open it. The private key never
 * leaves it; every private-key operation pulls a gesture from a {@link GestureSource} first.
 *
 * <p>Wrong gestures count against a persistent limit; past it the container is locked out and every operation
 * that needs a gesture fails with {@link dev.ngc4j.api.UserVerificationException} ({@code LOCKED_OUT}) without
 * asking the user.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use; the provider serialises device access.
 *
 * @since 0.1.0
 */
public interface KeyContainer {
  /**
   * Returns the container id.
   *
   * @return the id
   * @since 0.1.0
   */
  ContainerId id();

  /**
   * Returns the user the container belongs to.
   *
   * @return the user
   * @since 0.1.0
   */
  UserPrincipal user();

  /**
   * Returns the key id (SHA-256 of the public key's SubjectPublicKeyInfo).
   *
   * @return the key id
   * @since 0.1.0
   */
  KeyId keyId();

  /**
   * Returns the public key; needs no gesture.
   *
   * @return the RSA public key
   * @since 0.1.0
   */
  PublicKey publicKey();

  /**
   * Returns whether the private key lives in hardware.
   *
   * @return true for TPM or token keys
   * @since 0.1.0
   */
  boolean hardwareBacked();

  /**
   * Lists the protectors.
   *
   * @return the protectors, in creation order
   * @throws NgcException if the container cannot be read
   * @since 0.1.0
   */
  List<ProtectorInfo> protectors() throws NgcException;

  /**
   * Returns the anti-hammering state.
   *
   * @return attempts remaining and lockout
   * @throws NgcException if the state cannot be read
   * @since 0.1.0
   */
  LockoutState lockoutState() throws NgcException;

  /**
   * Asks for a gesture, opens the container and returns a handle for several signatures.
   *
   * @param gestures where to get the gesture
   * @return the unlocked key; the caller closes it
   * @throws NgcException {@link dev.ngc4j.api.UserVerificationException} for a wrong gesture or lockout,
   *     {@link dev.ngc4j.api.GestureCancelledException} if the user cancels
   * @since 0.1.0
   */
  UnlockedKey unlock(GestureSource gestures) throws NgcException;

  /**
   * Asks for a gesture and signs one message.
   *
   * @implSpec unlocks, signs, and closes the unlocked key.
   * @param algorithm the scheme
   * @param message the message
   * @param gestures where to get the gesture
   * @return the signature
   * @throws NgcException as {@link #unlock(GestureSource)}
   * @since 0.1.0
   */
  default byte[] sign(SignatureAlgorithm algorithm, byte[] message, GestureSource gestures) throws NgcException {
    try (UnlockedKey key = unlock(gestures)) {
      return key.sign(algorithm, message);
    }
  }

  /**
   * Adds a protector: asks for a current gesture ({@link dev.ngc4j.api.GesturePurpose#CONFIRM_CURRENT}), then
   * for the new one ({@link dev.ngc4j.api.GesturePurpose#ADD_PROTECTOR}).
   *
   * @param spec the new protector's gesture
   * @param gestures where to get both gestures
   * @return the new protector
   * @throws NgcException for a wrong current gesture, a policy violation or a storage failure; the container is
   *     unchanged on failure
   * @since 0.1.0
   */
  ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException;

  /**
   * Changes the PIN: asks for the current PIN, then a new one that meets the container's PIN policy. Other
   * protectors keep working.
   *
   * @param gestures where to get both PINs
   * @throws NgcException for a wrong current PIN, a policy violation or a storage failure; the old PIN still
   *     works after a failure
   * @since 0.1.0
   */
  void changePin(GestureSource gestures) throws NgcException;
}
