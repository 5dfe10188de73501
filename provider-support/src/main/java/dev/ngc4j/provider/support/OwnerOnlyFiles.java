package dev.ngc4j.provider.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations the providers rely on:
 *
 * <ul>
 *   <li>files and directories are created owner-only ({@code rw-------} / {@code rwx------}) where the file system
 *       has POSIX permissions;
 *   <li>{@link #writeAtomically} writes a temporary file in the same directory, forces it to disk, renames it over
 *       the target atomically and syncs the directory where the platform allows it, so a reader or a crash sees the
 *       old content or the new one, never a mix;
 *   <li>{@link #createAtomically} creates a file only if it does not exist, through a hard link that never replaces
 *       an existing file;
 *   <li>{@link #replaceAndShred} replaces a file and then overwrites the old content in place with zeros before
 *       unlinking it (through a hard link taken before the rename), for files holding blobs that must not survive
 *       the change; {@link #shredTree} overwrites every regular file of a tree, then deletes it.
 * </ul>
 *
 * <p>Temporary names start with {@value #TEMP_PREFIX}, removed containers are renamed to {@value #GRAVE_PREFIX}
 * names, and replaced files awaiting their overwrite have {@value #OLD_PREFIX} names; a container id never starts
 * with a dot, so none of them can be mistaken for a container. Overwriting in place is best effort: copy-on-write file
 * systems and SSD wear levelling may keep old blocks.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: stateless and safe for concurrent use; callers serialise writes to one file.
 */
public final class OwnerOnlyFiles {
  /** The prefix of temporary files and directories. */
  public static final String TEMP_PREFIX = ".tmp-";
  /** The prefix of containers renamed out of the namespace before they are removed. */
  public static final String GRAVE_PREFIX = ".del-";
  /** The prefix of replaced files {@link #replaceAndShred} has not overwritten yet. */
  public static final String OLD_PREFIX = ".old-";

  private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
  private static final int SHRED_BUFFER = 64 * 1024;

  private OwnerOnlyFiles() {}

  /**
   * Returns whether the path's file system has POSIX permissions.
   *
   * @param path a path
   * @return whether permissions are POSIX
   */
  public static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] fileAttributes(Path path) {
    return isPosix(path)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] directoryAttributes(Path path) {
    return isPosix(path)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  /**
   * Returns a random suffix for temporary, grave and old names.
   *
   * @return 16 hex digits
   */
  public static String randomSuffix() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * Creates the directory (and missing parents) owner-only, or does nothing if it exists.
   *
   * @param dir the directory
   * @throws IOException if it cannot be created, or exists as something else
   */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.exists(parent)) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, directoryAttributes(parent == null ? dir : parent));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
    }
  }

  /**
   * Creates a new owner-only directory; fails if it exists.
   *
   * @param dir the directory
   * @throws IOException if it exists or cannot be created
   */
  public static void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir, directoryAttributes(dir));
  }

  /**
   * Returns whether group or others have any access to the path (false where POSIX is not supported).
   *
   * @param path the path
   * @return whether others can access it
   * @throws IOException if the permissions cannot be read
   */
  public static boolean isAccessibleToOthers(Path path) throws IOException {
    if (!isPosix(path)) {
      return false;
    }
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    p.retainAll(EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
    return !p.isEmpty();
  }

  /**
   * Writes a new owner-only file and forces it to disk; fails if it exists. Does not sync the directory.
   *
   * @param file the file
   * @param data its content
   * @throws IOException if it exists or cannot be written
   */
  public static void writeNew(Path file, byte[] data) throws IOException {
    try (FileChannel ch = FileChannel.open(
        file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileAttributes(file))) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /**
   * Creates a file atomically if it does not exist yet, and never replaces one: the data goes to a synced temporary
   * file, which is then hard-linked to the final name ({@code link(2)} fails if the name exists, even if another
   * process created it a moment ago), and the directory is synced. Two threads or processes racing to create the
   * file leave exactly one winner's content, and a crash leaves either no file or a whole one. Where the file system
   * has no hard links, falls back to a rename that refuses an existing target.
   *
   * @param file the file
   * @param data its content
   * @return true if this call created the file, false if it already existed (its content is left untouched)
   * @throws IOException if it cannot be written
   */
  public static boolean createAtomically(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path temp = dir.resolve(TEMP_PREFIX + file.getFileName() + "-" + randomSuffix());
    boolean created = false;
    try {
      writeNew(temp, data);
      try {
        Files.createLink(file, temp);
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file);
      }
      created = true;
    } catch (FileAlreadyExistsException e) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw e; // the temporary name collided, not the target
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
    return created;
  }

  /**
   * Replaces (or creates) a file atomically: a reader, or the file system after a crash, sees the old content or
   * the new one.
   *
   * @param file the file
   * @param data its new content
   * @throws IOException if it cannot be written or the file system cannot rename atomically
   */
  public static void writeAtomically(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path temp = dir.resolve(TEMP_PREFIX + file.getFileName() + "-" + randomSuffix());
    boolean moved = false;
    try {
      writeNew(temp, data);
      moveAtomically(temp, file);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Replaces {@code file} atomically, then overwrites the replaced content with zeros and removes it. If the process
   * dies between the rename and the overwrite, an {@value #OLD_PREFIX} file remains, which {@link #shredLeftovers}
   * removes later.
   *
   * @param file the file
   * @param data its new content
   * @throws IOException if it cannot be written
   */
  public static void replaceAndShred(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path old = dir.resolve(OLD_PREFIX + file.getFileName() + "-" + randomSuffix());
    boolean linked = false;
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createLink(old, file);
        linked = true;
      } catch (UnsupportedOperationException | IOException e) {
        log.debug("no hard link for {} ({}); its old content is unlinked but not overwritten", file, e.toString());
      }
    }
    try {
      writeAtomically(file, data);
    } catch (IOException | RuntimeException e) {
      if (linked) {
        Files.deleteIfExists(old);
      }
      throw e;
    }
    if (linked) {
      shred(old);
      syncDirectory(dir);
    }
  }

  /**
   * Renames atomically; on POSIX an existing target file is replaced.
   *
   * @param from the source
   * @param to the target
   * @throws IOException if the rename fails or cannot be atomic
   */
  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically, which this provider needs", e);
    }
  }

  /**
   * Syncs a directory's entries to disk where the platform supports it (Linux, macOS); a no-op elsewhere.
   *
   * @param dir the directory
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("cannot sync directory {} on this platform: {}", dir, e.toString());
    }
  }

  /**
   * Reads a whole file of at most {@code maxLength} bytes, without following a link.
   *
   * @param file the file
   * @param maxLength the largest size accepted
   * @return the content
   * @throws FileTooLargeException if the file is larger
   * @throws NoSuchFileException if it does not exist
   * @throws IOException if it cannot be read
   */
  public static byte[] read(Path file, int maxLength) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > maxLength) {
        throw new FileTooLargeException(file + " is " + size + " bytes, more than " + maxLength);
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read until full or end of file
      }
      if (buf.hasRemaining()) {
        throw new IOException(file + " shrank while being read");
      }
      return buf.array();
    }
  }

  /**
   * Like {@link #read}, but a missing file is empty rather than an exception.
   *
   * @param file the file
   * @param maxLength the largest size accepted
   * @return the content, or empty if there is no such file
   * @throws IOException if it cannot be read or is too large
   */
  public static Optional<byte[]> readIfExists(Path file, int maxLength) throws IOException {
    try {
      return Optional.of(read(file, maxLength));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The file is larger than any file the provider writes. */
  public static final class FileTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    FileTooLargeException(String message) {
      super(message);
    }
  }

  /**
   * Deletes a file (missing is fine) and syncs its directory if it was there.
   *
   * @param file the file
   * @throws IOException if it cannot be deleted
   */
  public static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(parent(file));
    }
  }

  /**
   * Deletes a directory tree without following links. Missing is fine.
   *
   * @param root the tree
   * @throws IOException if something cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path entry : entries) {
          deleteTree(entry);
        }
      }
    }
    try {
      Files.delete(root);
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  /**
   * Deletes a tree, logging a failure at DEBUG instead of throwing.
   *
   * @param path the tree
   */
  public static void deleteQuietly(Path path) {
    try {
      deleteTree(path);
    } catch (IOException e) {
      log.debug("could not remove {}: {}", path, e.toString());
    }
  }

  /**
   * Overwrites a regular file's content with zeros (forced to disk), then deletes it. Missing is fine.
   *
   * @param file the file
   * @throws IOException if it cannot be overwritten or deleted
   */
  public static void shred(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, SHRED_BUFFER));
      long written = 0;
      while (written < size) {
        zeros.clear();
        zeros.limit((int) Math.min(zeros.capacity(), size - written));
        written += ch.write(zeros, written);
      }
      ch.force(true);
    } catch (NoSuchFileException e) {
      return;
    }
    Files.deleteIfExists(file);
  }

  /**
   * Overwrites every regular file of a tree, then deletes the tree; links are removed, not followed.
   *
   * @param root the tree
   * @throws IOException if something cannot be overwritten or deleted
   */
  public static void shredTree(Path root) throws IOException {
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path entry : entries) {
          shredTree(entry);
        }
      }
      Files.deleteIfExists(root);
    } else if (Files.isRegularFile(root, LinkOption.NOFOLLOW_LINKS)) {
      shred(root);
    } else {
      Files.deleteIfExists(root);
    }
  }

  /**
   * Shreds a tree, logging a failure at DEBUG instead of throwing.
   *
   * @param root the tree
   */
  public static void shredTreeQuietly(Path root) {
    try {
      shredTree(root);
    } catch (IOException e) {
      log.debug("could not remove {}: {}", root, e.toString());
    }
  }

  /**
   * Removes the {@value #OLD_PREFIX} files an interrupted {@link #replaceAndShred} left in a directory, overwriting
   * them first.
   *
   * @param dir the directory
   */
  public static void shredLeftovers(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, OLD_PREFIX + "*")) {
      for (Path entry : entries) {
        shredTreeQuietly(entry);
      }
    } catch (IOException e) {
      log.debug("could not look for leftovers in {}: {}", dir, e.toString());
    }
  }

  private static Path parent(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory for " + file);
    }
    return dir;
  }
}
