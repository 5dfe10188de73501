package dev.ngc4j.provider.support;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per path (a container directory, a device key file) for the whole JVM, so that two sessions on the same
 * data directory still serialise their changes, gesture prompts included. Entries are a few dozen bytes and are kept
 * for the life of the JVM.
 *
 * <p>Only threads of one JVM are serialised: a data directory must not be used by two processes at once.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class ContainerLocks {
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private ContainerLocks() {}

  /** A held lock; closing it releases the lock. */
  public static final class Held implements AutoCloseable {
    private final ReentrantLock lock;

    private Held(ReentrantLock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      lock.unlock();
    }
  }

  /**
   * Takes the lock of a path, waiting as long as it takes.
   *
   * @param path the path (made absolute and normalised)
   * @return the held lock
   * @throws NgcException {@code INTERRUPTED} if the thread is interrupted while waiting
   */
  public static Held lock(Path path) throws NgcException {
    ReentrantLock lock = LOCKS.computeIfAbsent(path.toAbsolutePath().normalize(), p -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting for container " + path.getFileName(), e);
    }
    return new Held(lock);
  }
}
