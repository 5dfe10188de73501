/**
 * Fixtures the providers' tests share, shipped in provider-support's test-jar: session-key envelopes built the way a
 * directory builds them, with every kind of tampering, and a byte search for "is this secret anywhere in these
 * bytes". They depend on sdk-api, the JDK and JUnit only (not on provider-support's main classes, so they also work
 * where that package is not exported).
 */
@NullMarked
package dev.ngc4j.provider.support.testing;

import org.jspecify.annotations.NullMarked;
