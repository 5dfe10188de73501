/**
 * Internal code shared by ngc4j's providers (software, TPM, and later PKCS#11). <strong>Not API:</strong> nothing
 * here carries a compatibility promise, and everything may change in any release; the module exports this package
 * only to the providers.
 *
 * <h2>What is here</h2>
 *
 * <ul>
 *   <li>Files: {@link dev.ngc4j.provider.support.FramedFile} (magic, version, length, body, SHA-256) with the
 *       big-endian body codec {@link dev.ngc4j.provider.support.ByteWriter} / {@link
 *       dev.ngc4j.provider.support.ByteReader}, written through {@link dev.ngc4j.provider.support.OwnerOnlyFiles}
 *       (owner-only, atomic replacement, hard-link creation, optional overwrite before removal).
 *   <li>Containers: {@link dev.ngc4j.provider.support.ContainerDirectory} (one directory per container under
 *       {@code containers/}, created all or nothing, listed, deleted by a rename out of the namespace, leftovers of
 *       interrupted operations removed), {@link dev.ngc4j.provider.support.ContainerLocks}, the attempt counter
 *       {@link dev.ngc4j.provider.support.AttemptCounter} with {@link dev.ngc4j.provider.support.LockoutPolicy},
 *       and the common parts of a container record ({@link dev.ngc4j.provider.support.ContainerHeader},
 *       {@link dev.ngc4j.provider.support.StoredPinPolicy}, {@link dev.ngc4j.provider.support.ProtectorHeader},
 *       {@link dev.ngc4j.provider.support.ProtectorList}).
 *   <li>Keys and sessions: {@link dev.ngc4j.provider.support.PooledKeyState},
 *       {@link dev.ngc4j.provider.support.DeviceKeyCache}, {@link dev.ngc4j.provider.support.SessionKeyEnvelopes},
 *       {@link dev.ngc4j.provider.support.GestureChecks} and {@link dev.ngc4j.provider.support.ProviderSessionBase}.
 * </ul>
 *
 * <p>Everything here is provider-neutral: the provider passes its names (for messages), its magics and its choices
 * (for example whether removed files are overwritten first), and keeps what is specific to its hardware.
 *
 * <p>Thread safety: see each type.
 */
@NullMarked
package dev.ngc4j.provider.support;

import org.jspecify.annotations.NullMarked;
