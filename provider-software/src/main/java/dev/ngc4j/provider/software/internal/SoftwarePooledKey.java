package dev.ngc4j.provider.software.internal;

import dev.ngc4j.provider.support.PooledKeyState;
import dev.ngc4j.spi.PooledKey;
import java.security.KeyPair;
import java.security.PublicKey;
import org.jspecify.annotations.Nullable;

/**
 * An RSA key pair held in memory until a store binds it to a container (then the pair is forgotten) or it is closed.
 *
 * <p>Thread safety: safe for concurrent use; at most one store call can hold the pair at a time, and a key is bound
 * at most once.
 */
final class SoftwarePooledKey implements PooledKey {
  private final String providerId;
  private final PublicKey publicKey;
  private final PooledKeyState state = new PooledKeyState("pooled key");
  private @Nullable KeyPair pair;

  SoftwarePooledKey(String providerId, KeyPair pair) {
    this.providerId = providerId;
    this.publicKey = pair.getPublic();
    this.pair = pair;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String providerId() {
    return providerId;
  }

  /** Throws unless the key can still be bound. */
  synchronized void checkBindable() {
    state.checkBindable();
  }

  /** Takes the pair for binding; {@link #bound()} or {@link #release()} must follow. */
  synchronized KeyPair claim() {
    KeyPair p = pair;
    state.claim();
    if (p == null) {
      throw new IllegalStateException("this pooled key has no key pair");
    }
    return p;
  }

  /** The binding succeeded: forget the private key. */
  synchronized void bound() {
    state.bound();
    pair = null;
  }

  /** The binding failed: the key can be bound again (or is closed now, if close was called meanwhile). */
  synchronized void release() {
    if (state.release()) {
      pair = null;
    }
  }

  @Override
  public synchronized void close() {
    if (state.close()) {
      pair = null;
    }
  }

  @Override
  public synchronized String toString() {
    return "SoftwarePooledKey[" + state + "]";
  }
}
