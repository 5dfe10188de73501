package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per container directory for the whole JVM, so that two sessions on the same data directory still
 * serialise their changes. Entries are a few dozen bytes and are kept for the life of the JVM.
 *
 * <p>Only threads of one JVM are serialised: a data directory must not be used by two processes at once.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class ContainerLocks {
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private ContainerLocks() {}

  /** A held lock; closing it releases the lock. */
  static final class Held implements AutoCloseable {
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
   * @throws NgcException {@code INTERRUPTED} if the thread is interrupted while waiting
   */
  static Held lock(Path path) throws NgcException {
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
