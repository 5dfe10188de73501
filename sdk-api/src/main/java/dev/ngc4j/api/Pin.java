package dev.ngc4j.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A PIN, held as a private copy of the caller's {@code char[]} and zero-filled on {@link #destroy()}.
 *
 * <h2>Security</h2>
 *
 * <p>The caller's own array stays the caller's: wipe it yourself. This object never returns its array; it gives
 * out fresh copies ({@link #toUtf8()}, {@link #copyChars()}) that the receiver must zero. After destruction every
 * accessor throws {@link IllegalStateException}. There is no {@code equals}, {@code hashCode} or useful
 * {@code toString}. Zeroing in Java is best effort: the JIT and the garbage collector may have copied the data.
 *
 * <p>Thread safety: safe for concurrent use; destruction is visible to all threads.
 *
 * @since 0.1.0
 */
public final class Pin implements Gesture {
  private final char[] chars;
  private volatile boolean destroyed;

  private Pin(char[] chars) {
    this.chars = chars;
  }

  /**
   * Copies the caller's characters into a new PIN. The caller keeps (and should wipe) its array.
   *
   * @param pin the PIN characters
   * @return a new PIN
   * @since 0.1.0
   */
  public static Pin of(char[] pin) {
    return new Pin(Objects.requireNonNull(pin, "pin").clone());
  }

  @Override
  public GestureKind kind() {
    return GestureKind.PIN;
  }

  /**
   * Returns the number of characters.
   *
   * @return the length
   * @throws IllegalStateException if destroyed
   * @since 0.1.0
   */
  public int length() {
    ensureAlive();
    return chars.length;
  }

  /**
   * Returns a fresh copy of the characters; the receiver must zero it.
   *
   * @return a copy
   * @throws IllegalStateException if destroyed
   * @since 0.1.0
   */
  public synchronized char[] copyChars() {
    ensureAlive();
    return chars.clone();
  }

  /**
   * Returns the PIN encoded as UTF-8 in a fresh array; the receiver must zero it.
   *
   * @return UTF-8 bytes
   * @throws IllegalStateException if destroyed
   * @since 0.1.0
   */
  public synchronized byte[] toUtf8() {
    ensureAlive();
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      @SuppressWarnings("ByteBufferBackingArray") // zeroes all of it, not just the window, so no PIN byte stays
      byte[] backing = encoded.array();
      Arrays.fill(backing, (byte) 0);
    }
    return out;
  }

  @Override
  public synchronized void destroy() {
    Arrays.fill(chars, '\0');
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public void close() {
    destroy();
  }

  private void ensureAlive() {
    if (destroyed) {
      throw new IllegalStateException("this PIN was destroyed");
    }
  }

  /** Returns a redacted text that never contains the PIN. */
  @Override
  public String toString() {
    return destroyed ? "Pin[destroyed]" : "Pin[redacted]";
  }
}
