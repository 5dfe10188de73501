/**
 * Plumbing the test harnesses share ({@link dev.ngc4j.testkit.kdc.MitKdc}, {@link dev.ngc4j.testkit.swtpm.Swtpm},
 * {@link dev.ngc4j.testkit.softhsm.SoftHsm}): finding and running tools with a deadline, pid files and
 * {@code /proc} checks, stopping processes, the JVM-exit cleanup of running instances, loopback addresses and file
 * helpers.
 *
 * <p><b>Not API.</b> The module does not export this package; it can change or go away in any release.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.testkit.internal;

import org.jspecify.annotations.NullMarked;
