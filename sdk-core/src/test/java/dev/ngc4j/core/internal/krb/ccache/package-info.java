/** Tests of the MIT credential cache codec, including MIT klist reading what ngc4j writes. */
@NullMarked
package dev.ngc4j.core.internal.krb.ccache;

import org.jspecify.annotations.NullMarked;
