package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.provider.support.PooledKeyState;
import dev.ngc4j.spi.PooledKey;
import java.security.interfaces.RSAPublicKey;

/**
 * A pool entry on a token, reserved in this process: both halves labelled {@value TokenObjects#POOL_LABEL}, found
 * by CKA_ID. Binding relabels them to a container. Closing an unbound key only ends the reservation: the entry stays
 * on the token for a later claim (destroying its private half would need the login).
 *
 * <p>Thread safety: safe for concurrent use (every method is synchronized); bound at most once.
 */
final class Pkcs11PooledKey implements PooledKey {
  private final SharedToken token;
  private final byte[] ckaId;
  private final RSAPublicKey publicKey;
  private final PooledKeyState state = new PooledKeyState("pooled token key");

  Pkcs11PooledKey(SharedToken token, byte[] ckaId, RSAPublicKey publicKey) {
    this.token = token;
    this.ckaId = ckaId.clone();
    this.publicKey = publicKey;
  }

  SharedToken token() {
    return token;
  }

  byte[] ckaId() {
    return ckaId.clone();
  }

  @Override
  public RSAPublicKey publicKey() {
    return publicKey;
  }

  @Override
  public String providerId() {
    return Pkcs11ProviderSession.PROVIDER_ID;
  }

  synchronized void checkBindable() {
    state.checkBindable();
  }

  synchronized void claim() {
    state.claim();
  }

  synchronized void bound() {
    state.bound();
    token.unclaim(ckaId);
  }

  synchronized void release() {
    if (state.release()) {
      token.unclaim(ckaId);
    }
  }

  @Override
  public synchronized void close() {
    if (state.close()) {
      token.unclaim(ckaId);
    }
  }

  @Override
  public String toString() {
    return "Pkcs11PooledKey[" + TokenObjects.hex(ckaId) + ", " + state + "]";
  }
}
