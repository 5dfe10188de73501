/**
 * JMH benchmarks of ngc4j with the software provider: the key pool ({@link dev.ngc4j.benchmarks.KeyPoolBench}),
 * signing through an unlocked container against raw JCA ({@link dev.ngc4j.benchmarks.SignBench}), unlocking a
 * container with the default Argon2id parameters ({@link dev.ngc4j.benchmarks.UnlockBench}), and cloud sign-in: the
 * whole flow over loopback HTTPS ({@link dev.ngc4j.benchmarks.CloudSignInBench}), the service's side of a sign-in
 * against the raw cryptography it needs ({@link dev.ngc4j.benchmarks.ServiceSignInBench}) and the client's WHfB
 * assertion against a raw signature ({@link dev.ngc4j.benchmarks.AssertionBench}). Results, the machine and the
 * command that reproduces them are in {@code BENCHMARKS.md} at the repository root.
 */
@NullMarked
package dev.ngc4j.benchmarks;

import org.jspecify.annotations.NullMarked;
