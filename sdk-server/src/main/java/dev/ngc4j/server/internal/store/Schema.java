package dev.ngc4j.server.internal.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's schema as an ordered list of migration steps, and the code that brings a database up to the
 * latest step on start.
 *
 * <p>The statements are standard SQL, except the binary column type, which is {@code BYTEA} on PostgreSQL and
 * {@code VARBINARY(n)} elsewhere ({@code ${binary(n)}} in the statements below). Each step runs in one transaction
 * together with the {@code schema_version} row that records it. On databases where DDL commits implicitly (H2), a step
 * interrupted half way is completed on the next start: a {@code CREATE TABLE} whose table already exists is skipped.
 *
 * <p>Thread safety: stateless; {@link #migrate} must not run concurrently on the same database.
 */
final class Schema {
  private static final Logger log = LoggerFactory.getLogger(Schema.class);

  /** One migration step: the version it brings the schema to, and its statements in order. */
  record Step(int version, String description, List<String> statements) {}

  /** The steps, in order; append new ones, never edit one that has shipped. */
  static final List<Step> STEPS = List.of(new Step(1, "directory tables", List.of(
      "CREATE TABLE tenants ("
          + " id CHAR(36) NOT NULL,"
          + " domain VARCHAR(255) NOT NULL,"
          + " display_name VARCHAR(1000) NOT NULL,"
          + " created TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " CONSTRAINT pk_tenants PRIMARY KEY (id),"
          + " CONSTRAINT uq_tenants_domain UNIQUE (domain))",
      "CREATE TABLE users ("
          + " object_id CHAR(36) NOT NULL,"
          + " tenant_id CHAR(36) NOT NULL,"
          + " upn VARCHAR(1024) NOT NULL,"
          + " display_name VARCHAR(1000) NOT NULL,"
          + " enabled BOOLEAN NOT NULL,"
          + " password_hash VARCHAR(1000),"
          + " mfa_secret_hash VARCHAR(1000),"
          + " created TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " CONSTRAINT pk_users PRIMARY KEY (object_id),"
          + " CONSTRAINT uq_users_upn UNIQUE (upn),"
          + " CONSTRAINT fk_users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id))",
      "CREATE TABLE devices ("
          + " device_id CHAR(36) NOT NULL,"
          + " tenant_id CHAR(36) NOT NULL,"
          + " registered_by CHAR(36) NOT NULL,"
          + " display_name VARCHAR(1000) NOT NULL,"
          + " device_type VARCHAR(255) NOT NULL,"
          + " os_version VARCHAR(255) NOT NULL,"
          + " join_type INTEGER NOT NULL,"
          + " certificate ${binary(65536)} NOT NULL,"
          + " certificate_thumbprint VARCHAR(128) NOT NULL,"
          + " transport_key ${binary(16384)} NOT NULL,"
          + " enabled BOOLEAN NOT NULL,"
          + " created TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " CONSTRAINT pk_devices PRIMARY KEY (device_id),"
          + " CONSTRAINT uq_devices_thumbprint UNIQUE (certificate_thumbprint),"
          + " CONSTRAINT fk_devices_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id),"
          + " CONSTRAINT fk_devices_registered_by FOREIGN KEY (registered_by) REFERENCES users (object_id))",
      "CREATE TABLE registered_keys ("
          + " kid CHAR(36) NOT NULL,"
          + " user_id CHAR(36) NOT NULL,"
          + " device_id CHAR(36) NOT NULL,"
          + " key_identifier VARCHAR(128) NOT NULL,"
          + " spki_sha256 VARCHAR(128) NOT NULL,"
          + " key_material ${binary(16384)} NOT NULL,"
          + " attestation VARCHAR(1000) NOT NULL,"
          + " created TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " CONSTRAINT pk_registered_keys PRIMARY KEY (kid),"
          + " CONSTRAINT uq_keys_user_device UNIQUE (user_id, device_id),"
          + " CONSTRAINT uq_keys_identifier UNIQUE (key_identifier),"
          + " CONSTRAINT uq_keys_spki UNIQUE (spki_sha256),"
          + " CONSTRAINT fk_keys_user FOREIGN KEY (user_id) REFERENCES users (object_id),"
          + " CONSTRAINT fk_keys_device FOREIGN KEY (device_id) REFERENCES devices (device_id))",
      "CREATE TABLE audit_events ("
          + " seq BIGINT NOT NULL,"
          + " occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " actor VARCHAR(1000) NOT NULL,"
          + " event VARCHAR(200) NOT NULL,"
          + " subject VARCHAR(1000) NOT NULL,"
          + " detail VARCHAR(4000) NOT NULL,"
          + " CONSTRAINT pk_audit_events PRIMARY KEY (seq))",
      // One row holding the last audit sequence number. Writers update it in the transaction that appends the
      // event, which serialises audited writes so that sequence order is commit order.
      "CREATE TABLE audit_sequence ("
          + " id INTEGER NOT NULL,"
          + " last_value BIGINT NOT NULL,"
          + " CONSTRAINT pk_audit_sequence PRIMARY KEY (id))",
      "CREATE TABLE service_secrets ("
          + " name VARCHAR(200) NOT NULL,"
          + " secret_value ${binary(65536)} NOT NULL,"
          + " created TIMESTAMP WITH TIME ZONE NOT NULL,"
          + " CONSTRAINT pk_service_secrets PRIMARY KEY (name))",
      "INSERT INTO audit_sequence (id, last_value) VALUES (1, 0)")));

  /** The schema version this code writes. */
  static final int LATEST = STEPS.get(STEPS.size() - 1).version();

  private static final Pattern BINARY = Pattern.compile("\\$\\{binary\\((\\d+)\\)}");
  private static final Pattern CREATE_TABLE = Pattern.compile("^CREATE TABLE (\\w+) ");

  private Schema() {}

  /**
   * Creates the schema or applies the steps the database has not seen yet, each in its own transaction.
   *
   * @param connection a connection with auto-commit off
   * @param now the time recorded for applied steps
   * @throws StoreException if the database has a newer schema than this code knows, or a step fails
   */
  static void migrate(Connection connection, Instant now) throws StoreException {
    try {
      int current = currentVersion(connection);
      if (current > LATEST) {
        throw new StoreException("the database schema is version " + current + ", newer than this code supports ("
            + LATEST + "); use a newer release", false, null);
      }
      String binary = binaryType(connection.getMetaData());
      for (Step step : STEPS) {
        if (step.version() > current) {
          apply(connection, step, binary, now);
          log.info("directory schema migrated to version {} ({})", step.version(), step.description());
        }
      }
    } catch (SQLException e) {
      rollbackQuietly(connection);
      throw new StoreException("could not create or migrate the directory schema", false, e);
    }
  }

  /** Returns the highest applied version, creating {@code schema_version} if the database has none (0). */
  static int currentVersion(Connection connection) throws SQLException {
    if (!tableExists(connection, "schema_version")) {
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate("CREATE TABLE schema_version ("
            + " version INTEGER NOT NULL,"
            + " description VARCHAR(200) NOT NULL,"
            + " applied TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " CONSTRAINT pk_schema_version PRIMARY KEY (version))");
      }
      connection.commit();
    }
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
      int version = rows.next() ? rows.getInt(1) : 0;
      connection.commit();
      return version;
    }
  }

  private static void apply(Connection connection, Step step, String binary, Instant now) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : step.statements()) {
        Matcher create = CREATE_TABLE.matcher(sql);
        if (create.find() && tableExists(connection, create.group(1))) {
          log.info("table {} exists already (an earlier start stopped half way); not created again", create.group(1));
          continue;
        }
        statement.executeUpdate(BINARY.matcher(sql).replaceAll(binary));
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
      insert.setInt(1, step.version());
      insert.setString(2, step.description());
      insert.setObject(3, OffsetDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
      insert.executeUpdate();
    }
    connection.commit();
  }

  /** The binary column type for this database, as a regex replacement with the length as group 1. */
  private static String binaryType(DatabaseMetaData metaData) throws SQLException {
    String product = metaData.getDatabaseProductName();
    return product != null && product.toLowerCase(Locale.ROOT).contains("postgresql") ? "BYTEA" : "VARBINARY($1)";
  }

  /** Whether a table exists in the connection's current schema, compared case-insensitively. */
  static boolean tableExists(Connection connection, String name) throws SQLException {
    DatabaseMetaData metaData = connection.getMetaData();
    String schema = connection.getSchema();
    try (ResultSet tables = metaData.getTables(connection.getCatalog(), schema, null, new String[] {"TABLE"})) {
      while (tables.next()) {
        if (name.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("rollback after a failed migration failed: {}", e.toString());
    }
  }
}
