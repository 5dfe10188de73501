/**
 * The service side (DRS, nonce, PRT issuance, attestation and key-trust checks). Not implemented yet: see the
 * cloud sign-in issue.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.server;

import org.jspecify.annotations.NullMarked;
