/** Tests of the TPM provider's attestation against a real swtpm. */
@NullMarked
package dev.ngc4j.provider.tpm.internal.attest;

import org.jspecify.annotations.NullMarked;
