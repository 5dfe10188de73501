package dev.ngc4j.server.internal.store;

/** The contract on the embedded H2 database ({@link JdbcDirectoryStore#openEmbedded}). */
class EmbeddedDirectoryStoreTest extends DirectoryStoreContractTest {
  @Override
  JdbcDirectoryStore open() throws Exception {
    return JdbcDirectoryStore.openEmbedded(temp.resolve("data"));
  }
}
