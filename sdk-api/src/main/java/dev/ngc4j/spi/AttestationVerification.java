package dev.ngc4j.spi;

import dev.ngc4j.api.AttestationFormat;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The outcome of a successful attestation check.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param format the statement's format
 * @param trustAnchor the root the AK chain ended at
 * @param device a description of the attesting device (for TPM: manufacturer, model, version from the AK SAN)
 * @since 0.1.0
 */
public record AttestationVerification(AttestationFormat format, X509Certificate trustAnchor, String device) {
  /**
   * Validates the fields.
   *
   * @param format the format
   * @param trustAnchor the root
   * @param device the description
   */
  public AttestationVerification {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(trustAnchor, "trustAnchor");
    Objects.requireNonNull(device, "device");
  }
}
