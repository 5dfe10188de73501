/** Tests of the software TPM harness against a real swtpm. */
@NullMarked
package dev.ngc4j.testkit.swtpm;

import org.jspecify.annotations.NullMarked;
