package dev.ngc4j.core;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of credential keys generated ahead of time on one background thread, because RSA-2048 generation
 * is slow (tens of milliseconds in software, seconds on a TPM). {@link #take()} never waits for the background
 * thread: it returns a ready key when there is one and otherwise generates one on the caller's thread. The pool
 * refills whenever it drops to its low-water mark.
 *
 * <p>Works with any provider: the provider's {@link PooledKeySource} decides how a key is made and held (a key
 * pair in memory, a TPM blob, a token object). Keys still in the pool at {@link #close()} are destroyed.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KeyPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyPool.class);

  private final PooledKeySource source;
  private final int capacity;
  private final int lowWater;
  private final ArrayBlockingQueue<PooledKey> ready;
  private final ExecutorService filler;
  private final AtomicBoolean filling = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong refills = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong generationNanos = new AtomicLong();
  private volatile boolean closed;

  private KeyPool(PooledKeySource source, int capacity, int lowWater) {
    this.source = source;
    this.capacity = capacity;
    this.lowWater = lowWater;
    this.ready = new ArrayBlockingQueue<>(Math.max(1, capacity));
    this.filler = Executors.newSingleThreadExecutor(KeyPool::fillerThread);
  }

  /**
   * The background thread: a daemon at the lowest priority, so that pre-generation yields to the application's
   * own work. Only a hint: {@link #take()} never waits for this thread, so nothing depends on how it is scheduled.
   */
  @SuppressWarnings("ThreadPriorityCheck") // a scheduling hint for background work; correctness never relies on it
  private static Thread fillerThread(Runnable r) {
    Thread t = new Thread(r, "ngc4j-keypool");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  }

  /**
   * Creates a pool and starts filling it in the background.
   *
   * @param source how keys are made
   * @param capacity the most keys kept ready (0 disables pre-generation: every take generates)
   * @param lowWater refill when this many or fewer keys are ready; less than {@code capacity}
   * @return the started pool
   * @since 0.1.0
   */
  public static KeyPool start(PooledKeySource source, int capacity, int lowWater) {
    Objects.requireNonNull(source, "source");
    if (capacity < 0 || capacity > 1024) {
      throw new IllegalArgumentException("capacity must be between 0 and 1024");
    }
    if (lowWater < 0 || (capacity > 0 && lowWater >= capacity)) {
      throw new IllegalArgumentException("lowWater must be at least 0 and less than capacity");
    }
    KeyPool pool = new KeyPool(source, capacity, lowWater);
    pool.refill();
    return pool;
  }

  /**
   * Takes a key: a ready one without waiting, or, when the pool is empty, one generated now on this thread.
   *
   * @return a key the caller owns (bind it to a container or close it)
   * @throws NgcException {@link ErrorCode#POOL_SHUT_DOWN} after {@link #close()}, or the provider's generation
   *     error on a miss
   * @since 0.1.0
   */
  public PooledKey take() throws NgcException {
    ensureOpen();
    PooledKey key = ready.poll();
    if (key != null) {
      hits.incrementAndGet();
      if (ready.size() <= lowWater) {
        refill();
      }
      return key;
    }
    misses.incrementAndGet();
    refill();
    long start = System.nanoTime();
    try {
      return source.generate();
    } finally {
      generationNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /**
   * Returns the counters.
   *
   * @return a snapshot
   * @since 0.1.0
   */
  public PoolStats stats() {
    return new PoolStats(
        ready.size(), capacity, hits.get(), misses.get(), refills.get(), failures.get(),
        Duration.ofNanos(generationNanos.get()));
  }

  /**
   * Waits until the pool holds {@code count} keys or the timeout passes (for start-up warm-up and tests).
   *
   * @param count keys wanted, at most the capacity
   * @param timeout how long to wait
   * @return true if the pool holds at least {@code count} keys
   * @throws InterruptedException if interrupted
   * @since 0.1.0
   */
  public boolean awaitAvailable(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (ready.size() < count && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    return ready.size() >= count;
  }

  /**
   * Stops the background thread (interrupting a generation in progress) and destroys the keys still pooled.
   * Idempotent. Later {@link #take()} calls fail with {@link ErrorCode#POOL_SHUT_DOWN}.
   *
   * @since 0.1.0
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    filler.shutdownNow();
    try {
      if (!filler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Key pool generator did not stop within 30 s; abandoning it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
    synchronized (this) {
      notifyAll();
    }
  }

  /**
   * Returns whether {@link #close()} was called.
   *
   * @return true when closed
   * @since 0.1.0
   */
  public boolean isClosed() {
    return closed;
  }

  private void ensureOpen() throws NgcException {
    if (closed) {
      throw new NgcException(ErrorCode.POOL_SHUT_DOWN, "The key pool was shut down");
    }
  }

  private void refill() {
    if (capacity == 0 || closed || !filling.compareAndSet(false, true)) {
      return;
    }
    try {
      filler.execute(this::fill);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      filling.set(false);
    }
  }

  private void fill() {
    boolean failed = false;
    try {
      while (!closed && !Thread.currentThread().isInterrupted() && ready.size() + inFlight.get() < capacity) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        PooledKey key;
        try {
          key = source.generate();
        } catch (NgcException | RuntimeException e) {
          failures.incrementAndGet();
          failed = true;
          log.debug("Background key generation failed: {}", e.toString());
          return;
        } finally {
          generationNanos.addAndGet(System.nanoTime() - start);
          inFlight.decrementAndGet();
        }
        if (closed || !ready.offer(key)) {
          key.close();
          return;
        }
        refills.incrementAndGet();
        synchronized (this) {
          notifyAll();
        }
      }
    } finally {
      filling.set(false);
      if (closed) {
        drain();
      } else if (!failed && ready.size() <= lowWater) {
        refill();
      }
    }
  }

  private void drain() {
    PooledKey key;
    while ((key = ready.poll()) != null) {
      key.close();
    }
  }
}
