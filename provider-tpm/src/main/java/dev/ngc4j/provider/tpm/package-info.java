/**
 * The TPM 2.0 provider (keys that never leave a TPM, attested by its AK). Not implemented yet: see the TPM issue.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.provider.tpm;

import org.jspecify.annotations.NullMarked;
