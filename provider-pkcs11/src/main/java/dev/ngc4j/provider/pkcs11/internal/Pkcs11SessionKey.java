package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKM_SHA256_HMAC;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.spi.SessionKeyHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * A PRT session key held on the token as a CKK_GENERIC_SECRET session object (sensitive, not extractable, CKA_SIGN
 * only; see {@link Pkcs11DeviceKeys}). {@link #deriveKey} is one block of NIST SP 800-108 counter mode with
 * HMAC-SHA256, computed on the token with CKM_SHA256_HMAC: {@code HMAC-SHA256(sessionKey, 00000001 || label || 00 ||
 * context || 00000100)}, the same bytes as the other providers'. Only the derived key reaches the host.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} waits for derivations in progress.
 */
final class Pkcs11SessionKey implements SessionKeyHandle {
  private static final Logger log = LoggerFactory.getLogger(Pkcs11SessionKey.class);

  private final Pkcs11DeviceKeys owner;
  private final SharedToken token;
  private final long handle;
  private boolean closed;

  Pkcs11SessionKey(Pkcs11DeviceKeys owner, SharedToken token, long handle) {
    this.owner = owner;
    this.token = token;
    this.handle = handle;
  }

  /**
   * Derives one 32-byte key on the token.
   *
   * @throws NgcException {@code TOKEN_REMOVED}, or {@code PROVIDER_UNAVAILABLE} if the token lost the key (its
   *     PKCS#11 session was closed): sign in again
   * @throws IllegalStateException if the handle is closed
   */
  @Override
  public synchronized byte[] deriveKey(Bytes label, Bytes context) throws NgcException {
    byte[] input = SessionKeyEnvelopes.kdfInput(label, context, closed);
    return token.call("deriving a key from the PRT session key",
        s -> s.signSingle(new Mechanism(CKM_SHA256_HMAC), handle, input));
  }

  /** The object handle, for tests that read its attributes. */
  long objectHandle() {
    return handle;
  }

  /** Destroys the session object on the token. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    owner.closed(this);
    try {
      token.callRaw("destroying the PRT session key", s -> {
        s.destroyObject(handle);
        return Boolean.TRUE;
      });
    } catch (TokenException | NgcException | IllegalStateException e) {
      // The token is gone or released: its session objects went with it.
      log.debug("destroying the PRT session key on token {} failed: {}", token.describe(), e.toString());
    }
  }

  @Override
  public synchronized String toString() {
    return "Pkcs11SessionKey[" + token.describe() + (closed ? ", closed]" : "]");
  }
}
