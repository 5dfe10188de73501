/**
 * The PKCS#11 provider (keys generated and kept on a token). Not implemented yet: see the PKCS#11 issue.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.provider.pkcs11;

import org.jspecify.annotations.NullMarked;
