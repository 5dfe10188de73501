package dev.ngc4j.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The secret a biometric modality releases after a successful match. The provider derives a protector key from
 * it; the modality is responsible for releasing it only after a live match.
 *
 * <h2>Security</h2>
 *
 * <p>The secret is copied in, handed out only as fresh copies, and zero-filled on {@link #destroy()}.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class BiometricMatch implements Gesture {
  private final String modality;
  private final byte[] secret;
  private volatile boolean destroyed;

  private BiometricMatch(String modality, byte[] secret) {
    this.modality = modality;
    this.secret = secret;
  }

  /**
   * Creates a match result.
   *
   * @param modality the id of the modality that matched, such as {@code fingerprint}
   * @param secret the released secret, at least 16 bytes; copied
   * @return the match
   * @since 0.1.0
   */
  public static BiometricMatch of(String modality, byte[] secret) {
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(secret, "secret");
    if (secret.length < 16) {
      throw new IllegalArgumentException("a biometric secret must be at least 16 bytes");
    }
    return new BiometricMatch(modality, secret.clone());
  }

  @Override
  public GestureKind kind() {
    return GestureKind.BIOMETRIC;
  }

  /**
   * Returns the id of the modality that matched.
   *
   * @return the modality id
   * @since 0.1.0
   */
  public String modality() {
    return modality;
  }

  /**
   * Returns a fresh copy of the secret; the receiver must zero it.
   *
   * @return the secret
   * @throws IllegalStateException if destroyed
   * @since 0.1.0
   */
  public synchronized byte[] copySecret() {
    if (destroyed) {
      throw new IllegalStateException("this biometric match was destroyed");
    }
    return secret.clone();
  }

  @Override
  public synchronized void destroy() {
    Arrays.fill(secret, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public void close() {
    destroy();
  }

  @Override
  public String toString() {
    return "BiometricMatch[" + modality + ", redacted]";
  }
}
