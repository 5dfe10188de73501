package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The frame around every file of this provider:
 *
 * <pre>
 * magic     8 bytes  ASCII: NGC4JTPC (container), NGC4JTPA (attempt counter)
 * version   u16      body format version
 * length    u32      body length
 * body
 * sha256    32 bytes over everything before it
 * </pre>
 *
 * <p>The checksum catches damage and truncation, not tampering (whoever can write the file can recompute it). The
 * secrets in this provider's files are TPM blobs, which the TPM itself protects: their sensitive part is encrypted
 * and integrity-protected under the storage root key, and an altered blob fails to load.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class FramedFile {
  private static final int MAGIC_LENGTH = 8;
  private static final int HEADER = MAGIC_LENGTH + 2 + 4;
  private static final int DIGEST = 32;
  /** No file of this provider comes near this; larger means damaged or foreign. */
  static final int MAX_LENGTH = 256 * 1024;

  private FramedFile() {}

  static byte[] frame(String magic, int version, byte[] body) {
    byte[] head = new Codec.Writer().raw(magic(magic)).u16(version).u32(body.length).raw(body).toByteArray();
    byte[] out = Arrays.copyOf(head, head.length + DIGEST);
    System.arraycopy(sha256(head), 0, out, head.length, DIGEST);
    return out;
  }

  /**
   * Checks the frame and returns the body.
   *
   * @throws ContainerCorruptedException naming the file and what is wrong
   */
  static byte[] unframe(Path file, byte[] data, String magic, int version) throws ContainerCorruptedException {
    if (data.length < HEADER + DIGEST) {
      throw corrupted(file, "it is truncated (" + data.length + " bytes)");
    }
    if (!Arrays.equals(data, 0, MAGIC_LENGTH, magic(magic), 0, MAGIC_LENGTH)) {
      throw corrupted(file, "it does not start with " + magic);
    }
    int end = data.length - DIGEST;
    if (!MessageDigest.isEqual(Arrays.copyOfRange(data, end, data.length), sha256(Arrays.copyOf(data, end)))) {
      throw corrupted(file, "its SHA-256 checksum does not match (damaged, truncated or modified)");
    }
    int found = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
    long length = ((data[10] & 0xFFL) << 24) | ((data[11] & 0xFFL) << 16) | ((data[12] & 0xFFL) << 8)
        | (data[13] & 0xFFL);
    if (length != end - HEADER) {
      throw corrupted(file, "its declared length does not match its size");
    }
    if (found != version) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " has format version " + found + "; this release reads version " + version,
          "use the ngc4j release that wrote it; the file was left untouched",
          null);
    }
    return Arrays.copyOfRange(data, HEADER, end);
  }

  static ContainerCorruptedException corrupted(Path file, String why) {
    return new ContainerCorruptedException("File " + file + " is not usable: " + why);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  private static byte[] magic(String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (m.length != MAGIC_LENGTH) {
      throw new IllegalArgumentException("a magic is 8 ASCII characters");
    }
    return m;
  }
}
