package dev.ngc4j.core;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GesturePolicy;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import java.security.PublicKey;
import java.util.List;

/**
 * A user's provisioned credential on this device: the key container and the facts recorded when it was
 * provisioned. Every private-key operation asks for a gesture through the given {@link GestureSource}, and the
 * administrator's {@link GesturePolicy} is enforced on every gesture the application returns.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class Credential {
  private final KeyContainer container;
  private final String providerId;
  private final GesturePolicy gesturePolicy;

  Credential(KeyContainer container, String providerId, GesturePolicy gesturePolicy) {
    this.container = container;
    this.providerId = providerId;
    this.gesturePolicy = gesturePolicy;
  }

  /**
   * Returns the user.
   *
   * @return the user
   * @since 0.1.0
   */
  public UserPrincipal user() {
    return container.user();
  }

  /**
   * Returns the container id.
   *
   * @return the id
   * @since 0.1.0
   */
  public ContainerId containerId() {
    return container.id();
  }

  /**
   * Returns the key id.
   *
   * @return the key id
   * @since 0.1.0
   */
  public KeyId keyId() {
    return container.keyId();
  }

  /**
   * Returns the public key.
   *
   * @return the public key
   * @since 0.1.0
   */
  public PublicKey publicKey() {
    return container.publicKey();
  }

  /**
   * Returns the id of the provider holding the key.
   *
   * @return the provider id
   * @since 0.1.0
   */
  public String providerId() {
    return providerId;
  }

  /**
   * Returns whether the key lives in hardware.
   *
   * @return true for TPM or token keys
   * @since 0.1.0
   */
  public boolean hardwareBacked() {
    return container.hardwareBacked();
  }

  /**
   * Asks for a gesture and signs one message.
   *
   * @param algorithm the scheme
   * @param message the message
   * @param gestures the application's gesture prompt
   * @return the signature
   * @throws NgcException wrong gesture, lockout, cancellation, gesture policy, device failure
   * @since 0.1.0
   */
  public byte[] sign(SignatureAlgorithm algorithm, byte[] message, GestureSource gestures) throws NgcException {
    return container.sign(algorithm, message, policed(gestures));
  }

  /**
   * Asks for a gesture once and returns a handle for several signatures.
   *
   * @param gestures the application's gesture prompt
   * @return the unlocked key; close it when done
   * @throws NgcException wrong gesture, lockout, cancellation, gesture policy, device failure
   * @since 0.1.0
   */
  public UnlockedKey unlock(GestureSource gestures) throws NgcException {
    return container.unlock(policed(gestures));
  }

  /**
   * Changes the PIN (asks for the current PIN, then the new one).
   *
   * @param gestures the application's gesture prompt
   * @throws NgcException wrong PIN, PIN policy, storage failure; the old PIN still works after a failure
   * @since 0.1.0
   */
  public void changePin(GestureSource gestures) throws NgcException {
    container.changePin(policed(gestures));
  }

  /**
   * Adds a protector, such as a biometric next to the PIN.
   *
   * @param spec the new protector's gesture
   * @param gestures the application's gesture prompt
   * @return the protector
   * @throws NgcException gesture policy, wrong current gesture, storage failure
   * @since 0.1.0
   */
  public ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException {
    gesturePolicy.check(spec.kind());
    return container.addProtector(spec, policed(gestures));
  }

  /**
   * Lists the protectors.
   *
   * @return the protectors
   * @throws NgcException if the container cannot be read
   * @since 0.1.0
   */
  public List<ProtectorInfo> protectors() throws NgcException {
    return container.protectors();
  }

  /**
   * Returns the anti-hammering state.
   *
   * @return attempts remaining and lockout
   * @throws NgcException if the state cannot be read
   * @since 0.1.0
   */
  public LockoutState lockoutState() throws NgcException {
    return container.lockoutState();
  }

  /**
   * Returns the underlying container, for protocol code (cloud sign-in, PKINIT) that signs through it.
   *
   * @return the container
   * @since 0.1.0
   */
  public KeyContainer container() {
    return container;
  }

  private GestureSource policed(GestureSource gestures) {
    return request -> {
      Gesture g = gestures.provide(request);
      try {
        gesturePolicy.check(g.kind());
      } catch (PolicyException e) {
        g.destroy();
        throw e;
      }
      return g;
    };
  }

  @Override
  public String toString() {
    return "Credential[" + user() + ", key " + keyId().shortForm() + ", provider " + providerId + "]";
  }
}
