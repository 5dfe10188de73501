package dev.ngc4j.spi;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;

/**
 * A biometric sensor and matcher that releases a per-user secret after a live match. ngc4j never sees templates;
 * it derives a protector key from the released secret. A {@link GestureSource} answers
 * {@link dev.ngc4j.api.GestureKind#BIOMETRIC} requests by calling {@link #match}.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface BiometricModality {
  /**
   * Returns the modality id, such as {@code fingerprint} or {@code face}.
   *
   * @return a stable id
   * @since 0.1.0
   */
  String id();

  /**
   * Enrols the user and releases a new random secret bound to the enrolment.
   *
   * @param user the user
   * @return the released secret
   * @throws NgcException if enrolment fails or is cancelled
   * @since 0.1.0
   */
  BiometricMatch enroll(UserPrincipal user) throws NgcException;

  /**
   * Matches a live sample and releases the enrolled secret.
   *
   * @param user the user
   * @return the released secret
   * @throws NgcException with {@link dev.ngc4j.api.ErrorCode#WRONG_GESTURE} when the sample does not match
   * @since 0.1.0
   */
  BiometricMatch match(UserPrincipal user) throws NgcException;
}
