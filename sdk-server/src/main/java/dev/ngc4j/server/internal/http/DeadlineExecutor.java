package dev.ngc4j.server.internal.http;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server's executor: a fixed number of worker threads with a bounded queue (when both are full the task
 * is rejected, and the JDK server closes that connection), each exchange run under a {@link Deadline} that
 * covers reading the request line and headers as well as the body and the response.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class DeadlineExecutor implements Executor {
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final long timeoutNanos;
  private final Object idle = new Object();
  private int active;

  /**
   * Creates the executor.
   *
   * @param threads the number of worker threads
   * @param queue the number of exchanges that may wait for a worker
   * @param timeout the limit per exchange
   */
  public DeadlineExecutor(int threads, int queue, Duration timeout) {
    this.workers = new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), factory("ngc4j-http-"),
        new ThreadPoolExecutor.AbortPolicy());
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, factory("ngc4j-http-timer-"));
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    this.timeoutNanos = timeout.toNanos();
  }

  private static ThreadFactory factory(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void execute(Runnable exchange) {
    workers.execute(() -> {
      synchronized (idle) {
        active++;
      }
      Deadline deadline = Deadline.start();
      ScheduledFuture<?> alarm = timer.schedule(deadline::expire, timeoutNanos, TimeUnit.NANOSECONDS);
      try {
        exchange.run();
      } finally {
        alarm.cancel(false);
        deadline.finish();
        synchronized (idle) {
          active--;
          idle.notifyAll();
        }
      }
    });
  }

  /**
   * Waits until no exchange is running, or the time is up.
   *
   * @param wait the longest wait
   * @return true if no exchange is running
   */
  public boolean awaitIdle(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (idle) {
      while (active > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Stops accepting work and waits for running exchanges.
   *
   * @param wait how long to wait before interrupting them
   */
  public void shutdown(Duration wait) {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      timer.shutdownNow();
    }
  }
}
