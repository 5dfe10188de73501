/** Tests for {@code dev.ngc4j.server.internal.keytrust}, and the key-trust certificate builder other tests use. */
@NullMarked
package dev.ngc4j.server.internal.keytrust;

import org.jspecify.annotations.NullMarked;
