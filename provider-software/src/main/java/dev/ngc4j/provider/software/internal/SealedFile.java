package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The framing every file of this provider uses:
 *
 * <pre>
 * magic      8 bytes   ASCII, names the file kind (NGC4JSWC container, NGC4JSWA attempts, NGC4JSWD device secret)
 * version    u16       the body's format version
 * length     u32       the body's length
 * body       length bytes
 * checksum   32 bytes  SHA-256 of everything before it
 * </pre>
 *
 * <p>The checksum detects damage and truncation; it is not a MAC (anyone who can write the file can recompute it).
 * Secrets inside the body are protected by AES-GCM, whose associated data binds the public fields that matter.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class SealedFile {
  private static final int MAGIC_LENGTH = 8;
  private static final int HEADER_LENGTH = MAGIC_LENGTH + 2 + 4;
  private static final int CHECKSUM_LENGTH = 32;
  /** No file of this provider is anywhere near this size; larger means damaged or foreign. */
  static final int MAX_FILE_LENGTH = 1024 * 1024;

  private SealedFile() {}

  /** A checked file: its body and the version it was written with. */
  static final class Opened {
    private final int version;
    private final byte[] body;

    Opened(int version, byte[] body) {
      this.version = version;
      this.body = body;
    }

    int version() {
      return version;
    }

    byte[] body() {
      return body;
    }
  }

  static byte[] seal(String magic, int version, byte[] body) {
    byte[] m = magicBytes(magic);
    ByteWriter w = new ByteWriter().raw(m).u16(version).i32(body.length).raw(body);
    byte[] unsealed = w.toByteArray();
    byte[] out = Arrays.copyOf(unsealed, unsealed.length + CHECKSUM_LENGTH);
    System.arraycopy(sha256(unsealed), 0, out, unsealed.length, CHECKSUM_LENGTH);
    return out;
  }

  /**
   * Checks magic, checksum, version and length, and returns the body.
   *
   * @param file the file the data came from, for the message
   * @param data the file's bytes
   * @param magic the expected magic
   * @param supportedVersion the highest version this code reads
   * @return the body
   * @throws ContainerCorruptedException if anything does not fit
   */
  static Opened open(Path file, byte[] data, String magic, int supportedVersion) throws ContainerCorruptedException {
    if (data.length < HEADER_LENGTH + CHECKSUM_LENGTH) {
      throw corrupted(file, "it is truncated (" + data.length + " bytes)");
    }
    if (!Arrays.equals(data, 0, MAGIC_LENGTH, magicBytes(magic), 0, MAGIC_LENGTH)) {
      throw corrupted(file, "it does not start with the " + magic + " marker");
    }
    int end = data.length - CHECKSUM_LENGTH;
    byte[] expected = Arrays.copyOfRange(data, end, data.length);
    if (!MessageDigest.isEqual(expected, sha256(Arrays.copyOf(data, end)))) {
      throw corrupted(file, "its SHA-256 checksum does not match (damaged, truncated or modified)");
    }
    int version = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
    long length = ((data[10] & 0xFFL) << 24) | ((data[11] & 0xFFL) << 16) | ((data[12] & 0xFFL) << 8)
        | (data[13] & 0xFFL);
    if (length != end - HEADER_LENGTH) {
      throw corrupted(file, "its declared length does not match its size");
    }
    if (version < 1 || version > supportedVersion) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " has format version " + version + ", which this release cannot read (it reads up to "
              + supportedVersion + ")",
          "use the ngc4j release that wrote it or a newer one; the file was left untouched",
          null);
    }
    return new Opened(version, Arrays.copyOfRange(data, HEADER_LENGTH, end));
  }

  static ContainerCorruptedException corrupted(Path file, String why) {
    return new ContainerCorruptedException("File " + file + " is not usable: " + why);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static byte[] magicBytes(String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (m.length != MAGIC_LENGTH) {
      throw new IllegalArgumentException("magic must be 8 ASCII characters");
    }
    return m;
  }
}
