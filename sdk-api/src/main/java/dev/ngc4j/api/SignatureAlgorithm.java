package dev.ngc4j.api;

/**
 * The signature schemes a credential key signs with. Both use SHA-256 over the message; the container hashes.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public enum SignatureAlgorithm {
  /** RSASSA-PKCS1-v1_5 with SHA-256 (JWS {@code RS256}). */
  RSA_PKCS1_SHA256("SHA256withRSA", "RS256"),
  /** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (JWS {@code PS256}). */
  RSA_PSS_SHA256("RSASSA-PSS", "PS256");

  private final String jcaName;
  private final String jwsName;

  SignatureAlgorithm(String jcaName, String jwsName) {
    this.jcaName = jcaName;
    this.jwsName = jwsName;
  }

  /**
   * Returns the JCA {@code Signature} algorithm name (PSS also needs {@code PSSParameterSpec} SHA-256/MGF1/32/1).
   *
   * @return the JCA name
   * @since 0.1.0
   */
  public String jcaName() {
    return jcaName;
  }

  /**
   * Returns the JWS {@code alg} name.
   *
   * @return {@code RS256} or {@code PS256}
   * @since 0.1.0
   */
  public String jwsName() {
    return jwsName;
  }
}
