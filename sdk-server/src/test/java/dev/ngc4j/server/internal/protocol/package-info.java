/** Tests for {@code dev.ngc4j.server.internal.protocol}. */
@NullMarked
package dev.ngc4j.server.internal.protocol;

import org.jspecify.annotations.NullMarked;
