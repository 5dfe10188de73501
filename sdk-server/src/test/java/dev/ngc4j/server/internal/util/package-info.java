/** Tests for {@code dev.ngc4j.server.internal.util}. */
@NullMarked
package dev.ngc4j.server.internal.util;

import org.jspecify.annotations.NullMarked;
