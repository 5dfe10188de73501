/**
 * A SoftHSM2 harness for tests and benchmarks: {@link dev.ngc4j.testkit.softhsm.SoftHsm} writes the configuration
 * that {@code SOFTHSM2_CONF} names, creates tokens with {@code softhsm2-util}, and runs OpenSC's {@code pkcs11-tool}
 * against them.
 */
@NullMarked
package dev.ngc4j.testkit.softhsm;

import org.jspecify.annotations.NullMarked;
