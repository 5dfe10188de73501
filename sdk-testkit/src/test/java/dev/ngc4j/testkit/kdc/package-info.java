@NullMarked
package dev.ngc4j.testkit.kdc;

import org.jspecify.annotations.NullMarked;
