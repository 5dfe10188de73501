package dev.ngc4j.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema creation and migration on start, on the embedded database, checked with plain JDBC between opens. */
class SchemaMigrationTest {
  @TempDir Path temp;

  private Connection connect(Path data) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:h2:file:" + data.resolve(JdbcDirectoryStore.EMBEDDED_DATABASE_NAME), "sa", "");
  }

  private List<Integer> versions(Path data) throws SQLException {
    try (Connection c = connect(data);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
      return versions;
    }
  }

  @Test
  void aNewDatabaseGetsEveryStepOnceAndTheDatabaseFileIsWhereDocumented() throws Exception {
    Path data = temp.resolve("data");
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      assertTrue(store.contentDigest().length() == 64);
    }
    assertTrue(Files.exists(data.resolve(JdbcDirectoryStore.EMBEDDED_DATABASE_NAME + ".mv.db")));
    List<Integer> expected = Schema.STEPS.stream().map(Schema.Step::version).toList();
    assertEquals(expected, versions(data));
    assertEquals(Schema.LATEST, expected.get(expected.size() - 1));
  }

  @Test
  void startingAgainIsANoOp() throws Exception {
    Path data = temp.resolve("data");
    String digest;
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      store.createTenant(StoreFixtures.tenant("contoso.com"));
      digest = store.contentDigest();
    }
    List<Integer> once = versions(data);
    for (int i = 0; i < 2; i++) {
      try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
        assertEquals(digest, store.contentDigest());
      }
    }
    assertEquals(once, versions(data));
  }

  @Test
  void aDatabaseOfANewerSchemaIsRefusedAndLeftAlone() throws Exception {
    Path data = temp.resolve("data");
    JdbcDirectoryStore.openEmbedded(data).close();
    int newer = Schema.LATEST + 1;
    try (Connection c = connect(data); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO schema_version (version, description, applied)"
          + " VALUES (" + newer + ", 'from the future', CURRENT_TIMESTAMP)");
    }
    StoreException e = assertThrows(StoreException.class, () -> JdbcDirectoryStore.openEmbedded(data));
    assertFalse(e.conflict());
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("version " + newer) && message.contains("newer"), message);
    assertEquals(newer, versions(data).get(versions(data).size() - 1));
    // and the file was released: it opens again with plain JDBC
    try (Connection c = connect(data)) {
      assertTrue(c.isValid(1));
    }
  }

  @Test
  void aFirstStepThatStoppedHalfWayIsCompleted() throws Exception {
    // H2 commits DDL at once: a process killed during the first start leaves some tables and no version row.
    Path data = temp.resolve("data");
    try (Connection c = connect(data); Statement s = c.createStatement()) {
      s.executeUpdate(Schema.STEPS.get(0).statements().get(0)); // the tenants table only
    }
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      store.createTenant(StoreFixtures.tenant("contoso.com"));
      assertTrue(store.tenantByDomain("contoso.com").isPresent());
      store.audit("a", "b", "c", "d");
      assertEquals(1, store.auditEvents(0, 10).get(0).sequence());
    }
    assertEquals(Schema.STEPS.stream().map(Schema.Step::version).toList(), versions(data));
  }

  @Test
  void aSecondStoreOnTheSameDirectoryOfThisProcessIsRefusedUntilTheFirstCloses() throws Exception {
    Path data = temp.resolve("data");
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(data)) {
      store.createTenant(StoreFixtures.tenant("contoso.com"));
      // another spelling of the same directory
      StoreException e = assertThrows(StoreException.class,
          () -> JdbcDirectoryStore.openEmbedded(data.resolve("x").resolve("..")));
      assertFalse(e.conflict());
      assertTrue(String.valueOf(e.getMessage()).contains("already open"), e.getMessage());
      assertTrue(store.tenantByDomain("contoso.com").isPresent(), "the first store is unaffected");
    }
    try (JdbcDirectoryStore again = JdbcDirectoryStore.openEmbedded(data)) {
      assertTrue(again.tenantByDomain("contoso.com").isPresent());
    }
  }
}
