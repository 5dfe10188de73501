package dev.ngc4j.testkit.internal;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools as child processes, each with a deadline after which it is killed. Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class Commands {
  private Commands() {}

  /**
   * Returns a process builder for a command whose standard input is {@code /dev/null} (a tool that prompts gets
   * end-of-file instead of waiting); the caller redirects the output and sets the environment.
   *
   * @param command the command and its arguments
   * @return the builder
   */
  public static ProcessBuilder builder(List<String> command) {
    return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
  }

  /**
   * Starts the builder's command and waits for it as {@link #await(Process, String, Duration)}.
   *
   * @param builder the command, its redirections and environment
   * @param deadline how long it may run
   * @return its exit code
   * @throws IOException if it cannot start, does not finish in time (it is killed) or the wait is interrupted
   */
  public static int run(ProcessBuilder builder, Duration deadline) throws IOException {
    return await(builder.start(), builder.command().get(0), deadline);
  }

  /**
   * Waits for a process up to a deadline; kills it (SIGKILL) if the deadline passes or the wait is interrupted.
   *
   * @param process the process
   * @param name its command, for the messages
   * @param deadline how long to wait
   * @return its exit code
   * @throws IOException {@code "<name> did not finish within <deadline>"}, or {@code "interrupted while waiting for
   *     <name>"} (with the thread's interrupt flag set again)
   */
  public static int await(Process process, String name, Duration deadline) throws IOException {
    try {
      if (!awaitOrKill(process, deadline)) {
        throw new IOException(name + " did not finish within " + deadline);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + name, e);
    }
  }

  /**
   * Waits for a process up to a deadline and kills it (SIGKILL) if it is still running then.
   *
   * @param process the process
   * @param deadline how long to wait
   * @return true if it exited in time
   * @throws InterruptedException if the wait is interrupted (the process is left running)
   */
  public static boolean awaitOrKill(Process process, Duration deadline) throws InterruptedException {
    if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    process.destroyForcibly();
    return false;
  }
}
