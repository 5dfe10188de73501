package dev.ngc4j.provider.support;

/**
 * The life of a pooled key: unbound until a store claims it for binding; then bound (its secrets can go), or
 * released (bindable again) when the binding fails. A close while the key is being bound is honoured when the
 * binding ends. The owner destroys its secrets whenever a method here says so.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: not thread-safe; the pooled key that owns it serialises every call (its methods are
 * {@code synchronized}).
 */
public final class PooledKeyState {
  private enum State {
    UNBOUND,
    BINDING,
    BOUND,
    CLOSED
  }

  private final String noun;
  private State state = State.UNBOUND;
  private boolean closeRequested;

  /**
   * A new, unbound key.
   *
   * @param noun what the key is called in messages ("pooled key", "pooled TPM key")
   */
  public PooledKeyState(String noun) {
    this.noun = noun;
  }

  /**
   * Throws unless the key can still be bound.
   *
   * @throws IllegalStateException if it is bound, closed or being bound
   */
  public void checkBindable() {
    if (state != State.UNBOUND) {
      throw new IllegalStateException(describe());
    }
  }

  /**
   * Starts a binding; {@link #bound()} or {@link #release()} must follow.
   *
   * @throws IllegalStateException if it is bound, closed or being bound
   */
  public void claim() {
    checkBindable();
    state = State.BINDING;
  }

  /** The binding succeeded: the owner destroys the key's secrets now. */
  public void bound() {
    state = State.BOUND;
  }

  /**
   * The binding failed: the key can be bound again, unless it was closed meanwhile.
   *
   * @return true if the owner must destroy the key's secrets now
   */
  public boolean release() {
    if (closeRequested) {
      state = State.CLOSED;
      return true;
    }
    state = State.UNBOUND;
    return false;
  }

  /**
   * Closes the key; while it is being bound, the close takes effect when the binding ends.
   *
   * @return true if the owner must destroy the key's secrets now
   */
  public boolean close() {
    if (state == State.UNBOUND) {
      state = State.CLOSED;
      return true;
    }
    if (state == State.BINDING) {
      closeRequested = true;
    }
    return false;
  }

  private String describe() {
    return switch (state) {
      case BOUND -> "this " + noun + " is already bound to a container";
      case CLOSED -> "this " + noun + " was closed";
      case BINDING -> "this " + noun + " is being bound to a container by another call";
      case UNBOUND -> "this " + noun + " cannot be bound";
    };
  }

  /** Returns the state's name. */
  @Override
  public String toString() {
    return state.name();
  }
}
