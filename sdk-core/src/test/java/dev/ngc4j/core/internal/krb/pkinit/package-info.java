/** Tests of the PKINIT internals: DH, client certificates, CMS SignedData and KDC certificate validation. */
@NullMarked
package dev.ngc4j.core.internal.krb.pkinit;

import org.jspecify.annotations.NullMarked;
