package dev.ngc4j.spi;

import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;

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
   * @param container a container of this provider
   * @param qualifyingData data the verifier expects inside the signed structure (a nonce or a hash of one)
   * @return the statement
   * @throws NgcException {@code ATTESTATION_UNSUPPORTED} or {@code PROVIDER_UNAVAILABLE}
   * @since 0.1.0
   */
  AttestationStatement attest(KeyContainer container, Bytes qualifyingData) throws NgcException;
}
