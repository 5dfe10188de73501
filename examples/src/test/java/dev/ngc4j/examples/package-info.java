/** Tests that run the examples in-process and check what they report. */
@NullMarked
package dev.ngc4j.examples;

import org.jspecify.annotations.NullMarked;
