/** Tests of the TPM provider against a real swtpm started by the tests. */
@NullMarked
package dev.ngc4j.provider.tpm;

import org.jspecify.annotations.NullMarked;
