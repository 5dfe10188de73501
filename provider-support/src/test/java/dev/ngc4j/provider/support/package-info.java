@NullMarked
package dev.ngc4j.provider.support;

import org.jspecify.annotations.NullMarked;
