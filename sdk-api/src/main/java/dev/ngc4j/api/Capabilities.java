package dev.ngc4j.api;

import java.util.Objects;
import java.util.Set;

/**
 * What a provider can do on this machine.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param hardwareBacked whether private keys live in hardware (TPM, token) rather than encrypted files
 * @param attestationFormats the attestation formats it can produce; empty when none
 * @param gestureKinds the gesture kinds its containers accept
 * @param signatureAlgorithms the signature algorithms its keys support
 * @since 0.1.0
 */
public record Capabilities(
    boolean hardwareBacked,
    Set<AttestationFormat> attestationFormats,
    Set<GestureKind> gestureKinds,
    Set<SignatureAlgorithm> signatureAlgorithms) {
  /**
   * Copies the sets.
   *
   * @param hardwareBacked hardware binding
   * @param attestationFormats formats
   * @param gestureKinds gesture kinds
   * @param signatureAlgorithms signature algorithms
   */
  public Capabilities {
    attestationFormats = Set.copyOf(Objects.requireNonNull(attestationFormats, "attestationFormats"));
    gestureKinds = Set.copyOf(Objects.requireNonNull(gestureKinds, "gestureKinds"));
    signatureAlgorithms = Set.copyOf(Objects.requireNonNull(signatureAlgorithms, "signatureAlgorithms"));
  }
}
