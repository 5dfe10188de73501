package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import java.util.Objects;

/**
 * A container key opened by the token PIN: it holds the token's login (a {@link LoginHold}) and signs with
 * C_Sign in a session of the token's pool, under the login's read lock. Closing it lets the login go (the last
 * holder logs out).
 *
 * <p>Thread safety: safe for concurrent use until closed.
 */
final class Pkcs11UnlockedKey implements UnlockedKey {
  private final KeyId keyId;
  private final byte[] ckaId;
  private final LoginHold hold;

  Pkcs11UnlockedKey(KeyId keyId, byte[] ckaId, LoginHold hold) {
    this.keyId = keyId;
    this.ckaId = ckaId.clone();
    this.hold = hold;
  }

  @Override
  public KeyId keyId() {
    return keyId;
  }

  @Override
  public byte[] sign(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(message, "message");
    if (!hold.isOpen()) {
      throw new IllegalStateException("this unlocked key was closed");
    }
    return hold.token().sign(hold, ckaId, algorithm, message);
  }

  @Override
  public void close() {
    hold.close();
  }
}
