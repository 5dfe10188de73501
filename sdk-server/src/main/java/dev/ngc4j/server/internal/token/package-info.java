/**
 * Tokens the service issues and checks: nonces and their replay cache, sealed PRTs and authorization codes, access tokens, and the strict compact JWS reader. Not exported.
 */
@NullMarked
package dev.ngc4j.server.internal.token;

import org.jspecify.annotations.NullMarked;
