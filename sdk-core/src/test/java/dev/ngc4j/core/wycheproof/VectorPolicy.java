package dev.ngc4j.core.wycheproof;

import java.util.Map;

/**
 * How the SDK decides what Wycheproof leaves open for one file, written down so that a change in behaviour
 * (a JDK update, a new check in our verifier) fails a test instead of passing silently.
 *
 * @param acceptable for each flag that marks {@code acceptable} vectors: whether we accept them, and why
 * @param keyRefused flags whose vectors use a key our key policy refuses, with the rule that refuses it; such
 *     vectors must be refused at {@code SignatureVerifier.forKey}, whatever their label
 */
record VectorPolicy(Map<String, Decision> acceptable, Map<String, String> keyRefused) {

  VectorPolicy {
    acceptable = Map.copyOf(acceptable);
    keyRefused = Map.copyOf(keyRefused);
  }

  /**
   * The decision for one {@code acceptable} flag.
   *
   * @param accept whether signatures with this flag verify
   * @param reason why, in one sentence
   */
  record Decision(boolean accept, String reason) {
    static Decision accept(String reason) {
      return new Decision(true, reason);
    }

    static Decision reject(String reason) {
      return new Decision(false, reason);
    }

    @Override
    public String toString() {
      return (accept ? "accept" : "reject") + " (" + reason + ")";
    }
  }
}
