/** Tests for {@code dev.ngc4j.server.internal.crypto}. */
@NullMarked
package dev.ngc4j.server.internal.crypto;

import org.jspecify.annotations.NullMarked;
