@NullMarked
package dev.ngc4j.core.internal;

import org.jspecify.annotations.NullMarked;
