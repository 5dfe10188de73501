package dev.ngc4j.provider.tpm.internal.attest;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of this package, in provider-support's formats: a {@link FramedFile} around a
 * {@link dev.ngc4j.provider.support.ByteWriter} body, written owner-only and atomically through
 * {@link OwnerOnlyFiles}. What is added here: the directory made on the first write, bounded reads where a missing
 * file is empty, a body reader whose errors name the field and carry this package's remedies, and TPM object names.
 *
 * <p>Thread safety: stateless and safe for concurrent use; callers serialise writes to one file.
 */
final class AttestationFiles {
  /** No file of this package comes near this; larger means damaged or foreign. */
  static final int MAX_FILE = 64 * 1024;

  private AttestationFiles() {}

  /** The name of an object with this public area and name algorithm SHA-256: {@code 0x000B || SHA-256(area)}. */
  static byte[] sha256Name(byte[] publicArea) {
    byte[] digest = FramedFile.sha256(publicArea);
    byte[] name = new byte[2 + digest.length];
    name[1] = 0x0B;
    System.arraycopy(digest, 0, name, 2, digest.length);
    return name;
  }

  /** Replaces (or creates) {@code file} atomically, making its directory owner-only first if needed. */
  static void replace(Path file, byte[] data) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("no parent directory for " + file);
    }
    OwnerOnlyFiles.createDirectories(dir);
    OwnerOnlyFiles.writeAtomically(file, data);
  }

  /** Reads a whole file of at most {@value #MAX_FILE} bytes; empty if it does not exist. */
  static Optional<byte[]> read(Path file) throws IOException {
    return OwnerOnlyFiles.readIfExists(file, MAX_FILE);
  }

  /** Reads a body; every error names the file and the field, and carries the file's remedy. */
  static final class Reader {
    private final Path file;
    private final ByteReader in;
    private final String remedy;

    Reader(Path file, byte[] body, String remedy) {
      this.file = file;
      this.in = new ByteReader(body, MAX_FILE);
      this.remedy = remedy;
    }

    int u8(String what) throws ContainerCorruptedException {
      try {
        return in.u8();
      } catch (ByteReader.MalformedException e) {
        throw corrupted(what, e);
      }
    }

    byte[] bytes(String what, int max) throws ContainerCorruptedException {
      try {
        return in.boundedBytes(max);
      } catch (ByteReader.MalformedException e) {
        throw corrupted(what, e);
      }
    }

    void end() throws ContainerCorruptedException {
      try {
        in.expectEnd();
      } catch (ByteReader.MalformedException e) {
        throw corrupted("its end", e);
      }
    }

    private ContainerCorruptedException corrupted(String what, ByteReader.MalformedException e) {
      return FramedFile.corrupted(file, what + ": " + e.reason(), remedy);
    }
  }
}
