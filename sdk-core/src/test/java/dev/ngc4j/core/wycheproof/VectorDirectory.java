package dev.ngc4j.core.wycheproof;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the shared Wycheproof vector folder.
 *
 * <p>Order: the system property {@value #PROPERTY} when it is set (surefire sets it from the root pom), otherwise
 * {@code shared/testvectors/wycheproof} next to the working directory or one of its parents. When nothing is
 * found the calling factory fails if the environment variable {@code CI} is {@code "true"}, and yields one aborted
 * test (reported as skipped, with the reason) otherwise.
 */
final class VectorDirectory {
  static final String PROPERTY = "ngc4j.wycheproof.dir";
  private static final String RELATIVE = "shared/testvectors/wycheproof";

  private VectorDirectory() {}

  /**
   * Builds the dynamic tests for one vector file, or reports why it cannot. When the folder is missing the
   * factory fails under {@code CI=true}; otherwise it returns one test that aborts with the reason, so that the
   * run reports it as skipped (an aborted factory alone would not be counted). A folder that exists but lacks
   * the file is a broken copy and always fails.
   */
  static List<DynamicTest> testsFor(String fileName, Function<Path, List<DynamicTest>> tests) {
    List<Path> looked = new ArrayList<>();
    Path dir = locate(looked);
    if (dir == null) {
      if ("true".equals(System.getenv("CI"))) {
        return Assertions.fail(
            "Wycheproof vectors are required when CI=true but were not found; looked at " + looked
                + " (set -D" + PROPERTY + " to the shared testvectors/wycheproof folder)");
      }
      String reason = "Wycheproof vectors not found at " + looked + "; skipped (set -D" + PROPERTY + ")";
      return List.of(DynamicTest.dynamicTest(fileName + " not found", () -> Assumptions.abort(reason)));
    }
    Path file = dir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      return Assertions.fail(
          "the Wycheproof folder " + dir + " exists but has no " + fileName + "; the shared copy is incomplete");
    }
    return tests.apply(file);
  }

  private static @Nullable Path locate(List<Path> looked) {
    String configured = System.getProperty(PROPERTY);
    // An IDE may pass the pom's expression through unresolved; treat that like an unset property.
    if (configured != null && !configured.isBlank() && !configured.contains("${")) {
      Path dir = Path.of(configured).toAbsolutePath().normalize();
      looked.add(dir);
      return Files.isDirectory(dir) ? dir : null;
    }
    for (Path p = Path.of("").toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(RELATIVE);
      looked.add(candidate);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
