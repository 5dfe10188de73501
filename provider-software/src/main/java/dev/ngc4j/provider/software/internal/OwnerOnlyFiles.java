package dev.ngc4j.provider.software.internal;

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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File operations with the guarantees this provider relies on: files and directories are created owner-only
 * ({@code rw-------} / {@code rwx------}) where the file system has POSIX permissions, and a file is replaced
 * atomically (temporary file in the same directory, {@link FileChannel#force}, atomic rename, then the directory
 * is synced where the platform allows it), so a reader sees either the old or the new content, never a mix.
 *
 * <p>Temporary names start with {@value #TEMP_PREFIX} and deleted containers are renamed to {@value #GRAVE_PREFIX}
 * names; neither can be a container id, which never starts with a dot.
 *
 * <p>Thread safety: stateless and safe for concurrent use; callers serialise writes to the same file.
 */
final class OwnerOnlyFiles {
  static final String TEMP_PREFIX = ".tmp-";
  static final String GRAVE_PREFIX = ".del-";

  private static final Logger log = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

  private OwnerOnlyFiles() {}

  static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] fileAttributes(Path dir) {
    return isPosix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] directoryAttributes(Path dir) {
    return isPosix(dir)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS)}
        : new FileAttribute<?>[0];
  }

  /** Returns a random suffix for temporary and grave names. */
  static String randomSuffix() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Creates the directory (and missing parents) owner-only, or does nothing if it exists. */
  static void createDirectories(Path dir) throws IOException {
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

  /** Creates a new owner-only directory; fails if it exists. */
  static void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir, directoryAttributes(dir));
  }

  /** Returns whether group or others have any access to the path (false where POSIX is not supported). */
  static boolean isAccessibleToOthers(Path path) throws IOException {
    if (!isPosix(path)) {
      return false;
    }
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    p.retainAll(EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
    return !p.isEmpty();
  }

  /** Writes a new owner-only file and syncs it; fails if it exists. Does not sync the directory. */
  static void writeNew(Path file, byte[] data) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel ch = FileChannel.open(
        file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        fileAttributes(dir == null ? file : dir))) {
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
   * process created it a moment ago), and the directory is synced. A reader never sees a partial file.
   *
   * @return true if this call created the file, false if it already existed (its content is left untouched)
   */
  static boolean createAtomically(Path file, byte[] data) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory for " + file);
    }
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
   */
  static void writeAtomically(Path file, byte[] data) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory for " + file);
    }
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

  /** Renames atomically; on POSIX an existing target file is replaced. */
  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically, which this provider needs", e);
    }
  }

  /** Syncs a directory's entries to disk where the platform supports it (Linux, macOS); a no-op elsewhere. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("cannot sync directory {} on this platform: {}", dir, e.toString());
    }
  }

  /** Reads a whole file of at most {@code maxLength} bytes. */
  static byte[] read(Path file, int maxLength) throws IOException {
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

  /** The file is larger than any file this provider writes. */
  static final class FileTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    FileTooLargeException(String message) {
      super(message);
    }
  }

  /** Deletes a directory tree without following links. Missing is fine. */
  static void deleteTree(Path root) throws IOException {
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

  static void deleteQuietly(Path path) {
    try {
      deleteTree(path);
    } catch (IOException e) {
      log.debug("could not remove {}: {}", path, e.toString());
    }
  }
}
