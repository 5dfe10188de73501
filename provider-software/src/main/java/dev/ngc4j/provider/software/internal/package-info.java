/**
 * The implementation of the software provider. Not API: nothing here is exported, and everything may change in any
 * release.
 *
 * <h2>Layout of the data directory</h2>
 *
 * <pre>
 * dataDirectory/                      rwx------
 *   device-secret.ngc                 rw-------  32 random bytes, the Argon2 secret and HKDF input of this device
 *   machine-key.ngc                   rw-------  32 random bytes, the AES-256 key of the two device key files
 *   device-key.ngc                    rw-------  the device key: public key, private key encrypted (AES-256-GCM)
 *   transport-key.ngc                 rw-------  the transport key, likewise
 *   containers/                       rwx------
 *     &lt;container id&gt;/                 rwx------
 *       container.ngc                 rw-------  public key, encrypted private key, protectors, PIN policy
 *       attempts.ngc                  rw-------  failed attempts, lockouts, lockout end
 *     .tmp-…  .del-…                  a creation or deletion in progress (or interrupted); never a container
 * </pre>
 *
 * <p>Every file is a {@link dev.ngc4j.provider.support.FramedFile}: an 8-byte magic, a format version, the body
 * length, the body, and a SHA-256 over all of it. Files are replaced atomically (temporary file in the same
 * directory, {@code force}, atomic rename, directory {@code fsync}) through
 * {@link dev.ngc4j.provider.support.OwnerOnlyFiles}; the container layout, the attempt counter and its lockout rules
 * are {@code provider-support}'s, shared with the other providers.
 *
 * <p>Thread safety: see each type.
 */
@NullMarked
package dev.ngc4j.provider.software.internal;

import org.jspecify.annotations.NullMarked;
