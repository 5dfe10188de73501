package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per container directory for the whole JVM, so two sessions on one data directory serialise their
 * changes to a container (gesture prompts included). Only threads of one JVM are serialised: a data directory
 * belongs to one process at a time.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class ContainerLocks {
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private ContainerLocks() {}

  /** A held lock; closing releases it. */
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
   * Takes the lock of a container directory.
   *
   * @throws NgcException {@code INTERRUPTED} if interrupted while waiting
   */
  static Held lock(Path dir) throws NgcException {
    ReentrantLock lock = LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), p -> new ReentrantLock());
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NgcException(ErrorCode.INTERRUPTED, "Interrupted while waiting for container " + dir.getFileName(), e);
    }
    return new Held(lock);
  }
}
