/**
 * The PKINIT set-up that sdk-core's Kerberos integration tests and the benchmarks' {@code PkinitBench} share,
 * shipped in sdk-core's test-jar (which holds this package only): a real MIT KDC with users and services, a software
 * provider session with PIN-protected containers, and PKINIT clients that trust the KDC's CA. It depends on sdk-core,
 * provider-software and sdk-testkit, and not on JUnit, so the benchmarks can use it too.
 */
@NullMarked
package dev.ngc4j.core.kerberos.testing;

import org.jspecify.annotations.NullMarked;
