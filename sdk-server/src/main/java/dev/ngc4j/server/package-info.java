/**
 * The ngc4j service side: a directory of tenants, users and devices; device join with certificates from the
 * service's own CA; key registration; stateless nonces; PRT issuance and renewal. Usable as a library and as an
 * embeddable HTTP(S) server.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.server;

import org.jspecify.annotations.NullMarked;
