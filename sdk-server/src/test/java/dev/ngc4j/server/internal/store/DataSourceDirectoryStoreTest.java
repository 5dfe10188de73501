package dev.ngc4j.server.internal.store;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract on a database reached through a pooling {@link javax.sql.DataSource} ({@link
 * JdbcDirectoryStore#open(javax.sql.DataSource)}), here H2's own pool; the store borrows and returns its connections.
 */
class DataSourceDirectoryStoreTest extends DirectoryStoreContractTest {
  private @Nullable JdbcConnectionPool pool;

  @Override
  JdbcDirectoryStore open() throws Exception {
    JdbcConnectionPool p = pool;
    if (p == null) {
      p = JdbcConnectionPool.create("jdbc:h2:file:" + temp.resolve("ds").resolve("db"), "sa", "");
      pool = p;
    }
    return JdbcDirectoryStore.open(p);
  }

  @AfterEach
  void disposePool() {
    store.close();
    JdbcConnectionPool p = pool;
    if (p != null) {
      p.dispose();
    }
  }
}
