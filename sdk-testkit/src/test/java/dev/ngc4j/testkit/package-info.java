/** Tests of the testkit's own helpers. */
@NullMarked
package dev.ngc4j.testkit;

import org.jspecify.annotations.NullMarked;
