/** Tests of the software provider through its public API and the provider contract. */
@NullMarked
package dev.ngc4j.provider.software;

import org.jspecify.annotations.NullMarked;
