package dev.ngc4j.core.internal.krb.crypto;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A Kerberos protocol key (RFC 3961 §3): an encryption type and its key bytes.
 *
 * <p>The bytes are copied in on creation and copied out by {@link #bytes()}; the caller keeps (and should clear)
 * its own arrays. {@link #destroy()} zero-fills the key, after which every access throws
 * {@link IllegalStateException}. Zeroing memory in Java is best effort: the JCA may hold copies for the duration of
 * an operation. Keys compare by identity and {@link #toString()} never shows the bytes.
 *
 * <p>Thread safety: safe for concurrent use; a concurrent {@code destroy()} may make an operation under way fail.
 */
public final class KerberosKey implements Destroyable {
  private final EncType type;
  private final byte[] key;
  private volatile boolean destroyed;

  /**
   * Creates a key from a copy of the given bytes.
   *
   * @param type the encryption type
   * @param keyBytes exactly {@code type.keyLength()} bytes; copied
   * @throws IllegalArgumentException if the length does not match the type
   */
  public KerberosKey(EncType type, byte[] keyBytes) {
    this.type = Objects.requireNonNull(type, "type");
    Objects.requireNonNull(keyBytes, "keyBytes");
    if (keyBytes.length != type.keyLength()) {
      throw new IllegalArgumentException(
          type.mitName() + " keys are " + type.keyLength() + " bytes, not " + keyBytes.length);
    }
    this.key = keyBytes.clone();
  }

  /**
   * Returns the encryption type.
   *
   * @return the type
   */
  public EncType type() {
    return type;
  }

  /**
   * Returns a copy of the key bytes, which the caller owns and should clear after use.
   *
   * @return a fresh array of {@code type().keyLength()} bytes
   * @throws IllegalStateException if the key was destroyed
   */
  public byte[] bytes() {
    byte[] copy = key.clone();
    if (destroyed) {
      Arrays.fill(copy, (byte) 0);
      throw new IllegalStateException("the Kerberos key was destroyed");
    }
    return copy;
  }

  /** Zero-fills the key bytes; idempotent. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Returns the type and whether the key was destroyed, never the bytes. */
  @Override
  public String toString() {
    return "KerberosKey[" + type.mitName() + (destroyed ? ", destroyed]" : "]");
  }
}
