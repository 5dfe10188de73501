/**
 * The service's key material and primitives: the master key file, sealed secrets, the device CA, the token-signing key, password hashing and cached JCA engines. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.crypto;

import org.jspecify.annotations.NullMarked;
