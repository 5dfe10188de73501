package dev.ngc4j.provider.tpm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file operations this provider relies on:
 *
 * <ul>
 *   <li>everything is created owner-only ({@code rw-------}, directories {@code rwx------}) where the file system
 *       has POSIX permissions;
 *   <li>{@link #replace} writes a temporary file in the same directory, forces it to disk, renames it over the
 *       target atomically and syncs the directory, so a reader or a crash sees the old content or the new one,
 *       never a mix;
 *   <li>{@link #replaceAndShred} does the same and then overwrites the old content in place with zeros before
 *       unlinking it (through a hard link taken before the rename), for files holding key blobs that must not
 *       survive a PIN change;
 *   <li>{@link #shredTree} overwrites every regular file of a tree with zeros, then deletes the tree.
 * </ul>
 *
 * <p>Temporary names start with {@value #TEMP} and removed containers are renamed to {@value #GRAVE} names; a
 * container id never starts with a dot, so neither can be mistaken for a container. Overwriting in place is
 * best effort: copy-on-write file systems and SSD wear levelling may keep old blocks.
 *
 * (provider-software has helpers with the same guarantees; providers do not depend on each other.)
 *
 * <p>Thread safety: stateless and safe for concurrent use; callers serialise writes to one file.
 */
final class AtomicFiles {
  static final String TEMP = ".tmp-";
  static final String GRAVE = ".del-";
  private static final String OLD = ".old-";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

  private AtomicFiles() {}

  static String suffix() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] fileMode(Path p) {
    return posix(p)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  private static FileAttribute<?>[] dirMode(Path p) {
    return posix(p)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
  }

  /** Creates the directory and missing parents owner-only; nothing if it exists. */
  static void mkdirs(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path parent = abs.getParent();
    if (parent != null) {
      mkdirs(parent);
    }
    try {
      Files.createDirectory(abs, dirMode(abs));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
    }
  }

  /** Creates a new owner-only directory; fails if it exists. */
  static void mkdir(Path dir) throws IOException {
    Files.createDirectory(dir, dirMode(dir));
  }

  /** Writes a new owner-only file and forces it to disk; fails if it exists. */
  static void writeNew(Path file, byte[] data) throws IOException {
    try (FileChannel ch = FileChannel.open(
        file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), fileMode(file))) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /**
   * Creates {@code file} with {@code data} unless it exists, atomically: the data is written and forced to a
   * temporary file, which is then hard-linked to the name (a link never replaces an existing file). Two threads or
   * processes racing to create the file leave exactly one winner's content, and a crash leaves either no file or a
   * whole one. Where the file system has no hard links, falls back to a rename after an existence check (a race
   * between processes could then replace the file).
   *
   * @return true if this call created the file, false if it already existed
   */
  static boolean createIfAbsent(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path temp = dir.resolve(TEMP + file.getFileName() + "-" + suffix());
    try {
      writeNew(temp, data);
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
        move(temp, file);
      }
      syncDirectory(dir);
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Replaces (or creates) {@code file} atomically. */
  static void replace(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path temp = dir.resolve(TEMP + file.getFileName() + "-" + suffix());
    boolean moved = false;
    try {
      writeNew(temp, data);
      move(temp, file);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Replaces {@code file} atomically, then overwrites the replaced content with zeros and removes it. If the
   * process dies between the rename and the overwrite, a {@value #OLD} file remains, which
   * {@link #shredLeftovers(Path)} removes on the next open.
   */
  static void replaceAndShred(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    Path old = dir.resolve(OLD + file.getFileName() + "-" + suffix());
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
      replace(file, data);
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

  /** Renames atomically; an existing target is replaced on POSIX. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically, which this provider needs", e);
    }
  }

  /** Syncs a directory's entries where the platform allows it. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("cannot sync directory {}: {}", dir, e.toString());
    }
  }

  /** Reads a whole file of at most {@code max} bytes (larger: {@link TooLargeException}). */
  static byte[] read(Path file, int max) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > max) {
        throw new TooLargeException(file + " has " + size + " bytes, more than " + max);
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // until full or end of file
      }
      if (b.hasRemaining()) {
        throw new IOException(file + " shrank while being read");
      }
      return b.array();
    }
  }

  /** A file larger than any this provider writes. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /** Overwrites a regular file's content with zeros (forced to disk), then deletes it. Missing is fine. */
  static void shred(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 64 * 1024));
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

  /** Overwrites every regular file of a tree, then deletes the tree; links are removed, not followed. */
  static void shredTree(Path root) throws IOException {
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(root)) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
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

  static void shredTreeQuietly(Path root) {
    try {
      shredTree(root);
    } catch (IOException e) {
      log.debug("could not remove {}: {}", root, e.toString());
    }
  }

  /** Removes {@value #OLD} files an interrupted {@link #replaceAndShred} left in a directory. */
  static void shredLeftovers(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(OLD)) {
          shredTreeQuietly(entry);
        }
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
