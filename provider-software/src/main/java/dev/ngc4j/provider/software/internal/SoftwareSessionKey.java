package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.util.Arrays;
import java.util.Objects;
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
  private static final byte[] COUNTER_ONE = {0, 0, 0, 1};
  private static final byte[] LENGTH_256_BITS = {0, 0, 1, 0};
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
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(context, "context");
    if (closed) {
      throw new IllegalStateException("this session key handle is closed");
    }
    return deriveOneBlock(key, label.toByteArray(), context.toByteArray());
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
   * @param label the label
   * @param context the context
   * @return a fresh 32-byte array the caller owns
   */
  static byte[] deriveOneBlock(byte[] key, byte[] label, byte[] context) {
    HMac hmac = new HMac(SHA256Digest.newInstance());
    KeyParameter keyParameter = new KeyParameter(key);
    try {
      hmac.init(keyParameter);
      hmac.update(COUNTER_ONE, 0, COUNTER_ONE.length);
      hmac.update(label, 0, label.length);
      hmac.update((byte) 0x00);
      hmac.update(context, 0, context.length);
      hmac.update(LENGTH_256_BITS, 0, LENGTH_256_BITS.length);
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
