/**
 * JMH benchmarks of ngc4j with the software provider: the key pool ({@link dev.ngc4j.benchmarks.KeyPoolBench}),
 * signing through an unlocked container against raw JCA ({@link dev.ngc4j.benchmarks.SignBench}), and unlocking a
 * container with the default Argon2id parameters ({@link dev.ngc4j.benchmarks.UnlockBench}). Results, the machine
 * and the command that reproduces them are in {@code BENCHMARKS.md} at the repository root.
 */
@NullMarked
package dev.ngc4j.benchmarks;

import org.jspecify.annotations.NullMarked;
