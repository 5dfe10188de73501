/** Tests of the PKCS#11 provider against SoftHSM2, and unit tests of its parts. */
@NullMarked
package dev.ngc4j.provider.pkcs11.internal;

import org.jspecify.annotations.NullMarked;
