package dev.ngc4j.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds command-line tools: the directories of {@code PATH} first, then a harness's own fallback directories (where
 * the packages install them when {@code PATH} lacks them, such as {@code /usr/sbin} for daemons). Not API.
 *
 * <p>Thread safety: immutable; reads {@code PATH} on every lookup.
 */
public final class ToolFinder {
  private final String installHint;
  private final List<String> fallbackDirs;

  /**
   * Creates a finder.
   *
   * @param installHint what to install, appended to every "not installed" failure
   * @param fallbackDirs directories searched after those of {@code PATH}, in this order
   */
  public ToolFinder(String installHint, String... fallbackDirs) {
    this.installHint = Objects.requireNonNull(installHint, "installHint");
    this.fallbackDirs = List.of(fallbackDirs);
  }

  /**
   * Finds a tool: the first regular, executable file of that name in a non-empty directory of {@code PATH} or of
   * the fallback directories.
   *
   * @param name the tool's file name
   * @return where it is, if anywhere
   */
  public Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator, -1)));
    }
    dirs.addAll(fallbackDirs);
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the tools that {@link #find(String)} does not find.
   *
   * @param names the tools' file names
   * @return the missing ones, in the given order
   */
  public List<String> missing(List<String> names) {
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (find(name).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  /**
   * Returns where a tool is, or fails saying what to install.
   *
   * @param name the tool's file name
   * @return its path
   * @throws IOException {@code "<name> is not installed; <install hint>"} if it is not found
   */
  public String path(String name) throws IOException {
    Optional<Path> p = find(name);
    if (p.isEmpty()) {
      throw new IOException(name + " is not installed; " + installHint);
    }
    return p.get().toString();
  }
}
