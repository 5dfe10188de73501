package dev.ngc4j.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounded connection pool, on an in-memory H2 database. */
class ConnectionPoolTest {
  private Connection keepAlive;
  private JdbcDataSource source;

  @BeforeEach
  void setUp() throws Exception {
    source = new JdbcDataSource();
    source.setURL("jdbc:h2:mem:pool-" + UUID.randomUUID());
    source.setUser("sa");
    source.setPassword("");
    keepAlive = source.getConnection(); // an in-memory database lives while a connection is open
  }

  @AfterEach
  void tearDown() throws Exception {
    keepAlive.close();
  }

  private ConnectionPool pool(int max, boolean keepIdle) {
    return new ConnectionPool(source::getConnection, max, keepIdle, Duration.ofMillis(200));
  }

  @Test
  void lendsAtMostItsSizeAndTellsWhenNoneBecameFree() throws Exception {
    try (ConnectionPool pool = pool(1, true)) {
      ConnectionPool.Lease lease = pool.borrow();
      assertFalse(lease.connection.getAutoCommit());
      StoreException e = assertThrows(StoreException.class, pool::borrow);
      assertFalse(e.conflict());
      assertTrue(String.valueOf(e.getMessage()).contains("no database connection became free"), e.getMessage());
      pool.release(lease);
      ConnectionPool.Lease again = pool.borrow();
      assertSame(lease.connection, again.connection, "an idle connection is reused");
      pool.release(again);
    }
  }

  @Test
  void aBrokenConnectionIsClosedNotReused() throws Exception {
    try (ConnectionPool pool = pool(2, true)) {
      ConnectionPool.Lease lease = pool.borrow();
      lease.broken = true;
      pool.release(lease);
      assertTrue(lease.connection.isClosed());
      ConnectionPool.Lease next = pool.borrow();
      assertNotSame(lease.connection, next.connection);
      pool.release(next);
    }
  }

  @Test
  void withoutKeepIdleEveryConnectionIsClosedOnRelease() throws Exception {
    try (ConnectionPool pool = pool(2, false)) {
      ConnectionPool.Lease lease = pool.borrow();
      pool.release(lease);
      assertTrue(lease.connection.isClosed());
    }
  }

  @Test
  void closingClosesIdleConnectionsAndThoseGivenBackLater() throws Exception {
    ConnectionPool pool = pool(2, true);
    ConnectionPool.Lease idle = pool.borrow();
    ConnectionPool.Lease lent = pool.borrow();
    pool.release(idle);
    pool.close();
    assertTrue(idle.connection.isClosed());
    assertFalse(lent.connection.isClosed());
    pool.release(lent);
    assertTrue(lent.connection.isClosed());
    assertThrows(StoreException.class, pool::borrow);
  }
}
