/** Tests of the Kerberos and PKINIT message codecs. */
@NullMarked
package dev.ngc4j.core.internal.krb.msg;

import org.jspecify.annotations.NullMarked;
