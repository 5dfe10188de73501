package dev.ngc4j.provider.support;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import java.util.Objects;

/**
 * What every provider's unlocked key shares: its key id, the argument checks of {@link #sign}, the error once it is
 * closed and its {@code toString}. The subclass keeps its own closed state, because checking it must be atomic with
 * taking what it signs with (a key object, a login hold, a key blob and its authorisation).
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: subclasses are safe for concurrent use until closed.
 */
public abstract class UnlockedKeyBase implements UnlockedKey {
  private final KeyId keyId;

  /**
   * Creates the key.
   *
   * @param keyId the container key's id
   */
  protected UnlockedKeyBase(KeyId keyId) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
  }

  @Override
  public final KeyId keyId() {
    return keyId;
  }

  @Override
  public final byte[] sign(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(message, "message");
    return signOpen(algorithm, message);
  }

  /**
   * Signs, after the argument checks; throws {@link #closedError()} if the key was closed.
   *
   * @param algorithm the algorithm
   * @param message the message
   * @return the signature
   * @throws NgcException as {@link UnlockedKey#sign}
   */
  protected abstract byte[] signOpen(SignatureAlgorithm algorithm, byte[] message) throws NgcException;

  /**
   * Returns whether {@link #close()} was called.
   *
   * @return true once closed
   */
  protected abstract boolean isClosed();

  /**
   * Returns the error for a use after {@link #close()}.
   *
   * @return the error to throw
   */
  protected static IllegalStateException closedError() {
    return new IllegalStateException("this unlocked key was closed; unlock the container again");
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + keyId.shortForm() + (isClosed() ? ", closed]" : "]");
  }
}
