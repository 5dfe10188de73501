/**
 * The implementation of the TPM provider. Not API: nothing here is exported, and everything may change in any
 * release.
 *
 * <h2>Layout of the data directory</h2>
 *
 * <pre>
 * dataDirectory/                      rwx------
 *   containers/                       rwx------
 *     &lt;container id&gt;/                 rwx------
 *       container.ngc                 rw-------  SRK name, the user key's public area, PIN policy, protectors
 *                                                (per protector: salt, the key's private blob under that
 *                                                protector's authValue; biometric: the sealed object's blobs)
 *       attempts.ngc                  rw-------  failed attempts, lockouts, lockout end
 *       .old-…                        a replaced container file not yet overwritten (interrupted PIN change)
 *     .tmp-…  .del-…                  a creation or deletion in progress (or interrupted); never a container
 *   device-key.ngc                    rw-------  the device key: role, SRK name, public area, private blob
 *   transport-key.ngc                 rw-------  the transport key, likewise
 * </pre>
 *
 * <p>Files are provider-support's {@link dev.ngc4j.provider.support.FramedFile}s (magic, version, length, body,
 * SHA-256) written atomically through {@link dev.ngc4j.provider.support.OwnerOnlyFiles}; the container layout, the
 * attempt counter and its lockout rules are provider-support's too
 * ({@link dev.ngc4j.provider.support.ContainerDirectory} with overwriting disposal,
 * {@link dev.ngc4j.provider.support.LockoutPolicy}). Nothing in them is secret on its own:
 * key blobs only load under this TPM's storage root key, and authValues are never stored.
 *
 * <h2>Classes</h2>
 *
 * <ul>
 *   <li>{@link dev.ngc4j.provider.tpm.internal.TpmConnection}: the transport (swtpm over TCP with
 *       {@link dev.ngc4j.provider.tpm.internal.SocketTpmDevice}, TSS.Java's {@code TpmDeviceLinux} for
 *       {@code /dev/tpmrm0}), the lock, startup, stale-handle flush, and raw {@code transact}.
 *   <li>{@link dev.ngc4j.provider.tpm.internal.TpmKeys}: every key command (SRK, create, sign, change auth,
 *       seal/unseal, RSA decrypt, HMAC, dictionary-attack state), and the connection's kept salted session
 *       ({@link dev.ngc4j.provider.tpm.internal.session}) that every command carrying a secret runs in.
 *   <li>{@code TpmDeviceKeys}, {@code TpmSessionKey}: the device key, the transport key, and PRT session keys held
 *       in the TPM.
 *   <li>{@link dev.ngc4j.provider.tpm.internal.TpmSession}, {@code TpmStore}, {@code TpmContainer},
 *       {@code TpmUnlockedKey}, {@code TpmKeySource}, {@code TpmPooledKey}: the SPI facets.
 * </ul>
 *
 * <p>Thread safety: see each type.
 */
@NullMarked
package dev.ngc4j.provider.tpm.internal;

import org.jspecify.annotations.NullMarked;
