package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The frame around every file of ngc4j's providers:
 *
 * <pre>
 * magic      8 bytes   ASCII, names the provider and the file kind (NGC4JSWC, NGC4JTPA, ...)
 * version    u16       the body's format version
 * length     u32       the body's length
 * body       length bytes
 * checksum   32 bytes  SHA-256 of everything before it
 * </pre>
 *
 * <p>The checksum detects damage and truncation; it is not a MAC (anyone who can write the file can recompute it).
 * Secrets inside a body must be protected by the provider (AES-GCM under a gesture-derived key, a TPM blob sealed to
 * the storage root key).
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class FramedFile {
  private static final int MAGIC_LENGTH = 8;
  private static final int HEADER_LENGTH = MAGIC_LENGTH + 2 + 4;
  private static final int CHECKSUM_LENGTH = 32;
  private static final String UNTOUCHED = "the file was left untouched";

  private FramedFile() {}

  /** A checked file: its body and the version it was written with. */
  public static final class Opened {
    private final int version;
    private final byte[] body;

    Opened(int version, byte[] body) {
      this.version = version;
      this.body = body;
    }

    /**
     * Returns the format version the file was written with.
     *
     * @return 1 to the highest version the caller reads
     */
    public int version() {
      return version;
    }

    /**
     * Returns the body (not a copy; the caller owns it).
     *
     * @return the body
     */
    public byte[] body() {
      return body;
    }
  }

  /**
   * Frames a body.
   *
   * @param magic 8 ASCII characters
   * @param version the body's format version
   * @param body the body
   * @return the file's bytes
   */
  public static byte[] seal(String magic, int version, byte[] body) {
    byte[] head = new ByteWriter(Integer.MAX_VALUE).raw(magicBytes(magic)).u16(version).i32(body.length).raw(body)
        .toByteArray();
    byte[] out = Arrays.copyOf(head, head.length + CHECKSUM_LENGTH);
    System.arraycopy(sha256(head), 0, out, head.length, CHECKSUM_LENGTH);
    return out;
  }

  /**
   * Checks magic, checksum, length and version, and returns the body.
   *
   * @param file the file the data came from, for the message
   * @param data the file's bytes
   * @param magic the expected magic
   * @param supportedVersion the highest version this code reads (every version from 1 up is read)
   * @return the body and its version
   * @throws ContainerCorruptedException naming the file and what does not fit
   */
  public static Opened open(Path file, byte[] data, String magic, int supportedVersion)
      throws ContainerCorruptedException {
    return open(file, data, magic, supportedVersion, null);
  }

  /**
   * Like {@link #open(Path, byte[], String, int)}, with the remedy every exception carries.
   *
   * @param file the file the data came from, for the message
   * @param data the file's bytes
   * @param magic the expected magic
   * @param supportedVersion the highest version this code reads
   * @param remedy what to do when the file does not fit
   * @return the body and its version
   * @throws ContainerCorruptedException naming the file and what does not fit
   */
  public static Opened open(Path file, byte[] data, String magic, int supportedVersion,
      @Nullable String remedy) throws ContainerCorruptedException {
    if (data.length < HEADER_LENGTH + CHECKSUM_LENGTH) {
      throw corrupted(file, "it is truncated (" + data.length + " bytes)", remedy);
    }
    if (!Arrays.equals(data, 0, MAGIC_LENGTH, magicBytes(magic), 0, MAGIC_LENGTH)) {
      throw corrupted(file, "it does not start with the " + magic + " marker", remedy);
    }
    int end = data.length - CHECKSUM_LENGTH;
    byte[] expected = Arrays.copyOfRange(data, end, data.length);
    if (!MessageDigest.isEqual(expected, sha256(Arrays.copyOf(data, end)))) {
      throw corrupted(file, "its SHA-256 checksum does not match (damaged, truncated or modified)", remedy);
    }
    int version = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
    long length = ((data[10] & 0xFFL) << 24) | ((data[11] & 0xFFL) << 16) | ((data[12] & 0xFFL) << 8)
        | (data[13] & 0xFFL);
    if (length != end - HEADER_LENGTH) {
      throw corrupted(file, "its declared length does not match its size", remedy);
    }
    if (version < 1 || version > supportedVersion) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " has format version " + version + ", which this release cannot read (it reads up to "
              + supportedVersion + ")",
          "use the ngc4j release that wrote it or a newer one" + (remedy == null ? "; " + UNTOUCHED : ", or " + remedy),
          null);
    }
    return new Opened(version, Arrays.copyOfRange(data, HEADER_LENGTH, end));
  }

  /**
   * The exception for a file that does not fit its format, with {@code CONTAINER_CORRUPTED}'s standard remedy.
   *
   * @param file the file
   * @param why what is wrong, without data
   * @return the exception
   */
  public static ContainerCorruptedException corrupted(Path file, String why) {
    return new ContainerCorruptedException("File " + file + " is not usable: " + why);
  }

  /**
   * The exception for a file that does not fit its format.
   *
   * @param file the file
   * @param why what is wrong, without data
   * @param remedy what to do, or {@code null} for {@code CONTAINER_CORRUPTED}'s standard remedy
   * @return the exception
   */
  public static ContainerCorruptedException corrupted(
      Path file, String why, @Nullable String remedy) {
    if (remedy == null) {
      return corrupted(file, why);
    }
    return new ContainerCorruptedException(
        ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: " + why, remedy, null);
  }

  /**
   * SHA-256 with the JDK.
   *
   * @param data the input
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static byte[] magicBytes(String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (m.length != MAGIC_LENGTH) {
      throw new IllegalArgumentException("a magic is 8 ASCII characters");
    }
    return m;
  }
}
