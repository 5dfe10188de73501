package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The service's master key: 32 random bytes in an owner-only file ({@code <dataDir>/master.key}) that encrypt the
 * service's long-lived secrets (CA key, token-signing key, PRT sealing key) with AES-256-GCM before they reach the
 * database, so that a copy of the database alone reveals none of them.
 *
 * <p>The file is created atomically: written to an owner-only temporary file, forced to disk, then linked into
 * place (a hard link never replaces an existing file, so two processes starting at once agree on one key). A key
 * file that group or others may read is refused.
 *
 * <p>Thread safety: safe for concurrent use after construction; {@link #close} clears the key.
 */
public final class MasterKey implements AutoCloseable {
  /** The file name inside the data directory. */
  public static final String FILE_NAME = "master.key";

  static final int KEY_BYTES = 32;
  private static final byte VERSION = 1;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = EnumSet.of(
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  /**
   * Returns a key that lives only in this process (for a store that does not outlive it).
   *
   * @return a fresh random key
   */
  public static MasterKey ephemeral() {
    byte[] key = new byte[KEY_BYTES];
    Jca.RANDOM.nextBytes(key);
    return new MasterKey(key);
  }

  /**
   * Reads {@code <dataDir>/master.key}, creating the directory and the file if they do not exist.
   *
   * @param dataDir the data directory
   * @return the key
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if the file cannot be read or created, has the wrong
   *     size, or is readable by group or others
   */
  public static MasterKey loadOrCreate(Path dataDir) throws NgcException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.isDirectory(dataDir)) {
        if (posix) {
          Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } else {
          Files.createDirectories(dataDir);
        }
      }
      if (!Files.exists(file)) {
        create(dataDir, file, posix);
      }
      if (posix) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
          throw new NgcException(
              ErrorCode.STORAGE_FAILURE,
              "the service master key file " + file + " is accessible to group or others",
              "restrict it to its owner (chmod 600) and restart",
              null);
        }
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length != KEY_BYTES) {
        Arrays.fill(key, (byte) 0);
        throw new NgcException(
            ErrorCode.STORAGE_FAILURE,
            "the service master key file " + file + " does not hold a 32-byte key",
            "restore the file from a backup; without it the service's stored secrets cannot be read",
            null);
      }
      return new MasterKey(key);
    } catch (IOException e) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE,
          "the service master key file " + file + " could not be read or created",
          "check the data directory's permissions and free space",
          e);
    }
  }

  private static void create(Path dir, Path file, boolean posix) throws IOException {
    byte[] fresh = new byte[KEY_BYTES];
    Jca.RANDOM.nextBytes(fresh);
    FileAttribute<?>[] attrs =
        posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, ".master", ".tmp", attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(fresh);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      } finally {
        Arrays.fill(fresh, (byte) 0);
      }
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // Another process won the race: its key is the key.
      } catch (UnsupportedOperationException | IOException e) {
        if (!Files.exists(file)) {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    if (posix) {
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // Directory fsync is best effort on file systems that refuse it.
      }
    }
  }

  /**
   * Encrypts a secret for storage under {@code name}.
   *
   * @param name the secret's name (bound as additional authenticated data)
   * @param plaintext the secret
   * @return {@code 0x01 || iv || ciphertext || tag}
   */
  public byte[] seal(String name, byte[] plaintext) {
    return Jca.gcmSeal(key, aad(name), plaintext, new byte[] {VERSION});
  }

  /**
   * Decrypts a stored secret.
   *
   * @param name the secret's name
   * @param sealed what {@link #seal} produced
   * @return the secret; the caller clears it
   * @throws NgcException ({@link ErrorCode#STORAGE_FAILURE}) if it does not decrypt under this key
   */
  public byte[] open(String name, byte[] sealed) throws NgcException {
    byte[] plaintext = sealed.length > 0 && sealed[0] == VERSION ? Jca.gcmOpen(key, aad(name), sealed, 1) : null;
    if (plaintext == null) {
      throw new NgcException(
          ErrorCode.STORAGE_FAILURE,
          "the service secret '" + name + "' does not decrypt under the master key",
          "the database and master.key do not belong together; restore the matching master.key",
          null);
    }
    return plaintext;
  }

  private static byte[] aad(String name) {
    return ("ngc4j-secret/" + name).getBytes(StandardCharsets.UTF_8);
  }

  /** Clears the key. */
  @Override
  public void close() {
    Arrays.fill(key, (byte) 0);
  }
}
