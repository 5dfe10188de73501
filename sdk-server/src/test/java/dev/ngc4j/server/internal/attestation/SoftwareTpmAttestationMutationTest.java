package dev.ngc4j.server.internal.attestation;

import java.nio.charset.StandardCharsets;

/**
 * The mutation suite on a statement made in software: a software "AK" certified by a test AIK CA, a user key's
 * TPMT_PUBLIC and a TPMS_ATTEST marshalled as a TPM would, signed by the AK. The same suite runs on a statement
 * captured from swtpm by the end-to-end test (see {@link TpmAttestationMutationSuite}).
 */
final class SoftwareTpmAttestationMutationTest extends TpmAttestationMutationSuite {
  private static final SoftTpm TPM = new SoftTpm();
  private static final Baseline BASELINE = make();

  private static Baseline make() {
    byte[] pub = TPM.userPublic();
    byte[] qualifyingData = SoftTpm.sha256("a DRS nonce".getBytes(StandardCharsets.UTF_8));
    byte[] info = TPM.certify(pub, qualifyingData).marshal();
    return captured(info, pub, TPM.sign(info), TPM.ak.getPublic(), TPM.user.getPublic(), qualifyingData);
  }

  @Override
  protected Baseline baseline() {
    return BASELINE;
  }
}
