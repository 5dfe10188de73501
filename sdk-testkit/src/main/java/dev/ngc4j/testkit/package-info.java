/**
 * Test helpers and provider contract tests for ngc4j. Use this module in test scope only.
 *
 * <h2>Testing a provider</h2>
 *
 * <ol>
 *   <li>Extend {@link dev.ngc4j.testkit.KeyContainerContract} and implement its two hooks: open a session of your
 *       provider on the given data directory and clock, and report the provider's configured attempt limit.
 *   <li>Add provider-specific tests to the same class; the helpers ({@link dev.ngc4j.testkit.ScriptedGestures},
 *       {@link dev.ngc4j.testkit.TestBiometricModality}, {@link dev.ngc4j.testkit.MutableClock}) work on their
 *       own too.
 * </ol>
 *
 * <p>The helpers fail loudly: a {@link dev.ngc4j.testkit.ScriptedGestures} asked more often than scripted throws an
 * {@link AssertionError} and remembers it, so a provider that swallows the error still fails the test.
 *
 * <h2>Thread safety</h2>
 *
 * <p>Every helper is safe for concurrent use; the contract test is a JUnit test class (one instance per test).
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.testkit;

import org.jspecify.annotations.NullMarked;
