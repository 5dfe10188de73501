package dev.ngc4j.provider.software.internal;

/**
 * Derives a protector key from a gesture. The standard implementation is {@link StandardKeyDerivation}; tests
 * substitute one that fails, to check that the attempt counter is written before the gesture is checked.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 */
interface KeyDerivation {
  /**
   * Derives a 32-byte key from a PIN with Argon2id.
   *
   * @param pinUtf8 the PIN as UTF-8 (the password); not retained
   * @param salt the protector's random salt
   * @param params the protector's cost parameters
   * @param deviceSecret the device secret (Argon2 {@code secret}); not retained
   * @param binding user and container (Argon2 {@code additional} data)
   * @return the key; the caller zeroes it
   */
  byte[] fromPin(byte[] pinUtf8, byte[] salt, Argon2Params params, byte[] deviceSecret, byte[] binding);

  /**
   * Derives a 32-byte key from a released biometric secret with HKDF-SHA256.
   *
   * @param secret the released secret; not retained
   * @param salt the protector's random salt
   * @param deviceSecret the device secret; not retained
   * @param binding user, container and modality (HKDF {@code info})
   * @return the key; the caller zeroes it
   */
  byte[] fromBiometric(byte[] secret, byte[] salt, byte[] deviceSecret, byte[] binding);
}
