package dev.ngc4j.server;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.spi.AttestationVerification;
import dev.ngc4j.spi.AttestationVerifier;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Checks the attestation statement sent with a key registration (the evidence that the key lives in a TPM). The
 * service calls it with the statement, the key being registered, and the qualifying data the statement must
 * carry: SHA-256 of the UTF-8 bytes of the DRS nonce named in the registration's {@code attestation.nonce}.
 *
 * <p>When no hook is registered, no statement can verify: {@link AttestationPolicy#REQUIRED} refuses every key,
 * {@link AttestationPolicy#OPTIONAL} and {@link AttestationPolicy#IGNORED} register keys as unattested.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AttestationVerifierHook {
  /**
   * Verifies a statement.
   *
   * @param statement the statement the client sent
   * @param credentialKey the public key being registered
   * @param qualifyingData the data the statement must carry
   * @return what was verified
   * @throws AttestationException if the statement does not verify
   * @since 0.1.0
   */
  AttestationVerification verify(AttestationStatement statement, PublicKey credentialKey, Bytes qualifyingData)
      throws AttestationException;

  /**
   * Adapts an {@link AttestationVerifier} with fixed trust anchors; statements of another format are refused.
   *
   * @param verifier the verifier
   * @param trustAnchors the accepted device-maker roots
   * @return the hook
   * @since 0.1.0
   */
  static AttestationVerifierHook of(AttestationVerifier verifier, List<X509Certificate> trustAnchors) {
    Objects.requireNonNull(verifier, "verifier");
    List<X509Certificate> anchors = List.copyOf(trustAnchors);
    return (statement, key, qualifyingData) -> {
      if (!verifier.format().equals(statement.format())) {
        throw new AttestationException("the attestation format " + statement.format() + " is not accepted");
      }
      return verifier.verify(statement, key, qualifyingData, anchors);
    };
  }
}
