/** Implementation details of sdk-core; not API. */
@NullMarked
package dev.ngc4j.core.internal;

import org.jspecify.annotations.NullMarked;
