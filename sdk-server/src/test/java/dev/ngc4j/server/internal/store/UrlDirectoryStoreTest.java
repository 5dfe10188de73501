package dev.ngc4j.server.internal.store;

/** The contract on a database reached by JDBC URL ({@link JdbcDirectoryStore#open(String, String, String)}). */
class UrlDirectoryStoreTest extends DirectoryStoreContractTest {
  @Override
  JdbcDirectoryStore open() throws Exception {
    return JdbcDirectoryStore.open("jdbc:h2:file:" + temp.resolve("url").resolve("db"), "sa", "");
  }
}
