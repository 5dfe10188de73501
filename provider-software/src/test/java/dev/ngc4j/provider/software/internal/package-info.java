/** Tests of the software provider's storage, crypto and crash behaviour. */
@NullMarked
package dev.ngc4j.provider.software.internal;

import org.jspecify.annotations.NullMarked;
