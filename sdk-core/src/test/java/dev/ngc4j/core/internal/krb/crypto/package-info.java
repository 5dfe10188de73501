/** Tests of the Kerberos crypto against the RFC 3961/3962/8009/8636 vectors and MIT's known answers. */
@NullMarked
package dev.ngc4j.core.internal.krb.crypto;

import org.jspecify.annotations.NullMarked;
