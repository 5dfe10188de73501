package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of this package: a frame ({@code magic[8] || version u16 || length u32 || body || SHA-256 of all
 * before}), a big-endian body codec (u8, u16, byte strings with a u32 length), owner-only creation, atomic
 * replacement (temporary file in the same directory, fsync, rename, directory fsync) and bounded reads.
 *
 * <p>(The provider's container files use the same frame through their own helpers, which live in another package;
 * the few lines are repeated here rather than widening those.)
 *
 * <p>Thread safety: stateless and safe for concurrent use; callers serialise writes to one file.
 */
final class AttestationFiles {
  static final String TEMP = ".tmp-";
  /** No file of this package comes near this; larger means damaged or foreign. */
  static final int MAX_FILE = 64 * 1024;
  private static final int MAGIC_LENGTH = 8;
  private static final int HEADER = MAGIC_LENGTH + 2 + 4;
  private static final int DIGEST = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(AttestationFiles.class);

  private AttestationFiles() {}

  // -------------------------------------------------------------------------------------------------------------
  // Frame
  // -------------------------------------------------------------------------------------------------------------

  static byte[] frame(String magic, int version, byte[] body) {
    byte[] head = new Writer().raw(magic(magic)).u16(version).u32(body.length).raw(body).toByteArray();
    byte[] out = Arrays.copyOf(head, head.length + DIGEST);
    System.arraycopy(sha256(head), 0, out, head.length, DIGEST);
    return out;
  }

  /**
   * Checks the frame and returns the body.
   *
   * @throws ContainerCorruptedException naming the file and what is wrong
   */
  static byte[] unframe(Path file, byte[] data, String magic, int version, String remedy)
      throws ContainerCorruptedException {
    if (data.length < HEADER + DIGEST) {
      throw corrupted(file, "it is truncated (" + data.length + " bytes)", remedy);
    }
    if (!Arrays.equals(data, 0, MAGIC_LENGTH, magic(magic), 0, MAGIC_LENGTH)) {
      throw corrupted(file, "it does not start with " + magic, remedy);
    }
    int end = data.length - DIGEST;
    if (!MessageDigest.isEqual(Arrays.copyOfRange(data, end, data.length), sha256(Arrays.copyOf(data, end)))) {
      throw corrupted(file, "its SHA-256 checksum does not match (damaged, truncated or modified)", remedy);
    }
    int found = ((data[8] & 0xFF) << 8) | (data[9] & 0xFF);
    long length = ((data[10] & 0xFFL) << 24) | ((data[11] & 0xFFL) << 16) | ((data[12] & 0xFFL) << 8)
        | (data[13] & 0xFFL);
    if (length != end - HEADER) {
      throw corrupted(file, "its declared length does not match its size", remedy);
    }
    if (found != version) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " has format version " + found + "; this release reads version " + version,
          "use the ngc4j release that wrote it, or " + remedy,
          null);
    }
    return Arrays.copyOfRange(data, HEADER, end);
  }

  static ContainerCorruptedException corrupted(Path file, String why, String remedy) {
    return new ContainerCorruptedException(
        ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: " + why, remedy, null);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  /** The name of an object with this public area and name algorithm SHA-256: {@code 0x000B || SHA-256(area)}. */
  static byte[] sha256Name(byte[] publicArea) {
    byte[] digest = sha256(publicArea);
    byte[] name = new byte[2 + digest.length];
    name[1] = 0x0B;
    System.arraycopy(digest, 0, name, 2, digest.length);
    return name;
  }

  private static byte[] magic(String magic) {
    byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
    if (m.length != MAGIC_LENGTH) {
      throw new IllegalArgumentException("a magic is 8 ASCII characters");
    }
    return m;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Files
  // -------------------------------------------------------------------------------------------------------------

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
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
    FileAttribute<?>[] mode = posix(abs)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
    try {
      Files.createDirectory(abs, mode);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
    }
  }

  /** Writes a new owner-only file and forces it to disk; fails if it exists. */
  static void writeNew(Path file, byte[] data) throws IOException {
    FileAttribute<?>[] mode = posix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
    try (FileChannel ch = FileChannel.open(
        file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** Replaces (or creates) {@code file} atomically: a reader or a crash sees the old content or the new one. */
  static void replace(Path file, byte[] data) throws IOException {
    Path dir = parent(file);
    mkdirs(dir);
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temp = dir.resolve(TEMP + file.getFileName() + "-" + HexFormat.of().formatHex(suffix));
    boolean moved = false;
    try {
      writeNew(temp, data);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + file + " cannot rename atomically, which this provider needs",
            e);
      }
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Deletes a file (missing is fine) and syncs its directory. */
  static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(parent(file));
    }
  }

  /** Reads a whole file of at most {@value #MAX_FILE} bytes; empty if it does not exist. */
  static Optional<byte[]> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > MAX_FILE) {
        throw new IOException(file + " has " + size + " bytes, more than " + MAX_FILE);
      }
      ByteBuffer b = ByteBuffer.allocate((int) size);
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // until full or end of file
      }
      if (b.hasRemaining()) {
        throw new IOException(file + " shrank while being read");
      }
      return Optional.of(b.array());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.trace("cannot sync directory {}: {}", dir, e.toString());
    }
  }

  private static Path parent(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory for " + file);
    }
    return dir;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Body codec
  // -------------------------------------------------------------------------------------------------------------

  /** Appends big-endian values. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);

    Writer u8(int v) {
      if ((v & ~0xFF) != 0) {
        throw new IllegalArgumentException("u8 out of range: " + v);
      }
      out.write(v);
      return this;
    }

    Writer u16(int v) {
      if ((v & ~0xFFFF) != 0) {
        throw new IllegalArgumentException("u16 out of range: " + v);
      }
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer u32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    /** A byte string: u32 length, then the bytes. */
    Writer bytes(byte[] b) {
      if (b.length > MAX_FILE) {
        throw new IllegalArgumentException("byte string too long: " + b.length);
      }
      u32(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Writer raw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads what {@link Writer} wrote; every read is checked against what is left. */
  static final class Reader {
    private final Path file;
    private final byte[] data;
    private final String remedy;
    private int pos;

    Reader(Path file, byte[] data, String remedy) {
      this.file = file;
      this.data = data;
      this.remedy = remedy;
    }

    private void need(int n, String what) throws ContainerCorruptedException {
      if (n < 0 || n > data.length - pos) {
        throw corrupted(file, "it ends inside " + what, remedy);
      }
    }

    int u8(String what) throws ContainerCorruptedException {
      need(1, what);
      return data[pos++] & 0xFF;
    }

    int u16(String what) throws ContainerCorruptedException {
      need(2, what);
      int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
      pos += 2;
      return v;
    }

    byte[] bytes(String what, int max) throws ContainerCorruptedException {
      need(4, what);
      long n = ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFFL) << 16) | ((data[pos + 2] & 0xFFL) << 8)
          | (data[pos + 3] & 0xFFL);
      pos += 4;
      if (n > max) {
        throw corrupted(file, what + " is " + n + " bytes, more than " + max, remedy);
      }
      need((int) n, what);
      byte[] b = Arrays.copyOfRange(data, pos, pos + (int) n);
      pos += (int) n;
      return b;
    }

    void end() throws ContainerCorruptedException {
      if (pos != data.length) {
        throw corrupted(file, (data.length - pos) + " bytes follow its last field", remedy);
      }
    }
  }
}
