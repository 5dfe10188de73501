/** Test support: an in-memory directory, a settable clock and a hand-built protocol client. */
@NullMarked
package dev.ngc4j.server.support;

import org.jspecify.annotations.NullMarked;
