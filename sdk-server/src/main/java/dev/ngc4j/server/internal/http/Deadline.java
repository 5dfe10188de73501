package dev.ngc4j.server.internal.http;

/**
 * The time limit of one exchange (reading the request, handling it, writing the response). When the limit passes
 * while the thread is doing network I/O, the thread is interrupted, which closes the connection's channel and
 * ends a blocked read or write. While the thread is inside the service (which may be doing database I/O that
 * must not be interrupted), the expiry is only recorded; the adapter then drops the connection instead of
 * answering.
 *
 * <p>Interrupts are delivered under this object's lock, so once {@link #finish} returned no interrupt from this
 * deadline can reach the thread any more; {@link #finish} clears one that arrived before.
 *
 * <p>Thread safety: safe for use by the worker thread and the timer thread.
 */
final class Deadline {
  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private enum State {
    IO,
    SERVICE,
    DONE
  }

  private final Thread thread;
  private State state = State.IO;
  private boolean expired;

  private Deadline(Thread thread) {
    this.thread = thread;
  }

  /** Starts a deadline for the current thread's exchange. */
  static Deadline start() {
    Deadline deadline = new Deadline(Thread.currentThread());
    CURRENT.set(deadline);
    return deadline;
  }

  /** The current thread's deadline, or null when none is running (the exchange runs without one). */
  static @org.jspecify.annotations.Nullable Deadline current() {
    return CURRENT.get();
  }

  /** Called by the timer when the limit passes. */
  synchronized void expire() {
    if (state == State.DONE) {
      return;
    }
    expired = true;
    if (state == State.IO) {
      thread.interrupt();
    }
  }

  /**
   * Enters the service (no interrupts from now on).
   *
   * @return false if the deadline already passed
   */
  synchronized boolean enterService() {
    if (expired) {
      return false;
    }
    state = State.SERVICE;
    return true;
  }

  /**
   * Leaves the service.
   *
   * @return false if the deadline passed while inside
   */
  synchronized boolean leaveService() {
    state = State.IO;
    return !expired;
  }

  /** Ends the deadline and clears an interrupt it delivered. */
  void finish() {
    boolean interrupted;
    synchronized (this) {
      state = State.DONE;
      interrupted = expired;
    }
    CURRENT.remove();
    if (interrupted) {
      Thread.interrupted();
    }
  }
}
