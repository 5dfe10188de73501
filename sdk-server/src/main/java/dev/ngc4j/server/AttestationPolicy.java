package dev.ngc4j.server;

/**
 * What key registration does with an attestation statement (the evidence that a key lives in a TPM).
 *
 * @since 0.1.0
 */
public enum AttestationPolicy {
  /** A key without a statement that verifies is refused. */
  REQUIRED,
  /** A statement, when sent, must verify; a key without one is registered and recorded as unattested. */
  OPTIONAL,
  /** Statements are not checked; every key is recorded as unattested. */
  IGNORED
}
