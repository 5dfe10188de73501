/** Tests of the Entra ID cloud client against an in-test HTTP server. */
@NullMarked
package dev.ngc4j.core.cloud;

import org.jspecify.annotations.NullMarked;
