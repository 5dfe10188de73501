/** Tests for {@code dev.ngc4j.server.internal.token}. */
@NullMarked
package dev.ngc4j.server.internal.token;

import org.jspecify.annotations.NullMarked;
