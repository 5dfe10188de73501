package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * Makes user keys ahead of time: TPM2_Create of an RSA-2048 key under the SRK with a random throwaway authValue
 * (see {@link TpmPooledKey}). sdk-core's key pool calls it from its background thread to stay filled; a call holds
 * the TPM connection for the duration of the key generation (0.05-0.5 s on swtpm, up to tens of seconds on
 * hardware), so other TPM commands of the session wait meanwhile.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class TpmKeySource implements PooledKeySource {
  private final TpmSession session;

  TpmKeySource(TpmSession session) {
    this.session = session;
  }

  @Override
  public PooledKey generate() throws NgcException {
    session.ensureOpen();
    if (Thread.currentThread().isInterrupted()) {
      throw new NgcException(ErrorCode.INTERRUPTED, "TPM key generation was interrupted before it started");
    }
    byte[] auth = AuthValues.random();
    boolean handedOver = false;
    try {
      KeyBlob blob = session.keys().createSigningKey(auth);
      RSAPublicKey publicKey;
      try {
        publicKey = TpmKeys.rsaPublicKey(blob.publicArea());
      } catch (IllegalArgumentException e) {
        blob.destroy();
        throw new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The TPM created a key that does not match the requested template: " + e.getMessage(),
            "check the TPM's firmware; this is unexpected", e);
      }
      TpmPooledKey key =
          new TpmPooledKey(TpmSession.PROVIDER_ID, publicKey, session.srkName(), blob, auth);
      handedOver = true;
      return key;
    } finally {
      if (!handedOver) {
        Arrays.fill(auth, (byte) 0);
      }
    }
  }
}
