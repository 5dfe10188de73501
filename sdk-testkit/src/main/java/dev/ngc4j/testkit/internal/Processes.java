package dev.ngc4j.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * Daemons the harnesses start and stop by pid: pid files, {@code /proc} checks, polling with a deadline and stopping
 * with SIGTERM then SIGKILL. Not API.
 *
 * <p>Thread safety: stateless.
 */
public final class Processes {
  private Processes() {}

  /**
   * Reads a pid file.
   *
   * @param pidFile the file a daemon wrote
   * @return the pid, or empty if the file is missing, empty, unreadable or not a number
   */
  public static Optional<Long> readPid(Path pidFile) {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Polls a pid file until it holds a pid.
   *
   * @param pidFile the file the daemon writes
   * @param deadline how long to poll
   * @param interval the pause between polls
   * @return the pid, or empty if none came within the deadline
   */
  public static Optional<Long> awaitPid(Path pidFile, Duration deadline, Duration interval) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      Optional<Long> pid = readPid(pidFile);
      if (pid.isPresent()) {
        return pid;
      }
      pause(interval);
    }
    return Optional.empty();
  }

  /**
   * Returns whether {@code /proc/PID/stat} shows a live process (neither zombie nor dead) with this name.
   *
   * @param pid the pid
   * @param name the process name (the command's file name, as {@code /proc} shows it in parentheses)
   * @return true while it runs; false if it is gone, another program or {@code /proc} cannot be read
   */
  public static boolean isLive(long pid, String name) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      if (open < 0 || close < 0 || close + 2 >= stat.length()) {
        return false;
      }
      char state = stat.charAt(close + 2);
      return state != 'Z' && state != 'X' && name.equals(stat.substring(open + 1, close));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Returns the state letter of {@code /proc/PID/stat}.
   *
   * @param pid the pid
   * @return R, S, T, Z, ..., or "" if the process is gone
   */
  public static String state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() ? "" : stat.substring(close + 2, close + 3);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Polls until a process is gone.
   *
   * @param pid the pid
   * @param alive whether the pid still is the process (for example {@code p -> isLive(p, "swtpm")})
   * @param deadline how long to poll
   * @param interval the pause between polls
   * @return true if it is gone
   */
  public static boolean awaitExit(long pid, LongPredicate alive, Duration deadline, Duration interval) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (!alive.test(pid)) {
        return true;
      }
      pause(interval);
    }
    return !alive.test(pid);
  }

  /**
   * Stops a process: SIGTERM, then SIGKILL if it is still there after the deadline. Nothing is signalled unless
   * {@code ours} says the pid is still the process this harness started (pids are reused).
   *
   * @param name the program, for the message
   * @param pid the pid
   * @param ours whether the pid is still the harness's process
   * @param alive whether the pid still is a live process of that program
   * @param deadline how long to wait after each signal
   * @param interval the pause between polls
   * @throws UncheckedIOException {@code "<name> (pid <pid>) survived SIGKILL"}
   */
  public static void terminate(String name, long pid, LongPredicate ours, LongPredicate alive, Duration deadline,
      Duration interval) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !ours.test(pid)) {
      return;
    }
    handle.get().destroy();
    if (awaitExit(pid, alive, deadline, interval)) {
      return;
    }
    if (ours.test(pid)) {
      handle.get().destroyForcibly();
    }
    if (!awaitExit(pid, alive, deadline, interval)) {
      throw new UncheckedIOException(new IOException(name + " (pid " + pid + ") survived SIGKILL"));
    }
  }

  /**
   * Parks the thread between two polls; the suite must not use {@code Thread.sleep}, and polling with a deadline is
   * the point.
   *
   * @param interval how long
   */
  public static void pause(Duration interval) {
    LockSupport.parkNanos(interval.toNanos());
  }
}
