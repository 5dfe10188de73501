package dev.ngc4j.provider.tpm.internal.session;

import dev.ngc4j.api.NgcException;
import java.security.SecureRandom;
import tss.tpm.TPM2B_PRIVATE;
import tss.tpm.TPMT_SIGNATURE;

/**
 * One-shot forms of the {@link SaltedSession} commands: each starts a single-use salted session, runs one command
 * and makes sure the session is gone afterwards (the TPM ends it on success; it is flushed on every failure). Each
 * call costs one extra TPM2_StartAuthSession, whose RSA decryption dominates (see the package documentation); a
 * caller that signs often can keep a {@link SaltedSession#start started} session instead.
 *
 * <p>Thread safety: stateless and safe for concurrent use (each call uses its own session).
 */
public final class SecureCommands {
  private SecureCommands() {}

  /**
   * TPM2_Sign in a fresh salted session; see {@link SaltedSession#sign}.
   *
   * @param tpm the connection
   * @param saltKey the loaded RSA salt key (the SRK) with its stored public area
   * @param random the randomness source
   * @param key the signing key
   * @param authValue its authValue; not modified
   * @param digest the 32-byte SHA-256 digest
   * @return the signature
   * @throws NgcException as {@link SaltedSession#start} and {@link SaltedSession#sign}
   */
  public static TPMT_SIGNATURE sign(
      RawTpm tpm, LoadedObject saltKey, SecureRandom random, LoadedObject key, byte[] authValue, byte[] digest)
      throws NgcException {
    try (SaltedSession session = SaltedSession.startSingleUse(tpm, saltKey, random)) {
      return session.sign(key, authValue, digest);
    }
  }

  /**
   * TPM2_Certify in a fresh salted session; see {@link SaltedSession#certify}.
   *
   * @param tpm the connection
   * @param saltKey the loaded RSA salt key (the SRK) with its stored public area
   * @param random the randomness source
   * @param key the key to certify
   * @param keyAuth its authValue; not modified
   * @param signer the AK, with an empty authValue
   * @param qualifyingData the nonce to include
   * @return the attestation and its signature
   * @throws NgcException as {@link SaltedSession#start} and {@link SaltedSession#certify}
   */
  public static CertifyResult certify(
      RawTpm tpm,
      LoadedObject saltKey,
      SecureRandom random,
      LoadedObject key,
      byte[] keyAuth,
      LoadedObject signer,
      byte[] qualifyingData)
      throws NgcException {
    try (SaltedSession session = SaltedSession.startSingleUse(tpm, saltKey, random)) {
      return session.certify(key, keyAuth, signer, qualifyingData);
    }
  }

  /**
   * TPM2_ObjectChangeAuth in a fresh salted session; see {@link SaltedSession#objectChangeAuth}.
   *
   * @param tpm the connection
   * @param saltKey the loaded RSA salt key (the SRK) with its stored public area
   * @param random the randomness source
   * @param key the key whose authValue changes
   * @param oldAuth its current authValue; not modified
   * @param parent its loaded parent
   * @param newAuth the new authValue; not modified
   * @return the new private area
   * @throws NgcException as {@link SaltedSession#start} and {@link SaltedSession#objectChangeAuth}
   */
  public static TPM2B_PRIVATE objectChangeAuth(
      RawTpm tpm,
      LoadedObject saltKey,
      SecureRandom random,
      LoadedObject key,
      byte[] oldAuth,
      LoadedObject parent,
      byte[] newAuth)
      throws NgcException {
    try (SaltedSession session = SaltedSession.startSingleUse(tpm, saltKey, random)) {
      return session.objectChangeAuth(key, oldAuth, parent, newAuth);
    }
  }
}
