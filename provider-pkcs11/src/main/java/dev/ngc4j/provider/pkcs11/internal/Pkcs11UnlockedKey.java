package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.UnlockedKeyBase;

/**
 * A container key opened by the token PIN: it holds the token's login (a {@link LoginHold}) and signs with
 * C_Sign in a session of the token's pool, under the login's read lock. Closing it lets the login go (the last
 * holder logs out).
 *
 * <p>Thread safety: safe for concurrent use until closed.
 */
final class Pkcs11UnlockedKey extends UnlockedKeyBase {
  private final byte[] ckaId;
  private final LoginHold hold;

  Pkcs11UnlockedKey(KeyId keyId, byte[] ckaId, LoginHold hold) {
    super(keyId);
    this.ckaId = ckaId.clone();
    this.hold = hold;
  }

  @Override
  protected byte[] signOpen(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    if (isClosed()) {
      throw closedError();
    }
    return hold.token().sign(hold, ckaId, algorithm, message);
  }

  @Override
  protected boolean isClosed() {
    return !hold.isOpen();
  }

  @Override
  public void close() {
    hold.close();
  }
}
