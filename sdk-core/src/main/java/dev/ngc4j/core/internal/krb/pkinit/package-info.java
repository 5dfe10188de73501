/**
 * PKINIT internals: Diffie-Hellman groups, the client's certificates (key trust and certificate trust), the CMS
 * SignedData around the AuthPack signed through a key container, and validation of the KDC's signed reply and
 * certificate. Not API.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.pkinit;

import org.jspecify.annotations.NullMarked;
