package dev.ngc4j.testkit.kdc;

import java.util.Objects;

/**
 * What an MIT command-line tool run by {@link MitKdc} produced.
 *
 * <p>Thread safety: immutable.
 *
 * @param exitCode the process exit code (0 on success)
 * @param stdout everything the tool wrote to standard output (UTF-8)
 * @param stderr everything the tool wrote to standard error (UTF-8)
 * @since 0.1.0
 */
public record ToolResult(int exitCode, String stdout, String stderr) {

  /**
   * Validates the components.
   *
   * @param exitCode the exit code
   * @param stdout the standard output
   * @param stderr the standard error
   */
  public ToolResult {
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /**
   * Returns whether the tool exited with code 0.
   *
   * @return {@code exitCode() == 0}
   * @since 0.1.0
   */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /**
   * Returns a one-paragraph summary for assertion messages: exit code, stdout and stderr.
   *
   * @return the summary
   * @since 0.1.0
   */
  public String describe() {
    return "exit " + exitCode + "; stdout: " + stdout.strip() + "; stderr: " + stderr.strip();
  }
}
