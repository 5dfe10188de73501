package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A PRT session key held in memory by the software provider, in a {@code byte[]} that {@link #close()} zeroes.
 *
 * <p>{@link #deriveKey} is one block of NIST SP 800-108 counter mode with HMAC-SHA256, 256 bits of output:
 * {@code HMAC-SHA256(sessionKey, 00000001 || label || 00 || context || 00000100)}. It is computed here rather than
 * with {@code sdk-core}'s KDF because providers depend on {@code sdk-api} only.
 *
 * <p>Zeroing in Java is best effort: the HMAC's internal state is not cleared by BouncyCastle, and the JVM may have
 * copied the array. Use a hardware provider where the session key must not be in process memory at all.
 *
 * <p>Thread safety: safe for concurrent use; {@link #close()} waits for derivations in progress.
 */
final class SoftwareSessionKey implements SessionKeyHandle {
  static final int DERIVED_KEY_BYTES = 32;

  private final byte[] key;
  private boolean closed;

  /** Copies the 32-byte key; the caller zeroes its array. */
  SoftwareSessionKey(byte[] key) {
    if (key.length != SessionKeyEnvelope.SESSION_KEY_BYTES) {
      throw new IllegalArgumentException("a session key has 32 bytes");
    }
    this.key = key.clone();
  }

  /**
   * Derives one 32-byte key.
   *
   * @throws IllegalStateException if the handle is closed
   */
  @Override
  public synchronized byte[] deriveKey(Bytes label, Bytes context) {
    return deriveOneBlock(key, SessionKeyEnvelopes.kdfInput(label, context, closed));
  }

  /** Zeroes the key. Idempotent. */
  @Override
  public synchronized void close() {
    if (!closed) {
      Arrays.fill(key, (byte) 0);
      closed = true;
    }
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /**
   * One SP 800-108 counter-mode block with HMAC-SHA256 and L = 256 bits.
   *
   * @param key the key derivation key
   * @param input the block's input, {@link SessionKeyEnvelopes#kdfInput(byte[], byte[])}
   * @return a fresh 32-byte array the caller owns
   */
  static byte[] deriveOneBlock(byte[] key, byte[] input) {
    HMac hmac = new HMac(SHA256Digest.newInstance());
    KeyParameter keyParameter = new KeyParameter(key);
    try {
      hmac.init(keyParameter);
      hmac.update(input, 0, input.length);
      byte[] out = new byte[DERIVED_KEY_BYTES];
      hmac.doFinal(out, 0);
      return out;
    } finally {
      Arrays.fill(keyParameter.getKey(), (byte) 0);
    }
  }

  /** Never shows the key. */
  @Override
  public synchronized String toString() {
    return "SoftwareSessionKey[" + (closed ? "closed" : "redacted") + "]";
  }
}
