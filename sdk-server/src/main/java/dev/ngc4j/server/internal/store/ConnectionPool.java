package dev.ngc4j.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small bounded pool of JDBC connections: at most {@code maxConnections} are lent at once (further borrowers wait up
 * to a timeout), and, when {@code keepIdle} is set, returned connections are kept for the next borrower instead of
 * being closed. Every connection is handed out with auto-commit off.
 *
 * <p>Without {@code keepIdle} the pool only bounds concurrency, and each borrow opens a connection from the source
 * (which is then expected to pool by itself, as a {@code DataSource} from an application server does).
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class ConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

  /** Opens a new physical connection. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /** A connection lent by the pool, with the transaction isolation it currently has. */
  static final class Lease {
    final Connection connection;
    int isolation;
    /** Set when the connection failed in a way that may have left it unusable; it is then closed, not reused. */
    boolean broken;

    Lease(Connection connection, int isolation) {
      this.connection = connection;
      this.isolation = isolation;
    }
  }

  private final ConnectionSource source;
  private final Semaphore permits;
  private final boolean keepIdle;
  private final Duration borrowTimeout;
  private final ConcurrentLinkedDeque<Lease> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ConnectionPool(ConnectionSource source, int maxConnections, boolean keepIdle, Duration borrowTimeout) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1");
    }
    this.source = source;
    this.permits = new Semaphore(maxConnections, true);
    this.keepIdle = keepIdle;
    this.borrowTimeout = borrowTimeout;
  }

  /**
   * Borrows a connection; the caller must give it back with {@link #release}.
   *
   * @return the lease
   * @throws StoreException if the pool is closed, no connection became free in time, or opening one failed
   */
  Lease borrow() throws StoreException {
    checkOpen();
    try {
      if (!permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new StoreException("no database connection became free within " + borrowTimeout, false, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection", false, e);
    }
    try {
      checkOpen();
      for (Lease lease; (lease = idle.pollFirst()) != null; ) {
        if (!lease.connection.isClosed()) {
          return lease;
        }
      }
      Connection connection = source.open();
      try {
        connection.setAutoCommit(false);
        return new Lease(connection, connection.getTransactionIsolation());
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      permits.release();
      throw new StoreException("could not open a database connection", false, e);
    } catch (StoreException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /**
   * Gives a borrowed connection back. A broken connection, or any connection once the pool is closed or when idle
   * connections are not kept, is closed.
   *
   * @param lease the lease from {@link #borrow}
   */
  void release(Lease lease) {
    try {
      if (lease.broken || !keepIdle || closed) {
        closeQuietly(lease.connection);
      } else {
        idle.addFirst(lease);
        if (closed) {
          // close() may have drained the idle list before this lease was added
          drainIdle();
        }
      }
    } finally {
      permits.release();
    }
  }

  /** Closes the idle connections; connections still lent are closed when they are given back. */
  @Override
  public void close() {
    closed = true;
    drainIdle();
  }

  boolean isClosed() {
    return closed;
  }

  private void drainIdle() {
    List<Lease> drained = new ArrayList<>();
    for (Lease lease; (lease = idle.pollFirst()) != null; ) {
      drained.add(lease);
    }
    for (Lease lease : drained) {
      closeQuietly(lease.connection);
    }
  }

  private void checkOpen() throws StoreException {
    if (closed) {
      throw new StoreException("the directory store is closed", false, null);
    }
  }

  static void closeQuietly(@Nullable Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing a database connection failed: {}", e.toString());
    }
  }
}
