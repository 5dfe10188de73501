/** Crypto and codecs of the Entra ID cloud sign-in wire protocol; internal, not exported. */
@NullMarked
package dev.ngc4j.core.internal.cloud;

import org.jspecify.annotations.NullMarked;
