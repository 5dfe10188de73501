/**
 * Runnable examples of ngc4j, one {@code main} per scenario. Each compiles against the public API only
 * ({@code dev.ngc4j.api}, {@code dev.ngc4j.spi} and {@code dev.ngc4j.core}) and gets its provider from the class
 * path at run time.
 *
 * <ul>
 *   <li>{@link dev.ngc4j.examples.ProvisionAndSignDemo}: provision a software-backed credential, sign a server
 *       challenge with RS256 and PS256, verify it against the registered key, show a typed error and the status,
 *       then remove everything.
 *   <li>{@link dev.ngc4j.examples.DemoDirectory}: an in-process stand-in for the cloud directory until
 *       {@code sdk-server} exists.
 * </ul>
 *
 * <p>Examples print to standard output on purpose; library code never does.
 */
@NullMarked
package dev.ngc4j.examples;

import org.jspecify.annotations.NullMarked;
