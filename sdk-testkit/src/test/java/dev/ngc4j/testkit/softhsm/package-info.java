/** Tests of the SoftHSM2 harness. */
@NullMarked
package dev.ngc4j.testkit.softhsm;

import org.jspecify.annotations.NullMarked;
