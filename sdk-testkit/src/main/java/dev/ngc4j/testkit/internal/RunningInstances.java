package dev.ngc4j.testkit.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The running instances of one harness, stopped by a JVM shutdown hook if a test forgot them. The hook is installed
 * when the first instance is added. Not API.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @param <T> the harness type
 */
public final class RunningInstances<T> {
  private final Set<T> running = ConcurrentHashMap.newKeySet();
  private final String hookThreadName;
  private final Consumer<T> stop;
  private final Object lock = new Object();
  private boolean hookInstalled;

  /**
   * Creates an empty set.
   *
   * @param hookThreadName the name of the shutdown hook's thread
   * @param stop stops one instance (its {@code close()}); a RuntimeException from it is ignored at JVM exit
   */
  public RunningInstances(String hookThreadName, Consumer<T> stop) {
    this.hookThreadName = Objects.requireNonNull(hookThreadName, "hookThreadName");
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  /**
   * Records a running instance, and installs the shutdown hook if it is not yet.
   *
   * @param instance the instance
   */
  public void add(T instance) {
    running.add(instance);
    synchronized (lock) {
      if (!hookInstalled) {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, hookThreadName));
        hookInstalled = true;
      }
    }
  }

  /**
   * Forgets an instance that has stopped.
   *
   * @param instance the instance
   */
  public void remove(T instance) {
    running.remove(instance);
  }

  private void stopAll() {
    for (T instance : List.copyOf(running)) {
      try {
        stop.accept(instance);
      } catch (RuntimeException e) {
        // nothing more can be done while the JVM exits
      }
    }
  }
}
