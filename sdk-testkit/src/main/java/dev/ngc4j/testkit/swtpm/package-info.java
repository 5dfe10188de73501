/**
 * A software TPM 2.0 for tests and benchmarks: {@link dev.ngc4j.testkit.swtpm.Swtpm} starts {@code swtpm} on a free
 * loopback port with a fresh, manufactured state (EK and EK certificate from a local CA) and stops it again.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * try (Swtpm tpm = Swtpm.start(tempDir)) {
 *   tpm.relaxDictionaryAttack(); // 100 tries, 1 s recovery: wrong PINs on purpose do not lock the TPM
 *   // point the TPM provider at tpm.deviceSpec() ("tcp:127.0.0.1:<port>"), or send raw commands
 * }
 * }</pre>
 *
 * <p>It needs {@code apt-get install swtpm swtpm-tools} (done by {@code ./scripts/setup-debian.sh}); without them
 * {@link dev.ngc4j.testkit.swtpm.Swtpm#start(java.nio.file.Path)} fails with a message saying so. Tests never skip
 * because of a missing swtpm.
 *
 * <h2>Thread safety</h2>
 *
 * <p>Safe for concurrent use; each TPM serves one connection at a time.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.testkit.swtpm;

import org.jspecify.annotations.NullMarked;
