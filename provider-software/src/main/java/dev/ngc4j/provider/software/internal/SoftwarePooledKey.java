package dev.ngc4j.provider.software.internal;

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
  private enum State {
    UNBOUND,
    BINDING,
    BOUND,
    CLOSED
  }

  private final String providerId;
  private final PublicKey publicKey;
  private @Nullable KeyPair pair;
  private State state = State.UNBOUND;
  private boolean closeRequested;

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
    if (state != State.UNBOUND) {
      throw new IllegalStateException(describe());
    }
  }

  /** Takes the pair for binding; {@link #bound()} or {@link #release()} must follow. */
  synchronized KeyPair claim() {
    KeyPair p = pair;
    if (state != State.UNBOUND || p == null) {
      throw new IllegalStateException(describe());
    }
    state = State.BINDING;
    return p;
  }

  /** The binding succeeded: forget the private key. */
  synchronized void bound() {
    state = State.BOUND;
    pair = null;
  }

  /** The binding failed: the key can be bound again (or is closed now, if close was called meanwhile). */
  synchronized void release() {
    if (closeRequested) {
      state = State.CLOSED;
      pair = null;
    } else {
      state = State.UNBOUND;
    }
  }

  @Override
  public synchronized void close() {
    if (state == State.UNBOUND) {
      state = State.CLOSED;
      pair = null;
    } else if (state == State.BINDING) {
      closeRequested = true;
    }
  }

  private String describe() {
    return switch (state) {
      case BOUND -> "this pooled key is already bound to a container";
      case CLOSED -> "this pooled key was closed";
      case BINDING -> "this pooled key is being bound to a container by another call";
      case UNBOUND -> "this pooled key cannot be bound";
    };
  }

  @Override
  public String toString() {
    return "SoftwarePooledKey[" + state + "]";
  }
}
