package dev.ngc4j.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only directories and crash-safe file replacement (temp file, fsync, atomic rename, directory fsync).
 * provider-software has its own copy on purpose: providers depend on sdk-api only.
 */
public final class AtomicFiles {
  private static final boolean POSIX =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private AtomicFiles() {}

  /** Creates the directory and its missing parents, owner-only, and tightens an existing one. */
  public static Path ownerOnlyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (POSIX) {
        FileAttribute<?> attr = PosixFilePermissions.asFileAttribute(DIR);
        try {
          Files.createDirectories(dir, attr);
        } catch (FileAlreadyExistsException e) {
          // a concurrent creator won
        }
      } else {
        Files.createDirectories(dir);
      }
    }
    if (POSIX) {
      Files.setPosixFilePermissions(dir, DIR);
    }
    return dir;
  }

  /** Replaces {@code target} with {@code content} so that a crash leaves either the old or the new file. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = parent(target);
    ownerOnlyDirectory(dir);
    Path tmp = POSIX
        ? Files.createTempFile(dir, ".tmp-", ".part", PosixFilePermissions.asFileAttribute(FILE))
        : Files.createTempFile(dir, ".tmp-", ".part");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Deletes a file and syncs its directory. */
  public static boolean delete(Path target) throws IOException {
    boolean existed = Files.deleteIfExists(target);
    if (existed) {
      syncDirectory(parent(target));
    }
    return existed;
  }

  private static Path parent(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory: " + file);
    }
    return dir;
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened; the rename itself is still atomic.
    }
  }
}
