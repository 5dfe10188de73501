/**
 * The PKCS#11 provider's implementation: the module registry and the shared token layer over ipkcs11wrapper, the
 * token's attempt counter, the on-token container records, the key pool, and the SPI facets. Not API.
 */
@NullMarked
package dev.ngc4j.provider.pkcs11.internal;

import org.jspecify.annotations.NullMarked;
