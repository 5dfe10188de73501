/**
 * The TPM 2.0 provider: credential keys that are created inside a TPM and never leave it, opened by a PIN or a
 * biometric through the TPM's own authorisation checks and dictionary-attack (DA) protection.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * CredentialProvider tpm = TpmCredentialProvider.builder().device("/dev/tpmrm0").build();   // or tcp:127.0.0.1:2321
 * try (ProviderSession session = tpm.open(new ProviderContext(dataDir, Clock.systemUTC(), Map.of()))) {
 *   KeyContainer c = session.containers().create(spec, session.keySource().generate(), gestures);
 *   byte[] signature = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, message, gestures);
 * }
 * }</pre>
 *
 * <h2>Keys</h2>
 *
 * <ul>
 *   <li><b>Storage root key (SRK).</b> The standard RSA-2048 restricted decryption key of the owner hierarchy.
 *       With {@code srk=derive} (the default, right for swtpm) it is re-created with TPM2_CreatePrimary on every
 *       connection, which gives the same key every time; with {@code srk=persist} (hardware, where CreatePrimary is
 *       slow) it lives at persistent handle {@code 0x81000001}, created with TPM2_EvictControl if absent. Every
 *       container records the SRK's name and refuses to open under another one (a cleared TPM, another machine).
 *   <li><b>User key.</b> RSA-2048 made by TPM2_Create under the SRK with attributes sign, fixedTPM, fixedParent,
 *       sensitiveDataOrigin and userWithAuth (not noDA, not adminWithPolicy, not restricted, no decrypt), name
 *       algorithm SHA-256, empty policy, and scheme TPM_ALG_NULL, so TPM2_Sign can use RSASSA-PKCS1-v1_5 (RS256)
 *       or RSASSA-PSS (PS256) with SHA-256 per signature. Its private part exists in clear only inside the TPM; on
 *       disk are only TPM blobs that load under this TPM's SRK.
 *   <li><b>Using a key</b> loads its blob, runs one command and flushes it again; with the SRK, no more than two
 *       transient objects are ever loaded, so the three object slots TPMs guarantee (swtpm has exactly three and no
 *       resource manager) are always enough.
 * </ul>
 *
 * <h2>Gestures and authorisation values</h2>
 *
 * <p>The user key's authValue is derived from the PIN with HKDF-SHA256 to exactly 32 bytes: the PIN's UTF-8 bytes,
 * a random per-protector salt, and the binding (user principal, container id, the key's name). It is never stored;
 * the TPM checks it, and every wrong value counts towards the TPM's DA lockout. Changing the PIN runs
 * TPM2_ObjectChangeAuth to the new value, which yields a new private blob for the same key; the container file
 * holding the old blob is replaced atomically and the old file's content is overwritten with zeros and removed,
 * because the TPM would still load the old blob with the old PIN.
 *
 * <p><b>Biometric protector.</b> A biometric releases a secret (see {@link dev.ngc4j.spi.BiometricModality}); the
 * TPM must check it as it checks a PIN, and the biometric must keep working when the PIN changes without asking for
 * the biometric again. So each protector has its own blob of the same user key:
 *
 * <ol>
 *   <li>When the biometric protector is added (after the current PIN was verified), the verified blob gets a
 *       random 32-byte authValue {@code K} through TPM2_ObjectChangeAuth: a second blob of the same key.
 *   <li>{@code K} is sealed in a TPM sealed-data object (keyed-hash, no sign/decrypt, fixedTPM, fixedParent,
 *       userWithAuth, DA-protected) under the SRK, whose own authValue is HKDF-SHA256 of the biometric secret with
 *       its own salt and binding.
 *   <li>Unlocking with the biometric: load the sealed object, TPM2_Unseal with the biometric-derived value (a wrong
 *       secret is a DA failure like a wrong PIN), flush; then sign with the second blob and {@code K}.
 * </ol>
 *
 * <p>A PIN change replaces only the PIN's blob; a container can also be created with a biometric as its first
 * protector. {@code K} exists outside the TPM only in memory, between unsealing and closing the unlocked key.
 *
 * <h2>No secret crosses the TPM interface in clear</h2>
 *
 * <p>TSS.Java 1.0.0 only has password sessions, which put the authValue into the command in clear. Every command
 * that carries an authValue or another secret is therefore built by the provider itself and runs in a salted,
 * unbound HMAC session with AES-128-CFB parameter encryption (TPM 2.0 Part 1), salted to the SRK's public key:
 * TPM2_Sign, TPM2_ObjectChangeAuth (binding a pool key, checking and changing a PIN), TPM2_Unseal (the unsealed
 * {@code K} comes back encrypted), TPM2_Create of every object (the new authValue and sealed data travel encrypted,
 * so a pool key's throwaway value is as hidden as the PIN's), TPM2_Certify, and the device-key commands below.
 * AuthValues only key the HMACs, and every response is checked against its HMAC before it is used. Commands without
 * secrets (TPM2_Load of an SRK-encrypted blob, FlushContext, GetCapability, the SRK's own commands) stay with
 * TSS.Java. One session is kept per connection and reused (started on first use, flushed at close, started again
 * after a reconnect or when the TPM answers TPM_RC_REFERENCE_S0): a container sign then costs what a TSS.Java
 * password-session sign costs, where a fresh session per call would cost about 2.5 times as much. It holds one of
 * the TPM's session slots (libtpms has three) while the provider is open.
 *
 * <h2>Device keys</h2>
 *
 * <p>{@link dev.ngc4j.spi.ProviderSession#deviceKeys()} gives the device key (RSA-2048, RS256 only, scheme fixed in
 * the key) and the transport key (RSA-2048, OAEP decryption), made in the TPM under the SRK on first use (noDA, empty
 * authValue: they need no gesture) and kept as blobs in {@code device-key.ngc} and {@code transport-key.ngc} in the
 * data directory. A PRT session key is unwrapped with TPM2_RSA_Decrypt, authenticated (AES-256-GCM over the
 * envelope, in the JDK), imported into the TPM as an HMAC-SHA256 keyed-hash object under the SRK (TPM2_Create with
 * the key as sensitive data, encrypted on the way), and zeroed in the host; its SP 800-108 derivations run as
 * TPM2_HMAC inside the TPM. Every envelope failure is one opaque {@code CLOUD_ERROR}.
 *
 * <h2>Attempts and lockout</h2>
 *
 * <p>The TPM's DA counter is global to the chip (one attacked container locks every DA-protected key on the
 * machine), does not reset on success, and usually cannot be reset by this process (the lockout authorisation
 * belongs to the OS). So the provider keeps its own per-container counter in front of it, persisted before the
 * value reaches the TPM (a crash cannot save an attempt) and reset on success: {@code maxAttempts} wrong gestures
 * lock the container for {@code lockoutSeconds}, doubling per further lockout up to 24 hours. Keep
 * {@code maxAttempts} below the TPM's TPM_PT_MAX_AUTH_FAIL (a warning is logged otherwise). TPM_RC_AUTH_FAIL
 * becomes {@link dev.ngc4j.api.UserVerificationException#wrongGesture} with the provider's attempts remaining;
 * TPM_RC_LOCKOUT becomes {@link dev.ngc4j.api.UserVerificationException#lockedOut} until now + the TPM's time to
 * wait (TPM_PT_LOCKOUT_INTERVAL per failure above the limit; no end if the interval is 0), and the provider does
 * not count it. While the TPM is in lockout, nothing is asked.
 *
 * <h2>Key pool</h2>
 *
 * <p>{@link dev.ngc4j.spi.PooledKeySource#generate()} creates a user key with a random throwaway authValue and keeps
 * blob and value in memory only (pool keys do not outlive the process). Binding it to a container changes its
 * authValue to the gesture's with TPM2_ObjectChangeAuth; then the throwaway value and the old blob are zeroed, since
 * the TPM would accept that pair. sdk-core's key pool fills it in the background.
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li>The salt key of the sessions is the SRK as the TPM reports it on this connection. A passive observer of the
 *       bus learns nothing; an active interposer answering with its own SRK is detected for every existing
 *       container (whose file pins the SRK's name), but not on a first use with no container yet.
 *   <li>Host memory still holds what the host must use: an unlocked key's authValue until it is closed, a PRT
 *       session key for the moment between TPM2_RSA_Decrypt and its import (to check the envelope's GCM tag), and
 *       keys derived from it. Zeroing is best effort in Java (the JCA keeps copies of AES keys).
 *   <li>An old blob that was copied away before a PIN change still opens with the old PIN on this TPM (TPM blobs
 *       cannot be revoked without changing the SRK). Overwriting files is best effort on copy-on-write file systems
 *       and flash.
 *   <li>One process per TPM connection on swtpm (it serves one client at a time); {@code /dev/tpmrm0} multiplexes.
 * </ul>
 *
 * <p>Thread safety: the provider, its sessions and facets are safe for concurrent use; TPM commands are
 * serialised per session.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.provider.tpm;

import org.jspecify.annotations.NullMarked;
