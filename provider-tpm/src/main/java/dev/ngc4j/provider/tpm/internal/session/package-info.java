/**
 * Salted, unbound HMAC authorization sessions with AES-128-CFB parameter encryption for the TPM 2.0 commands that
 * carry an authValue or another secret: {@code TPM2_Sign}, {@code TPM2_Certify}, {@code TPM2_ObjectChangeAuth},
 * {@code TPM2_Create} (the new object's authValue and sealed data), {@code TPM2_Unseal} (the unsealed data),
 * {@code TPM2_RSA_Decrypt} (the decrypted message) and {@code TPM2_HMAC} (the HMAC). Not API.
 *
 * <p>TSS.Java 1.0.0 only has password sessions, which put the authValue in clear into every command. The commands
 * here are built as raw bytes with TSS.Java's {@code TpmBuffer} and structure classes and sent through a
 * {@link dev.ngc4j.provider.tpm.internal.session.RawTpm}, so authValues (old and new), sealed and unsealed data,
 * decrypted keys, the digest to sign and the qualifying data never cross the TPM interface in clear, and every
 * response is checked against its HMAC before it is used (see
 * {@link dev.ngc4j.provider.tpm.internal.session.SaltedSession} for which parameter of which command is encrypted).
 *
 * <p>Protocol (TPM 2.0 Library Part 1, "Authorizations and Acknowledgments" and "Session-based encryption"):
 *
 * <ol>
 *   <li>{@code TPM2_StartAuthSession(tpmKey = an RSA storage key, bind = TPM_RH_NULL)} with a 32-byte random salt
 *       encrypted with RSA-OAEP (the key's nameAlg, label {@code "SECRET\0"}), session type HMAC, symmetric
 *       AES-128-CFB, authHash SHA-256. {@code sessionKey = KDFa(SHA-256, salt, "ATH", nonceTPM, nonceCaller, 256)}.
 *   <li>Per command: {@code cpHash = SHA-256(commandCode || names of all handles || parameters)} with the first
 *       parameter already encrypted; the command HMAC is {@code HMAC(sessionKey || authValue, cpHash || nonceCaller
 *       || nonceTPM || sessionAttributes)}, with the authValue's trailing zero bytes removed.
 *   <li>The first parameter (a TPM2B) is encrypted with AES-128-CFB under key and IV from
 *       {@code KDFa(SHA-256, sessionKey || authValue, "CFB", nonceCaller, nonceTPM, 256)}; the response's first
 *       parameter likewise with the nonces swapped.
 *   <li>The response HMAC over {@code rpHash = SHA-256(0 || commandCode || parameters)}, the new nonceTPM, the
 *       nonceCaller and the attributes is verified before anything else is read; a mismatch is a
 *       {@link dev.ngc4j.provider.tpm.internal.session.TpmIntegrityException}.
 * </ol>
 *
 * <p>Cost: a fresh session means one TPM2_StartAuthSession, whose RSA-2048 decryption of the salt dominates; on
 * swtpm it made a one-shot secure Sign ({@link dev.ngc4j.provider.tpm.internal.session.SecureCommands}) about 2.5 to
 * 3 times as slow as TSS.Java's password-session Sign, while a Sign in a session kept open
 * ({@link dev.ngc4j.provider.tpm.internal.session.SaltedSession#start}) cost about the same as the password-session
 * Sign. Keeping one session for several commands is safe: it is unbound, every HMAC is keyed with the authValue of
 * the object it authorizes, and nonces roll on every command; it occupies one of the TPM's few session slots until
 * closed.
 *
 * <p>Thread safety: see each type. A session rolls its nonces on every command and must be used by one thread at a
 * time.
 */
@NullMarked
package dev.ngc4j.provider.tpm.internal.session;

import org.jspecify.annotations.NullMarked;
