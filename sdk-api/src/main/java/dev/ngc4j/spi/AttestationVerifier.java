package dev.ngc4j.spi;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Checks attestation statements of one format on the service side: the AK chain to a trusted device-maker root,
 * the signature over the certified-key structure, that the structure names the registered key, and that it
 * carries the expected qualifying data.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface AttestationVerifier {
  /**
   * Returns the format this verifier checks.
   *
   * @return the format
   * @since 0.1.0
   */
  AttestationFormat format();

  /**
   * Verifies a statement.
   *
   * @param statement the statement
   * @param credentialKey the public key being registered
   * @param qualifyingData the data the statement must carry
   * @param trustAnchors the accepted device-maker roots
   * @return what was verified
   * @throws AttestationException with {@code ATTESTATION_INVALID} and the first failed check
   * @since 0.1.0
   */
  AttestationVerification verify(
      AttestationStatement statement, PublicKey credentialKey, Bytes qualifyingData, List<X509Certificate> trustAnchors)
      throws AttestationException;
}
