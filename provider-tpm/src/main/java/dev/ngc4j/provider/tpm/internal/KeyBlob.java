package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.provider.support.FramedFile;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TPM object as stored outside the TPM: its public area (a marshalled {@code TPMT_PUBLIC}) and its private area
 * (the content of a {@code TPM2B_PRIVATE}: the sensitive part, encrypted and integrity-protected by the parent,
 * here the storage root key). Only the TPM that holds the parent can load it, and loading it checks that the two
 * halves belong together.
 *
 * <p>The object's name is {@code 0x000B || SHA-256(public area)} (name algorithm SHA-256).
 *
 * <p>Thread safety: the public area is never modified; {@link #destroy()} zeroes the private area, after which the
 * blob must not be used. Not safe for concurrent use with {@code destroy}.
 */
final class KeyBlob {
  private final byte[] publicArea;
  private final byte[] privateArea;

  KeyBlob(byte[] publicArea, byte[] privateArea) {
    this.publicArea = Objects.requireNonNull(publicArea, "publicArea").clone();
    this.privateArea = Objects.requireNonNull(privateArea, "privateArea").clone();
  }

  /** Returns a copy of the marshalled TPMT_PUBLIC. */
  byte[] publicArea() {
    return publicArea.clone();
  }

  /** Returns a copy of the TPM2B_PRIVATE buffer (without its size prefix). */
  byte[] privateArea() {
    return privateArea.clone();
  }

  /** Returns the object's name: the SHA-256 algorithm id followed by SHA-256 of the public area. */
  byte[] name() {
    return nameOf(publicArea);
  }

  /** The name of the object with this public area (name algorithm SHA-256). */
  static byte[] nameOf(byte[] publicArea) {
    byte[] digest = FramedFile.sha256(publicArea);
    byte[] name = new byte[2 + digest.length];
    name[0] = 0x00;
    name[1] = 0x0B;
    System.arraycopy(digest, 0, name, 2, digest.length);
    return name;
  }

  /** Returns a blob with the same public area and another private area (after TPM2_ObjectChangeAuth). */
  KeyBlob withPrivate(byte[] newPrivate) {
    return new KeyBlob(publicArea, newPrivate);
  }

  /** Whether the private area equals the given bytes, in constant time. */
  boolean hasPrivate(byte[] other) {
    return MessageDigest.isEqual(privateArea, other);
  }

  /** Zero-fills the private area. */
  void destroy() {
    Arrays.fill(privateArea, (byte) 0);
  }

  /** Whether every byte of the private area is zero (destroyed). */
  boolean isDestroyed() {
    for (byte b : privateArea) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "KeyBlob[" + publicArea.length + "-byte public, private redacted]";
  }
}
