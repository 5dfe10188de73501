package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container layout every provider's data directory shares, and the operations on it:
 *
 * <pre>
 * containers/                       rwx------
 *   &lt;container id&gt;/                 rwx------
 *     container.ngc                 rw-------  the provider's container record
 *     attempts.ngc                  rw-------  the {@link AttemptCounter}
 *     (further files the provider adds at creation)
 *     .tmp-…  .old-…                a replacement in progress, or a replaced file awaiting its overwrite
 *   .tmp-…  .del-…                  a creation or deletion in progress (or interrupted); never a container
 * </pre>
 *
 * <ul>
 *   <li>A container is created all or nothing: its files are written into a temporary directory, which is then
 *       renamed into place (the commit point).
 *   <li>It is deleted by an atomic rename out of the namespace ({@code .del-…}), then removed; a crash in between
 *       leaves a grave that {@link #removeLeftovers()} clears.
 *   <li>Every file is read with a size limit and without following links; a missing file inside an existing
 *       container is corruption (a missing attempt counter locks), never absence.
 *   <li>Changes to one container are serialised through {@link ContainerLocks} on its directory.
 * </ul>
 *
 * <p>The provider chooses how removed files go ({@link Disposal}) and names itself in messages; nothing here knows
 * what the files hold beyond the attempt counter.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: safe for concurrent use; callers hold {@link #lock} for writes.
 */
public final class ContainerDirectory {
  /** The container record's file name. */
  public static final String CONTAINER_FILE = "container.ngc";
  /** The attempt counter's file name. */
  public static final String ATTEMPTS_FILE = "attempts.ngc";
  /** Temporary files and directories younger than this may belong to an operation still running. */
  public static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(ContainerDirectory.class);

  /** How removed containers, replaced container files and leftovers go. */
  public enum Disposal {
    /** Unlinked. For files whose secrets are encrypted under gesture-derived keys. */
    DELETE,
    /** Overwritten with zeros in place, then unlinked (best effort). For files holding usable key blobs. */
    OVERWRITE
  }

  private final Path root;
  private final String noun;
  private final String attemptsMagic;
  private final Disposal disposal;

  /**
   * Describes a provider's container directory.
   *
   * @param root the {@code containers} directory (existing)
   * @param noun what a container is called in messages, in lower case where the language allows ("software
   *     container", "TPM container")
   * @param attemptsMagic the magic of the provider's attempt counter files
   * @param disposal how removed files go
   */
  public ContainerDirectory(Path root, String noun, String attemptsMagic, Disposal disposal) {
    this.root = root;
    this.noun = noun;
    this.attemptsMagic = attemptsMagic;
    this.disposal = disposal;
  }

  /**
   * Returns the {@code containers} directory.
   *
   * @return the directory
   */
  public Path root() {
    return root;
  }

  /**
   * Returns a container's directory.
   *
   * @param id the container
   * @return its directory (which may not exist)
   */
  public Path directory(ContainerId id) {
    return root.resolve(id.value());
  }

  /**
   * Returns a container's record file.
   *
   * @param id the container
   * @return the file
   */
  public Path containerFile(ContainerId id) {
    return directory(id).resolve(CONTAINER_FILE);
  }

  /**
   * Returns a container's attempt counter file.
   *
   * @param id the container
   * @return the file
   */
  public Path attemptsFile(ContainerId id) {
    return directory(id).resolve(ATTEMPTS_FILE);
  }

  /**
   * Returns whether the container's directory exists.
   *
   * @param id the container
   * @return whether it exists
   */
  public boolean exists(ContainerId id) {
    return Files.exists(directory(id), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Takes the container's lock, for a change or a gesture check.
   *
   * @param id the container
   * @return the held lock
   * @throws NgcException {@code INTERRUPTED} while waiting
   */
  public ContainerLocks.Held lock(ContainerId id) throws NgcException {
    return ContainerLocks.lock(directory(id));
  }

  /**
   * The exception for a container id that is taken.
   *
   * @param id the container
   * @return {@code CONTAINER_EXISTS}
   */
  public NgcException alreadyExists(ContainerId id) {
    return new NgcException(ErrorCode.CONTAINER_EXISTS, "A " + noun + " named " + id + " already exists");
  }

  // -------------------------------------------------------------------------------------------------------------
  // Creation, listing, deletion
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Creates a container all or nothing: writes the record, a fresh attempt counter and the extra files into a
   * temporary directory, syncs it, and renames it into place. The caller holds the container's lock.
   *
   * @param id the container
   * @param record the container record file's bytes
   * @param extraFiles further files by name, written in iteration order
   * @throws NgcException {@code CONTAINER_EXISTS} if the id was taken meanwhile; {@code STORAGE_FAILURE}
   */
  public void create(ContainerId id, byte[] record, Map<String, byte[]> extraFiles) throws NgcException {
    Path temp = root.resolve(OwnerOnlyFiles.TEMP_PREFIX + id.value() + "-" + OwnerOnlyFiles.randomSuffix());
    boolean committed = false;
    try {
      OwnerOnlyFiles.createDirectory(temp);
      OwnerOnlyFiles.writeNew(temp.resolve(CONTAINER_FILE), record);
      OwnerOnlyFiles.writeNew(temp.resolve(ATTEMPTS_FILE), AttemptCounter.fresh(id).encode(attemptsMagic));
      for (Map.Entry<String, byte[]> file : extraFiles.entrySet()) {
        OwnerOnlyFiles.writeNew(temp.resolve(file.getKey()), file.getValue());
      }
      OwnerOnlyFiles.syncDirectory(temp);
      if (exists(id)) {
        throw alreadyExists(id);
      }
      OwnerOnlyFiles.moveAtomically(temp, directory(id));
      committed = true;
      OwnerOnlyFiles.syncDirectory(root);
    } catch (IOException e) {
      throw storageFailure("Could not write the new " + noun + " " + id, e);
    } finally {
      if (!committed) {
        dispose(temp);
      }
    }
  }

  /**
   * Lists the containers: the directories whose names are container ids. Damaged containers are listed too.
   *
   * @return the ids, sorted
   * @throws NgcException {@code STORAGE_FAILURE}
   */
  public List<ContainerId> list() throws NgcException {
    try {
      return ids(false);
    } catch (IOException e) {
      throw storageFailure("Could not list the " + noun + "s in " + root, e);
    }
  }

  /**
   * Returns whether any container exists (no exception for an unreadable directory entry).
   *
   * @return whether there is one
   * @throws IOException if the directory cannot be listed
   */
  public boolean hasAny() throws IOException {
    return !ids(true).isEmpty();
  }

  private List<ContainerId> ids(boolean firstOnly) throws IOException {
    List<ContainerId> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          ids.add(ContainerId.of(name));
        } catch (IllegalArgumentException e) {
          log.debug("ignoring {} in the {} directory: not a container id", name, noun);
          continue;
        }
        if (firstOnly) {
          break;
        }
      }
    }
    ids.sort(Comparator.comparing(ContainerId::value));
    return List.copyOf(ids);
  }

  /**
   * Deletes a container: takes its lock, renames its directory out of the namespace (the commit point), then
   * removes it.
   *
   * @param id the container
   * @return whether it existed
   * @throws NgcException {@code STORAGE_FAILURE} if the rename fails; {@code INTERRUPTED}
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  public boolean delete(ContainerId id) throws NgcException {
    Path dir = directory(id);
    try (ContainerLocks.Held held = lock(id)) {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Path grave = root.resolve(OwnerOnlyFiles.GRAVE_PREFIX + id.value() + "-" + OwnerOnlyFiles.randomSuffix());
      try {
        OwnerOnlyFiles.moveAtomically(dir, grave);
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        throw storageFailure("Could not delete " + noun + " " + id, e);
      }
      OwnerOnlyFiles.syncDirectory(root);
      dispose(grave);
      log.debug("deleted {} {}", noun, id);
      return true;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // One container's files (writers hold the container's lock)
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Decodes a container's record.
   *
   * @param <R> the provider's record type
   */
  @FunctionalInterface
  public interface RecordDecoder<R> {
    /**
     * Decodes the record.
     *
     * @param file the file, for messages
     * @param data its bytes
     * @return the record
     * @throws ContainerCorruptedException if it does not fit the format
     */
    R decode(Path file, byte[] data) throws ContainerCorruptedException;
  }

  /**
   * Reads and decodes a container's record, and checks it names this container (a record copied from another
   * container is corrupt).
   *
   * @param <R> the provider's record type
   * @param id the container
   * @param maxLength the largest record file accepted
   * @param decoder decodes the record
   * @param idOf the id the record names
   * @return the record
   * @throws NgcException {@code CONTAINER_NOT_FOUND}, {@code CONTAINER_CORRUPTED} or {@code STORAGE_FAILURE}
   */
  public <R> R readRecord(ContainerId id, int maxLength, RecordDecoder<R> decoder, Function<R, ContainerId> idOf)
      throws NgcException {
    Path file = containerFile(id);
    R record = decoder.decode(file, read(id, file, maxLength));
    ContainerId named = idOf.apply(record);
    if (!named.equals(id)) {
      throw FramedFile.corrupted(file, "it belongs to container " + named);
    }
    return record;
  }

  /**
   * Replaces a container's record file atomically; with {@link Disposal#OVERWRITE} the replaced file is overwritten
   * and removed.
   *
   * @param id the container
   * @param record the record file's bytes
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if the container was deleted; {@code STORAGE_FAILURE}
   */
  public void writeRecord(ContainerId id, byte[] record) throws NgcException {
    write(id, containerFile(id), record, disposal == Disposal.OVERWRITE);
  }

  /**
   * Reads a container's attempt counter.
   *
   * @param id the container
   * @return the counter
   * @throws NgcException {@code CONTAINER_CORRUPTED} if it is missing, damaged or another container's
   */
  public AttemptCounter readCounter(ContainerId id) throws NgcException {
    Path file = attemptsFile(id);
    return AttemptCounter.decode(file, read(id, file, AttemptCounter.MAX_FILE_LENGTH), attemptsMagic, id);
  }

  /**
   * Replaces a container's attempt counter atomically.
   *
   * @param counter the counter
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if the container was deleted; {@code STORAGE_FAILURE}
   */
  public void writeCounter(AttemptCounter counter) throws NgcException {
    ContainerId id = counter.containerId();
    write(id, attemptsFile(id), counter.encode(attemptsMagic), false);
  }

  /**
   * Reads a file of an existing container.
   *
   * @param id the container
   * @param file the file, inside the container's directory
   * @param maxLength the largest size accepted
   * @return the content
   * @throws NgcException {@code CONTAINER_NOT_FOUND} if the container does not exist; {@code CONTAINER_CORRUPTED}
   *     if the file is missing or too large; {@code STORAGE_FAILURE}
   */
  public byte[] read(ContainerId id, Path file, int maxLength) throws NgcException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw notFound(id);
    }
    try {
      return OwnerOnlyFiles.read(file, maxLength);
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw notFound(id);
      }
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " is missing; without it the container is treated as damaged (and, for the attempt "
              + "counter, as locked)",
          ErrorCode.CONTAINER_CORRUPTED.remedy(),
          e);
    } catch (OwnerOnlyFiles.FileTooLargeException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: it is too large", e);
    } catch (IOException e) {
      throw storageFailure("Could not read " + file, e);
    }
  }

  private void write(ContainerId id, Path file, byte[] data, boolean shredReplaced) throws NgcException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw new ContainerNotFoundException(capitalized(noun) + " " + id + " was deleted");
    }
    try {
      if (shredReplaced) {
        OwnerOnlyFiles.replaceAndShred(file, data);
      } else {
        OwnerOnlyFiles.writeAtomically(file, data);
      }
    } catch (IOException e) {
      throw storageFailure("Could not write " + file, e);
    }
  }

  private ContainerNotFoundException notFound(ContainerId id) {
    return new ContainerNotFoundException("No " + noun + " " + id + " in " + root);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Housekeeping
  // -------------------------------------------------------------------------------------------------------------

  /**
   * Removes what interrupted operations left: renamed-away containers ({@code .del-…}) always, replaced files
   * awaiting their overwrite ({@code .old-…}) always, and temporary files and directories ({@code .tmp-…}) once
   * they are older than {@link #LEFTOVER_AGE} (younger ones may belong to an operation still running, in this
   * process or another). Failures are logged at DEBUG and otherwise ignored.
   */
  public void removeLeftovers() {
    Instant cutoff = Instant.now().minus(LEFTOVER_AGE);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(OwnerOnlyFiles.GRAVE_PREFIX)) {
          dispose(entry);
        } else if (name.startsWith(OwnerOnlyFiles.TEMP_PREFIX)) {
          disposeIfOlder(entry, cutoff);
        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          OwnerOnlyFiles.shredLeftovers(entry);
          try (DirectoryStream<Path> files = Files.newDirectoryStream(entry, OwnerOnlyFiles.TEMP_PREFIX + "*")) {
            for (Path file : files) {
              disposeIfOlder(file, cutoff);
            }
          }
        }
      }
    } catch (IOException e) {
      log.debug("could not look for leftovers in {}: {}", root, e.toString());
    }
  }

  private void disposeIfOlder(Path path, Instant cutoff) {
    try {
      if (Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
        log.debug("removing leftover {}", path);
        dispose(path);
      }
    } catch (NoSuchFileException e) {
      // gone meanwhile
    } catch (IOException e) {
      log.debug("could not check leftover {}: {}", path, e.toString());
    }
  }

  private void dispose(Path path) {
    if (disposal == Disposal.OVERWRITE) {
      OwnerOnlyFiles.shredTreeQuietly(path);
    } else {
      OwnerOnlyFiles.deleteQuietly(path);
    }
  }

  /**
   * The exception for an I/O failure.
   *
   * @param detail what could not be done
   * @param cause the failure
   * @return {@code STORAGE_FAILURE}
   */
  public static NgcException storageFailure(String detail, Exception cause) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, detail + ": " + cause, cause);
  }

  /** The text with its first letter in upper case, for a name at the start of a sentence. */
  static String capitalized(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  @Override
  public String toString() {
    return "ContainerDirectory[" + root + ", " + disposal.name().toLowerCase(Locale.ROOT) + "]";
  }
}
