/** Tests for {@code dev.ngc4j.server}. */
@NullMarked
package dev.ngc4j.server;

import org.jspecify.annotations.NullMarked;
