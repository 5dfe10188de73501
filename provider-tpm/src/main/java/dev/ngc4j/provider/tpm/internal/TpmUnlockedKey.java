package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.UnlockedKeyBase;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A container opened by a gesture: the blob of the protector that was verified and its authValue, kept in memory
 * until {@link #close()} zeroes them. Each {@link #sign} loads the blob under the SRK, signs the SHA-256 digest of
 * the message inside the TPM, and flushes the key again. The private key never leaves the TPM.
 *
 * <p>A PIN change while this key is open does not revoke it: it keeps the blob it was opened with (the TPM
 * accepts that blob with its authValue until the SRK changes) until it is closed.
 *
 * <p>Thread safety: safe for concurrent use until closed; signatures are serialised by the TPM connection.
 */
final class TpmUnlockedKey extends UnlockedKeyBase {
  private final TpmContainer container;
  private final KeyBlob blob;
  private final byte[] auth;
  private boolean closed;

  TpmUnlockedKey(TpmContainer container, KeyId keyId, KeyBlob blob, byte[] auth) {
    super(keyId);
    this.container = container;
    this.blob = blob;
    this.auth = auth;
  }

  @Override
  protected byte[] signOpen(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    byte[] digest = sha256(message);
    byte[] authCopy;
    KeyBlob blobCopy;
    synchronized (this) {
      if (closed) {
        throw closedError();
      }
      authCopy = auth.clone();
      blobCopy = blob.withPrivate(blob.privateArea());
    }
    try {
      return container.store().session().keys().sign(blobCopy, authCopy, digest, algorithm);
    } catch (AuthFailure e) {
      if (e.lockout()) {
        throw container.tpmLockout();
      }
      // The value was accepted when the key was unlocked; only a changed key blob can cause this.
      throw new NgcException(ErrorCode.CONTAINER_CORRUPTED,
          "The TPM refused the authorisation of an unlocked key of " + container.describe() + " ("
              + TpmRc.hex(e.responseCode()) + ")",
          "unlock the container again", e);
    } finally {
      Arrays.fill(authCopy, (byte) 0);
      blobCopy.destroy();
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Arrays.fill(auth, (byte) 0);
      blob.destroy();
    }
  }

  static byte[] sha256(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  @Override
  protected synchronized boolean isClosed() {
    return closed;
  }
}
