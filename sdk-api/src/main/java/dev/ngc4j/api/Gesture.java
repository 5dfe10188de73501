package dev.ngc4j.api;

import javax.security.auth.Destroyable;

/**
 * What a user presented: a {@link Pin} or a {@link BiometricMatch}. Gestures hold secrets; whoever receives one
 * destroys it when done (ngc4j does so in a {@code finally} block).
 *
 * <p>Thread safety: implementations are safe for concurrent use, but a gesture is meant to be used once.
 *
 * @since 0.1.0
 */
public interface Gesture extends Destroyable, AutoCloseable {
  /**
   * Returns the gesture kind.
   *
   * @return the kind
   * @since 0.1.0
   */
  GestureKind kind();

  /**
   * Destroys the secret; same as {@link #destroy()}, without a checked exception.
   *
   * @since 0.1.0
   */
  @Override
  void close();

  /**
   * Zero-fills the secret. Idempotent.
   *
   * @since 0.1.0
   */
  @Override
  void destroy();
}
