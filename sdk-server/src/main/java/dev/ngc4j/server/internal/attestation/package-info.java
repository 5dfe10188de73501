/**
 * TPM 2.0 attestation on the service side: strict readers of the TPM structures ({@code TPMT_PUBLIC},
 * {@code TPMS_ATTEST}), KDFa and MakeCredential, the EK certificate checks and the AIK CA that back the AIK
 * enrollment endpoints, and the strict verifier of {@code "tpm"} attestation statements. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.attestation;

import org.jspecify.annotations.NullMarked;
