package dev.ngc4j.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * File helpers of the harnesses: logs for failure messages, atomic writes, deleting directory trees. Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class HarnessFiles {
  private HarnessFiles() {}

  /**
   * Returns the last lines of a text joined with {@code " | "}, for a one-line failure message.
   *
   * @param text the text (a log)
   * @param count how many lines at most
   * @return the lines, or "" for an empty text
   */
  public static String lastLines(String text, int count) {
    List<String> lines = text.lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /**
   * Returns the last lines of a UTF-8 file as {@link #lastLines(String, int)}.
   *
   * @param file the file
   * @param count how many lines at most
   * @return the lines, or {@code "(no <file name>)"} if it cannot be read
   */
  public static String tail(Path file, int count) {
    try {
      return lastLines(Files.readString(file, StandardCharsets.UTF_8), count);
    } catch (IOException e) {
      return "(no " + file.getFileName() + ")";
    }
  }

  /**
   * Reads a UTF-8 file.
   *
   * @param file the file
   * @return its text, or "" if it cannot be read
   */
  public static String readOrEmpty(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Writes a text as UTF-8 as {@link #writeAtomically(Path, byte[])}.
   *
   * @param file the file to (over)write
   * @param text the text
   * @throws IOException if writing fails
   */
  public static void writeAtomically(Path file, String text) throws IOException {
    writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a file atomically: creates the parent directories, writes {@code <file>.tmp} and moves it over the file,
   * so a reader (a daemon reading its configuration) never sees half a file.
   *
   * @param file the file to (over)write
   * @param bytes the content
   * @throws IOException if writing fails
   */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Deletes a file or a directory tree, not following links; nothing if it does not exist.
   *
   * @param root the file or directory
   * @throws IOException at the first entry that cannot be deleted
   */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(root)) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
          deleteTree(entry);
        }
      }
    }
    Files.deleteIfExists(root);
  }

  /**
   * Deletes what it can of a directory tree, not following links, and ignores every failure (best effort, such as
   * at JVM exit).
   *
   * @param root the file or directory
   */
  public static void deleteTreeQuietly(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
