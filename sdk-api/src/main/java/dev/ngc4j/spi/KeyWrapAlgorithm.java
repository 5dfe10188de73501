package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;

/**
 * How a PRT session key is wrapped to the device's transport key. Both are RSA-OAEP with MGF1 over the same hash
 * and an empty label; PKCS#1 v1.5 wrapping ({@code RSA1_5}) is deliberately absent.
 *
 * @since 0.1.0
 */
@Experimental
public enum KeyWrapAlgorithm {
  /** JWE {@code RSA-OAEP}: OAEP with SHA-1 and MGF1-SHA-1, what Entra ID sends. */
  RSA_OAEP_SHA1("RSA-OAEP", "SHA-1"),
  /** JWE {@code RSA-OAEP-256}: OAEP with SHA-256 and MGF1-SHA-256. */
  RSA_OAEP_SHA256("RSA-OAEP-256", "SHA-256");

  private final String jweName;
  private final String hash;

  KeyWrapAlgorithm(String jweName, String hash) {
    this.jweName = jweName;
    this.hash = hash;
  }

  /**
   * Returns the JWE {@code alg} name.
   *
   * @return for example {@code RSA-OAEP}
   * @since 0.1.0
   */
  public String jweName() {
    return jweName;
  }

  /**
   * Returns the JCA name of the OAEP hash, also used for MGF1.
   *
   * @return {@code SHA-1} or {@code SHA-256}
   * @since 0.1.0
   */
  public String hash() {
    return hash;
  }
}
