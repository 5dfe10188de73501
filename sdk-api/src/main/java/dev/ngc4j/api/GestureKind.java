package dev.ngc4j.api;

/**
 * What a user presents to open a key container.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum GestureKind {
  /** A PIN: something the user knows. */
  PIN,
  /** A biometric match (fingerprint, face) that releases a secret. */
  BIOMETRIC
}
