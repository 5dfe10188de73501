/**
 * The wire protocol: routing, the endpoint handlers (discovery, join, key registration, nonces, token, authorize), the directory cache and the stable error codes. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.protocol;

import org.jspecify.annotations.NullMarked;
