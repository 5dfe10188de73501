/** Tests of the PKCS#11 provider's public API. */
@NullMarked
package dev.ngc4j.provider.pkcs11;

import org.jspecify.annotations.NullMarked;
