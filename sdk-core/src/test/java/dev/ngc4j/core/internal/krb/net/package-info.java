/** Tests of KDC location and transport against servers the tests run on loopback. */
@NullMarked
package dev.ngc4j.core.internal.krb.net;

import org.jspecify.annotations.NullMarked;
