@NullMarked
package dev.ngc4j.api;

import org.jspecify.annotations.NullMarked;
