package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.provider.support.PooledKeyState;
import dev.ngc4j.spi.PooledKey;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * A user key created ahead of time in the TPM: its blobs and a random throwaway authValue, both held only in this
 * object's memory (never on disk, so pool keys do not outlive the process; a TPM key in a blob costs nothing in the
 * TPM until loaded). Binding it to a container changes its authValue with TPM2_ObjectChangeAuth; afterwards, and
 * when the key is closed unbound, the throwaway authValue and the old private blob are zeroed, because the TPM
 * would still accept that pair.
 *
 * <p>Thread safety: safe for concurrent use; a key is bound at most once, and one store call at a time can hold it.
 */
final class TpmPooledKey implements PooledKey {
  private final String providerId;
  private final RSAPublicKey publicKey;
  private final byte[] srkName;
  private final KeyBlob blob;
  private final byte[] throwawayAuth;
  private final PooledKeyState state = new PooledKeyState("pooled TPM key");

  TpmPooledKey(String providerId, RSAPublicKey publicKey, byte[] srkName, KeyBlob blob, byte[] throwawayAuth) {
    this.providerId = providerId;
    this.publicKey = publicKey;
    this.srkName = srkName.clone();
    this.blob = blob;
    this.throwawayAuth = throwawayAuth;
  }

  @Override
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String providerId() {
    return providerId;
  }

  /** Whether the key was made under the SRK with this name (the same TPM and owner seed). */
  boolean madeUnder(byte[] name) {
    return MessageDigest.isEqual(srkName, name);
  }

  /** Throws unless the key can still be bound. */
  synchronized void checkBindable() {
    state.checkBindable();
  }

  /** The blob and throwaway authValue, lent to one binding call; {@link #bound()} or {@link #release()} follows. */
  static final class Claim {
    final KeyBlob blob;
    final byte[] auth;

    private Claim(KeyBlob blob, byte[] auth) {
      this.blob = blob;
      this.auth = auth;
    }
  }

  synchronized Claim claim() {
    state.claim();
    return new Claim(blob, throwawayAuth);
  }

  /** The key is bound: destroy the throwaway authValue and the old blob. */
  synchronized void bound() {
    state.bound();
    destroy();
  }

  /** The binding failed: the key can be bound again, or is destroyed now if it was closed meanwhile. */
  synchronized void release() {
    if (state.release()) {
      destroy();
    }
  }

  @Override
  public synchronized void close() {
    if (state.close()) {
      destroy();
    }
  }

  private void destroy() {
    blob.destroy();
    Arrays.fill(throwawayAuth, (byte) 0);
  }

  /** For tests: whether the private blob and the throwaway authValue are all zeros. */
  synchronized boolean secretsDestroyed() {
    for (byte b : throwawayAuth) {
      if (b != 0) {
        return false;
      }
    }
    return blob.isDestroyed();
  }

  @Override
  public synchronized String toString() {
    return "TpmPooledKey[" + state + "]";
  }
}
