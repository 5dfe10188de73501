package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.StoreException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The service's long-lived secrets, each created once and kept in the directory encrypted under the
 * {@link MasterKey}: the CA ({@value #CA}), the token-signing key ({@value #TOKEN_KEY}) and the PRT sealing key
 * ({@value #PRT_KEY}). {@link DirectoryStore#getOrCreateSecret} makes the first value stored win, so concurrent
 * starts and restarts all use the same secrets.
 *
 * <p>Thread safety: immutable after {@link #load}; clear with {@link #close}.
 */
public final class ServiceSecrets implements AutoCloseable {
  static final String CA = "ca.v1";
  static final String TOKEN_KEY = "token-signing.v1";
  static final String PRT_KEY = "prt-sealing.v1";

  private final ServiceCa ca;
  private final TokenKey tokenKey;
  private final byte[] prtKey;

  private ServiceSecrets(ServiceCa ca, TokenKey tokenKey, byte[] prtKey) {
    this.ca = ca;
    this.tokenKey = tokenKey;
    this.prtKey = prtKey;
  }

  /**
   * Loads the secrets, creating whichever do not exist yet.
   *
   * @param store the directory
   * @param masterKey the master key
   * @param now the current time (for a new CA certificate)
   * @return the secrets
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the store fails or a secret does not decrypt
   */
  public static ServiceSecrets load(DirectoryStore store, MasterKey masterKey, Instant now) throws NgcException {
    byte[] caBytes = null;
    byte[] tokenBytes = null;
    try {
      caBytes = secret(store, masterKey, CA, ServiceCa.newEncoded(now));
      tokenBytes = secret(store, masterKey, TOKEN_KEY, TokenKey.newEncoded());
      byte[] freshPrtKey = new byte[32];
      Jca.RANDOM.nextBytes(freshPrtKey);
      byte[] prtKey = secret(store, masterKey, PRT_KEY, freshPrtKey);
      if (prtKey.length != 32) {
        throw new GeneralSecurityException("the PRT sealing key is not 32 bytes");
      }
      return new ServiceSecrets(ServiceCa.decode(caBytes), TokenKey.decode(tokenBytes), prtKey);
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE,
          "the service's stored keys could not be created or read",
          "check that the database and master.key belong together",
          e);
    } finally {
      if (caBytes != null) {
        Arrays.fill(caBytes, (byte) 0);
      }
      if (tokenBytes != null) {
        Arrays.fill(tokenBytes, (byte) 0);
      }
    }
  }

  private static byte[] secret(DirectoryStore store, MasterKey masterKey, String name, byte[] candidate)
      throws NgcException {
    byte[] sealed = masterKey.seal(name, candidate);
    Arrays.fill(candidate, (byte) 0);
    try {
      return masterKey.open(name, store.getOrCreateSecret(name, sealed));
    } catch (StoreException e) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE, "the directory could not store the service secret '" + name + "'", e);
    }
  }

  /**
   * Returns the CA.
   *
   * @return the CA
   */
  public ServiceCa ca() {
    return ca;
  }

  /**
   * Returns the token-signing key.
   *
   * @return the key
   */
  public TokenKey tokenKey() {
    return tokenKey;
  }

  /**
   * Returns the PRT sealing key (not a copy; callers must not modify it).
   *
   * @return the 32-byte key
   */
  public byte[] prtKey() {
    return prtKey;
  }

  /** Clears the PRT sealing key. */
  @Override
  public void close() {
    Arrays.fill(prtKey, (byte) 0);
  }
}
