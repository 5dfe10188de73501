package dev.ngc4j.provider.pkcs11.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reason to stay logged in to a token (an unlocked key, a pool fill, an operation on private objects). The last
 * hold to close logs the token out. Closing is idempotent.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class LoginHold implements AutoCloseable {
  private final SharedToken token;
  private final AtomicBoolean closed = new AtomicBoolean();

  LoginHold(SharedToken token) {
    this.token = token;
  }

  /**
   * Returns the token.
   *
   * @return the token held
   */
  public SharedToken token() {
    return token;
  }

  /**
   * Throws if the hold was closed.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the token login was released");
    }
  }

  /**
   * Returns whether the hold is open.
   *
   * @return true until closed
   */
  public boolean isOpen() {
    return !closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      token.release();
    }
  }
}
