package dev.ngc4j.spi;

import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.NgcException;

/**
 * The application's gesture prompt. Providers pull a gesture through it only when a key needs one, so a PIN is
 * never passed up front. Each call returns a fresh {@link Gesture} that the provider destroys after use.
 *
 * <p>Thread safety: may be called from any thread, but never concurrently for the same container.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface GestureSource {
  /**
   * Asks the user for a gesture.
   *
   * @param request what is wanted and why; includes attempts remaining and, for a new PIN, the PIN policy
   * @return a gesture of {@code request.kind()}; MUST NOT be {@code null}; ownership passes to the caller
   * @throws NgcException {@link dev.ngc4j.api.GestureCancelledException} if the user declines; a
   *     {@link dev.ngc4j.api.UserVerificationException} ({@code WRONG_GESTURE}) when a biometric modality rejected
   *     the sample, which the provider counts as a failed attempt; a {@link dev.ngc4j.api.PolicyException} when the
   *     gesture is not allowed
   * @since 0.1.0
   */
  Gesture provide(GestureRequest request) throws NgcException;
}
