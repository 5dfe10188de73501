package dev.ngc4j.core.internal.krb.msg;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * An EncryptionKey (RFC 4120 §5.2.9):
 *
 * <pre>
 * EncryptionKey ::= SEQUENCE {
 *   keytype  [0] Int32,
 *   keyvalue [1] OCTET STRING
 * }
 * </pre>
 *
 * <p>Security: the key value is secret. {@link #toString()} shows only the type and length, {@link #value()}
 * returns a copy, and {@link #destroy()} overwrites this object's copy with zeros (best effort: the JVM may have
 * made other copies).
 *
 * <p>Thread safety: safe for concurrent reads; {@link #destroy()} must not race with other calls.
 */
public final class EncryptionKey implements Destroyable {
  private final int keytype;
  private final byte[] value;
  private volatile boolean destroyed;

  /**
   * Creates a key; the value is copied.
   *
   * @param keytype the encryption type number, such as 18 for aes256-cts-hmac-sha1-96
   * @param value the key bytes
   */
  public EncryptionKey(int keytype, byte[] value) {
    this.keytype = keytype;
    this.value = value.clone();
  }

  /**
   * Returns the key type (an encryption type number).
   *
   * @return the key type
   */
  public int keytype() {
    return keytype;
  }

  /**
   * Returns a copy of the key bytes.
   *
   * @return the key bytes
   * @throws IllegalStateException if destroyed
   */
  public byte[] value() {
    checkNotDestroyed();
    return value.clone();
  }

  /**
   * Encodes the key in DER.
   *
   * @return the encoding (holds the secret key bytes)
   * @throws IllegalStateException if destroyed
   */
  public byte[] encode() {
    checkNotDestroyed();
    return Der.sequence(Der.explicit(0, Der.integer(keytype)), Der.explicit(1, Der.octetString(value)));
  }

  /**
   * Decodes an EncryptionKey strictly.
   *
   * @param der the encoding
   * @return the key
   * @throws KrbMessageException if malformed
   */
  public static EncryptionKey decode(byte[] der) throws KrbMessageException {
    return DerReader.decodeAll(der, "EncryptionKey", EncryptionKey::read);
  }

  /**
   * Reads an EncryptionKey at the reader's position.
   *
   * @param reader the reader
   * @return the key
   * @throws KrbMessageException if malformed
   */
  public static EncryptionKey read(DerReader reader) throws KrbMessageException {
    DerReader seq = reader.sequence("EncryptionKey");
    int type = seq.field(0, "keytype", DerReader::int32);
    byte[] bytes = seq.field(1, "keyvalue", DerReader::octetString);
    seq.end();
    EncryptionKey key = new EncryptionKey(type, bytes);
    Arrays.fill(bytes, (byte) 0);
    return key;
  }

  /** Overwrites the key bytes with zeros; later reads throw {@link IllegalStateException}. */
  @Override
  public void destroy() {
    Arrays.fill(value, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  private void checkNotDestroyed() {
    if (destroyed) {
      throw new IllegalStateException("the key has been destroyed");
    }
  }

  /** Compares type and bytes in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionKey k && k.keytype == keytype && MessageDigest.isEqual(k.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keytype, value.length);
  }

  /** Returns the type and length only, never the key bytes. */
  @Override
  public String toString() {
    return "EncryptionKey[keytype=" + keytype + ", " + value.length + " bytes]";
  }
}
