/** Tests of the TPM provider's implementation against a real swtpm started by the tests. */
@NullMarked
package dev.ngc4j.provider.tpm.internal;

import org.jspecify.annotations.NullMarked;
