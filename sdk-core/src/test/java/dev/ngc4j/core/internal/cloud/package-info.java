/** Tests of the cloud sign-in crypto and codecs. */
@NullMarked
package dev.ngc4j.core.internal.cloud;

import org.jspecify.annotations.NullMarked;
