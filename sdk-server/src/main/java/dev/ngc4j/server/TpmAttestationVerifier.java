package dev.ngc4j.server;

import dev.ngc4j.api.AttestationException;
import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.server.internal.attestation.TpmStatementVerifier;
import dev.ngc4j.spi.AttestationVerification;
import dev.ngc4j.spi.AttestationVerifier;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Verifies {@code "tpm"} attestation statements strictly: everything docs/tpm.md §10 lists. The key's
 * {@code TPMT_PUBLIC} must be exactly what ngc4j provisions (RSA-2048, exponent 65537, scheme RSASSA-SHA256 or
 * NULL, symmetric NULL, nameAlg SHA-256, attributes exactly sign|fixedTPM|fixedParent|sensitiveDataOrigin|
 * userWithAuth, empty authPolicy) and hold the key being registered; the {@code TPMS_ATTEST} must be a
 * TPM-generated ATTEST_CERTIFY whose extraData is the qualifying data and whose name is
 * {@code nameAlg || SHA-256(exact TPMT_PUBLIC)}; the AIK certificate must have the AIK profile (v3, empty subject,
 * EKU 2.23.133.8.3, not a CA, critical SAN with TPM manufacturer/model/version, valid now within the clock skew)
 * and chain (PKIX, no revocation) to one of the trust anchors; and the signature over the exact certInfo bytes
 * must be RSASSA-PKCS1-v1_5 with SHA-256 by the AIK. Both structures must parse with no bytes left over.
 *
 * <p>The trust anchors are the AIK CAs the service trusts: for an {@link NgcService} with {@link TpmTrust}, its
 * {@link NgcService#aikCaCertificate()}. A refusal is a {@link TpmAttestationException} whose
 * {@link TpmAttestationException#reason()} names the failed check.
 *
 * <p>Usage outside {@link NgcService}:
 *
 * <pre>{@code
 * AttestationVerifierHook hook = AttestationVerifierHook.of(TpmAttestationVerifier.create(), List.of(aikCa));
 * }</pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class TpmAttestationVerifier implements AttestationVerifier {
  private final TpmStatementVerifier verifier;

  private TpmAttestationVerifier(Clock clock, Duration clockSkew) {
    this.verifier = new TpmStatementVerifier(clock, clockSkew);
  }

  /**
   * Creates a verifier on the system clock with a 5-minute clock skew for AIK certificate validity.
   *
   * @return the verifier
   * @since 0.1.0
   */
  public static TpmAttestationVerifier create() {
    return create(Clock.systemUTC(), Duration.ofMinutes(5));
  }

  /**
   * Creates a verifier.
   *
   * @param clock the clock for AIK certificate validity
   * @param clockSkew how far outside its validity an AIK certificate is still accepted, 0 to 1 hour
   * @return the verifier
   * @since 0.1.0
   */
  public static TpmAttestationVerifier create(Clock clock, Duration clockSkew) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("the clock skew must be between 0 and 1 hour");
    }
    return new TpmAttestationVerifier(clock, clockSkew);
  }

  /**
   * Returns {@link AttestationFormat#TPM}.
   *
   * @return the format
   * @since 0.1.0
   */
  @Override
  public AttestationFormat format() {
    return AttestationFormat.TPM;
  }

  /**
   * Verifies a statement.
   *
   * @param statement the statement
   * @param credentialKey the public key being registered
   * @param qualifyingData what certInfo's extraData must be
   * @param trustAnchors the trusted AIK CA certificates
   * @return the format, the anchor the AIK chain ended at, and the TPM as {@code manufacturer/model/version}
   * @throws AttestationException a {@link TpmAttestationException} naming the first failed check
   * @since 0.1.0
   */
  @Override
  public AttestationVerification verify(
      AttestationStatement statement, PublicKey credentialKey, Bytes qualifyingData, List<X509Certificate> trustAnchors)
      throws AttestationException {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(credentialKey, "credentialKey");
    Objects.requireNonNull(qualifyingData, "qualifyingData");
    List<X509Certificate> anchors = List.copyOf(trustAnchors);
    TpmStatementVerifier.Verified verified = verifier.verify(statement, credentialKey, qualifyingData, anchors);
    return new AttestationVerification(AttestationFormat.TPM, verified.trustAnchor(), verified.tpm().describe());
  }
}
