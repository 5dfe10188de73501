@NullMarked
package dev.ngc4j.core;

import org.jspecify.annotations.NullMarked;
