/**
 * The PKCS#11 provider: RSA-2048 credential keys generated and kept on a PKCS#11 token (smart card, HSM, SoftHSM2),
 * opened by the token's user PIN.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * Pkcs11CredentialProvider p11 = Pkcs11CredentialProvider.builder()
 *     .library("/usr/lib/softhsm/libsofthsm2.so").tokenLabel("alice-card").build();
 * try (Pkcs11Session session = p11.open(new ProviderContext(dataDir, Clock.systemUTC(), Map.of()))) {
 *   session.fillKeyPool(gestures, 2);                       // asks for the token PIN once
 *   KeyContainer c = session.containers().create(spec, session.keySource().generate(), gestures);
 *   byte[] signature = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, message, gestures);
 * }
 * }</pre>
 *
 * <h2>Binding: ipkcs11wrapper, not SunPKCS11</h2>
 *
 * <p>The provider talks to the token through {@code org.xipki:ipkcs11wrapper} 1.0.9 behind its own small token
 * layer ({@code internal.SharedToken}). The JDK's SunPKCS11 was measured and rejected: it has one attribute template
 * per provider instance (no per-key CKA_ID or CKA_LABEL), its KeyStore ignores keys without a certificate and stores
 * no public keys, it hides CKR_USER_ALREADY_LOGGED_IN (a wrong PIN "succeeds" while logged in), it has no RSA-OAEP,
 * and anything beyond JCA needs {@code --add-exports} of JDK internals. The costs accepted with the wrapper: it copies
 * its bundled JNI library to {@code java.io.tmpdir} and loads it from there (a {@code noexec} temporary directory
 * fails to load, reported as {@code PROVIDER_UNAVAILABLE} with that remedy), and it is a small project (last release
 * 2024-07). Its own logging (licence banner, per-call INFO lines) is routed to SLF4J before the library loads, so it
 * never writes to stdout or stderr. Nothing is added to the JVM's provider list. From JDK 24 on, the JVM itself
 * prints a warning to stderr when the wrapper loads its JNI library (JEP 472 restricted methods); run the
 * application with {@code --enable-native-access=ALL-UNNAMED} (class path) to allow native access and silence it.
 *
 * <h2>Module and token sharing</h2>
 *
 * <p>One module per library path per JVM, C_Initialize at first use and C_Finalize when the last session closes
 * (reference-counted). Login state is per application and token in PKCS#11, so every session on the same token
 * shares one token object: its pool of PKCS#11 sessions (one per concurrent operation, up to {@code maxSessions}),
 * its login state and its pool reservations. Several tokens can be open at once. Waits for a session or for the
 * login state are bounded by {@code callTimeoutSeconds}; a token that is removed or stops answering
 * (CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_REMOVED, CKR_DEVICE_ERROR, broken session handles, or any failure after which
 * C_GetTokenInfo no longer answers with the token's serial) is {@code TOKEN_REMOVED}.
 *
 * <h2>The gesture is the token's user PIN</h2>
 *
 * <p>One PIN per token, shared by every container on it (like a smart card). Creating a container asks for the
 * existing token PIN with {@code GesturePurpose.CONFIRM_CURRENT}; a token PIN that breaks the spec's PIN policy is
 * refused with {@code PIN_POLICY_VIOLATION} (remedy: change the token PIN first) before the token sees it.
 * {@code changePin} runs C_SetPIN(old, new) and so changes the PIN of every container on the token. The token has no
 * biometric: the capabilities list only PIN, and a biometric first protector or {@code addProtector} of a biometric
 * is {@code UNSUPPORTED}, with nothing changed.
 *
 * <p>PIN checks: while not logged in, C_Login(CKU_USER) is the check (CKR_PIN_INCORRECT is a wrong gesture;
 * CKR_PIN_LOCKED or CKF_USER_PIN_LOCKED is {@code PIN_BLOCKED}, unblocked only by the SO; CKF_USER_PIN_FINAL_TRY
 * lowers the attempts reported to 1; CKF_USER_PIN_COUNT_LOW carries no number and is ignored, SoftHSM2 sets it after
 * any wrong PIN). While logged in by this provider, "already logged in" is never taken as verified: the PIN is
 * compared, in constant time, with an HMAC-SHA256 verifier made under a random per-login key at the C_Login the token
 * accepted (the PIN itself is not kept); a mismatch is a counted wrong gesture and other holders of unlocked keys
 * keep working. If someone else in the process logged the token in (no verifier of ours), the provider logs out and
 * logs in again with the offered PIN. A PIN outside the token's ulMinPinLen..ulMaxPinLen is refused before C_Login
 * with {@code PIN_POLICY_VIOLATION} and not counted. SoftHSM2 never locks its PIN, so the provider keeps its own
 * persistent counter per token (by serial) in {@code dataDirectory/tokens/<serial>/attempts.ngc}: {@code maxAttempts}
 * wrong PINs lock for {@code lockoutSeconds}, doubling up to 24 h; the failure is written before the token sees the
 * PIN. PINs are {@code char[]} copies zeroed after use, never logged, never in messages.
 *
 * <p>The token stays logged in only while something holds the login: an unlocked key, a pool fill, or an operation
 * on private objects; the last to finish logs out. Signatures run under the read lock of the login state, so none
 * runs across a logout and a new login; private-key handles are looked up again by CKA_ID after each login.
 *
 * <h2>Objects on the token</h2>
 *
 * <ul>
 *   <li>Key pairs: RSA-2048 generated on the token (CKM_RSA_PKCS_KEY_PAIR_GEN) as token objects with every
 *       attribute explicit. Private: CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE=false, CKA_SIGN; no
 *       DECRYPT, UNWRAP, DERIVE or SIGN_RECOVER. Public: CKA_TOKEN, CKA_PRIVATE=false (readable without the PIN),
 *       CKA_VERIFY only. A random 20-byte CKA_ID ties the halves; CKA_LABEL is {@code ngc4j-pool} for a pool entry
 *       and {@code ngc4j:<container id>} once bound.
 *   <li>Container records: a CKO_DATA token object, CKA_PRIVATE=false, CKA_APPLICATION {@code ngc4j}, label
 *       {@code ngc4j-container:<id>}, value a versioned, length-checked record (user, CKA_ID, public key, PIN policy,
 *       protectors, creation time); damage is {@code CONTAINER_CORRUPTED}. Containers can be listed and opened
 *       without the PIN.
 *   <li>Signatures: CKM_SHA256_RSA_PKCS (RS256) and CKM_SHA256_RSA_PKCS_PSS with SHA-256, MGF1-SHA-256, salt 32
 *       (PS256), each offered only if the token lists the mechanism. {@code hardwareBacked()} is the slot's
 *       CKF_HW_SLOT flag (false for SoftHSM2).
 * </ul>
 *
 * <p>No half-written container: creation relabels the claimed key pair {@code ngc4j:<id>} and then creates the
 * record object, which is the commit point. A crash in between leaves no record, so no container; at the next login
 * the relabelled key goes back to the pool. Deletion destroys the record first, then the public key, then the private
 * key if the provider holds the login; otherwise the private key is destroyed at the next login (PKCS#11 lets only a
 * logged-in user destroy private objects).
 *
 * <h2>Key pool on the token</h2>
 *
 * <p>Private keys can be created only while logged in, so the pool lives on the token: unclaimed entries are key
 * pairs labelled {@code ngc4j-pool}. {@link dev.ngc4j.spi.PooledKeySource#generate()} reserves (in this process) an
 * unclaimed entry found without the PIN; if none exists and the provider holds the login it generates one; otherwise
 * it throws {@code KEY_POOL_EMPTY}. Binding relabels the entry to its container. Closing an unbound pooled key ends
 * the reservation; the entry stays on the token. After every successful C_Login, a background thread takes its own
 * hold on the login and tops the pool up to {@code poolSize}; {@link dev.ngc4j.provider.pkcs11.Pkcs11Session#fillKeyPool}
 * does it explicitly with the PIN. {@link dev.ngc4j.provider.pkcs11.Pkcs11Session#adoptKey} takes a key pair made by
 * another tool into a container after checking it.
 *
 * <h2>Device keys and the PRT session key</h2>
 *
 * <p>{@link dev.ngc4j.spi.ProviderSession#deviceKeys()} is present. The device key and the transport key are
 * RSA-2048 token objects generated on the token at first use and found again by their labels
 * ({@code ngc4j-device-key}, {@code ngc4j-transport-key}) after a reopen: sensitive, never extractable, the device
 * key CKA_SIGN only (RS256, CKM_SHA256_RSA_PKCS), the transport key CKA_UNWRAP only. They need no PIN, so they are
 * <b>CKA_PRIVATE=false</b> private keys: PKCS#11 lets only a logged-in user create or use private objects, and a
 * device key is used with no gesture. The trade-off: SoftHSM2 encrypts only private objects under its PIN-derived
 * key, so these two keys lie unencrypted in its token directory (protected by that directory's permissions, as the
 * software provider's device keys are by its data directory's). A smart card or HSM that refuses such objects makes
 * {@code deviceKeys()}' first use fail with {@code UNSUPPORTED}, saying so.
 *
 * <p>The PRT session key is unwrapped on the token: C_UnwrapKey with CKM_RSA_PKCS_OAEP (SHA-1/MGF1-SHA-1 for
 * {@code RSA-OAEP}; SHA-256 for {@code RSA-OAEP-256} only where the token supports it: SoftHSM2 2.6 does not, and the
 * provider then throws {@code UNSUPPORTED} naming the mechanism, with no software fallback) into a sensitive,
 * non-extractable AES session object; the envelope is authenticated on the token with CKM_AES_GCM; an authentic key
 * is unwrapped again into a CKK_GENERIC_SECRET session object (sensitive, not extractable, CKA_SIGN only) and the
 * derived keys of the SP 800-108 KDF are C_Sign with CKM_SHA256_HMAC on it. The session key never reaches the host;
 * nothing of it stays in software. A failed unwrap is replaced by a random on-token substitute key so that every
 * envelope failure surfaces at the same tag check as the same {@code CLOUD_ERROR}, as in the other providers.
 *
 * <p>Thread safety: the provider, its sessions and facets are safe for concurrent use.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.provider.pkcs11;

import org.jspecify.annotations.NullMarked;
