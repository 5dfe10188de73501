package dev.ngc4j.spi;

import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import java.util.Optional;

/**
 * Produces an attestation statement for a container's key, for providers whose keys live in hardware that can
 * prove it (a TPM's AK certifying the key).
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface Attestor {
  /**
   * Attests a container's key.
   *
   * <p>A provider whose attestation needs the key's authorisation (a TPM's TPM2_Certify runs with the key's
   * authValue, which only the user's gesture yields) certifies the key while it creates the container, with the
   * {@link ContainerSpec#attestationChallenge()} given there, and returns that statement here when
   * {@code qualifyingData} is the same; for other data it fails with {@code ATTESTATION_UNSUPPORTED}.
   *
   * @param container a container of this provider
   * @param qualifyingData data the verifier expects inside the signed structure (a nonce or a hash of one)
   * @return the statement
   * @throws NgcException {@code ATTESTATION_UNSUPPORTED} or {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  AttestationStatement attest(KeyContainer container, Bytes qualifyingData) throws NgcException;

  /**
   * Returns the enrolment of this provider's attestation key with a directory, for providers whose statements
   * are signed by an attestation key that a directory must certify first.
   *
   * @return the enrolment, or empty when the provider's statements need none
   * @since 0.1.0
   */
  default Optional<AttestationKeyEnrollment> keyEnrollment() {
    return Optional.empty();
  }
}
