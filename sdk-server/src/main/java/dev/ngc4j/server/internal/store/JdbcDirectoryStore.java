package dev.ngc4j.server.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DirectoryStore} on a JDBC database: an embedded H2 file database ({@link #openEmbedded}) or any other
 * database reached through a {@link DataSource} or a JDBC URL ({@link #open(DataSource)}, {@link #open(String,
 * String, String)}). The schema is created, or migrated to the version this code knows, when the store opens.
 *
 * <p>Every method runs as one transaction (read committed, with row locks where a method reads then writes; the
 * digest reads one repeatable-read snapshot). Transactions that fail on a deadlock or a lock timeout are retried a
 * few times. A uniqueness violation surfaces as a {@link StoreException} with {@link StoreException#conflict()}
 * set and a message naming what conflicts; every other database failure as one without. Messages never carry
 * key material, hashes or secrets.
 *
 * <p>Writes that append an audit event serialise on one counter row, so audit sequence numbers follow commit order:
 * a reader that saw sequence {@code n} never later sees a new event below {@code n}.
 *
 * <p>Instants are stored to the microsecond; the records this store returns carry them truncated so, and UPNs,
 * tenant domains and certificate thumbprints in lower case.
 *
 * <p>Sign-in lookups ({@link #user}, {@link #device}, {@link #deviceByThumbprint}, {@link #keyByIdentifier}) are
 * served from an in-memory cache that the write methods of this instance update after their commit, so a lookup
 * never returns a row older than a write that has returned. Changes made to the database by <em>another</em>
 * process are not seen by those lookups until the entry leaves the cache: use one store per database (the embedded
 * database enforces this with a file lock).
 *
 * <p>Durability of the embedded database: each commit is written to the database file before the method returns
 * (so it survives the process being killed), and forced to the disk after the commit (so it survives a power loss).
 *
 * <p>Thread safety: safe for concurrent use. Connections come from a small bounded pool; callers beyond its size
 * wait for a free connection.
 */
public final class JdbcDirectoryStore implements DirectoryStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcDirectoryStore.class);

  /** The file name (without H2's {@code .mv.db} suffix) of the embedded database in its data directory. */
  public static final String EMBEDDED_DATABASE_NAME = "directory";

  /** The most connections the store holds or lends at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 8;

  private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 5;
  private static final int CACHE_ENTRIES = 10_000;
  private static final int H2_DATABASE_ALREADY_OPEN = 90020;
  /** The data directories of the embedded stores open in this process. */
  private static final Set<Path> OPEN_EMBEDDED = ConcurrentHashMap.newKeySet();

  private static final String TENANT_COLUMNS = "id, domain, display_name, created";
  private static final String USER_COLUMNS =
      "object_id, tenant_id, upn, display_name, enabled, password_hash, mfa_secret_hash, created";
  private static final String DEVICE_COLUMNS = "device_id, tenant_id, registered_by, display_name, device_type,"
      + " os_version, join_type, certificate, certificate_thumbprint, transport_key, enabled, created";
  private static final String KEY_COLUMNS =
      "kid, user_id, device_id, key_identifier, spki_sha256, key_material, attestation, created";

  /** What each unique constraint means, for conflict messages. */
  private static final Map<String, String> CONSTRAINT_MESSAGES = Map.of(
      "uq_tenants_domain", "a tenant with that domain exists",
      "uq_users_upn", "a user with that UPN exists",
      "uq_devices_thumbprint", "a device with that certificate thumbprint exists",
      "uq_keys_user_device", "the user already has a key on that device",
      "uq_keys_identifier", "that key material is already registered (same key identifier)",
      "uq_keys_spki", "that key material is already registered (same public key)");

  private final ConnectionPool pool;
  private final boolean syncAfterWrite;
  private final Clock clock;
  private final DirectoryCache cache = new DirectoryCache(CACHE_ENTRIES);
  /**
   * Held by a write from its commit to its cache update, so that writes of this process update the cache in the
   * order they committed (two replacements of one key must not reach the cache the other way round).
   */
  private final ReentrantLock commitLock = new ReentrantLock();
  /** The data directory of an embedded database, registered in {@link #OPEN_EMBEDDED} while open; else null. */
  private final @Nullable Path embeddedDirectory;

  /** One transaction's work. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException, StoreException;
  }

  /** What a write does to the cache once it committed, given the work's result. */
  @FunctionalInterface
  private interface AfterCommit<T> {
    void apply(T result);
  }

  JdbcDirectoryStore(ConnectionPool pool, boolean syncAfterWrite, Clock clock, @Nullable Path embeddedDirectory)
      throws StoreException {
    this.pool = pool;
    this.embeddedDirectory = embeddedDirectory;
    this.syncAfterWrite = syncAfterWrite;
    this.clock = clock;
    ConnectionPool.Lease lease = pool.borrow();
    try {
      Schema.migrate(lease.connection, clock.instant());
    } catch (StoreException | RuntimeException e) {
      lease.broken = true;
      pool.release(lease);
      pool.close();
      throw e;
    }
    pool.release(lease);
  }

  // ---- opening ------------------------------------------------------------------------------------------------

  /**
   * Opens (creating if needed) the embedded H2 database {@code <dataDirectory>/directory.mv.db}. The database file is
   * locked while the store is open: a second store, in this or another process, fails to open it. Each commit is
   * written to the file before the method returns and then forced to the disk.
   *
   * @param dataDirectory the directory of the database file; created if missing
   * @return the open store; close it to release the file
   * @throws StoreException if the database cannot be opened (in use by another process, damaged, or of a newer
   *     schema version than this code knows)
   */
  public static JdbcDirectoryStore openEmbedded(Path dataDirectory) throws StoreException {
    return openEmbedded(dataDirectory, Clock.systemUTC());
  }

  static JdbcDirectoryStore openEmbedded(Path dataDirectory, Clock clock) throws StoreException {
    Path directory;
    try {
      directory = Files.createDirectories(dataDirectory.toAbsolutePath().normalize()).toRealPath();
    } catch (IOException e) {
      throw new StoreException("could not create the data directory " + dataDirectory, false, e);
    }
    String file = directory.resolve(EMBEDDED_DATABASE_NAME).toString().replace('\\', '/');
    if (file.indexOf(';') >= 0) {
      throw new IllegalArgumentException("the data directory's path must not contain ';'");
    }
    // H2 lets every connection of this process share an open database, so its file lock only keeps other processes
    // out; this keeps out a second store of this process, whose writes the first store's cache would not see.
    if (!OPEN_EMBEDDED.add(directory)) {
      throw new StoreException("the directory database in " + directory + " is already open in this process", false,
          null);
    }
    try {
      JdbcDataSource h2 = new JdbcDataSource();
      // WRITE_DELAY=0: every commit is written to the file before it returns (H2 otherwise writes up to 500 ms
      // later, and a killed process loses what it had acknowledged). FILE_LOCK=FILE: one process at a time (H2 uses
      // the native file lock for this storage engine). DB_CLOSE_ON_EXIT=FALSE: the database closes when the store
      // does, not from a shutdown hook while requests may still run. LOCK_TIMEOUT: how long a transaction waits
      // for a row another one locked.
      h2.setURL("jdbc:h2:file:" + file + ";WRITE_DELAY=0;FILE_LOCK=FILE;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
      h2.setUser("sa");
      h2.setPassword("");
      ConnectionPool pool = new ConnectionPool(h2::getConnection, DEFAULT_MAX_CONNECTIONS, true, BORROW_TIMEOUT);
      return new JdbcDirectoryStore(pool, true, clock, directory);
    } catch (StoreException e) {
      OPEN_EMBEDDED.remove(directory);
      if (e.getCause() instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        throw new StoreException("the directory database in " + directory + " is in use by another process", false,
            e);
      }
      throw e;
    } catch (RuntimeException e) {
      OPEN_EMBEDDED.remove(directory);
      throw e;
    }
  }

  /**
   * Opens a store on a database reached through a data source, creating or migrating the schema. The data source
   * should pool connections: the store borrows one per transaction (at most {@value #DEFAULT_MAX_CONNECTIONS} at
   * once) and closes it right after. The database's own settings decide durability.
   *
   * @param dataSource the data source
   * @return the open store
   * @throws StoreException if the database cannot be reached or has a newer schema version than this code knows
   */
  public static JdbcDirectoryStore open(DataSource dataSource) throws StoreException {
    return new JdbcDirectoryStore(
        new ConnectionPool(dataSource::getConnection, DEFAULT_MAX_CONNECTIONS, false, BORROW_TIMEOUT), false,
        Clock.systemUTC(), null);
  }

  /**
   * Opens a store on a database reached through a JDBC URL (its driver must be on the class or module path), with
   * a pool of at most {@value #DEFAULT_MAX_CONNECTIONS} connections kept open until {@link #close}.
   *
   * @param jdbcUrl the JDBC URL
   * @param user the database user
   * @param password the database password
   * @return the open store
   * @throws StoreException if the database cannot be reached or has a newer schema version than this code knows
   */
  public static JdbcDirectoryStore open(String jdbcUrl, String user, String password) throws StoreException {
    return new JdbcDirectoryStore(new ConnectionPool(
        () -> DriverManager.getConnection(jdbcUrl, user, password), DEFAULT_MAX_CONNECTIONS, true,
        BORROW_TIMEOUT), false, Clock.systemUTC(), null);
  }

  // ---- tenants and users ----------------------------------------------------------------------------------------

  @Override
  public void createTenant(Tenant tenant) throws StoreException {
    Tenant t = new Tenant(tenant.id(), lower(tenant.domain()), tenant.displayName(), micros(tenant.created()));
    write("create tenant", "a tenant with that id or domain exists", c -> {
      if (exists(c, "SELECT id FROM tenants WHERE id = ?", t.id().toString())) {
        throw conflict("a tenant with that id exists");
      }
      if (exists(c, "SELECT id FROM tenants WHERE domain = ?", t.domain())) {
        throw conflict("a tenant with that domain exists");
      }
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO tenants (" + TENANT_COLUMNS + ") VALUES (?, ?, ?, ?)")) {
        insert.setString(1, t.id().toString());
        insert.setString(2, t.domain());
        insert.setString(3, t.displayName());
        insert.setObject(4, timestamp(t.created()));
        insert.executeUpdate();
      }
      return Boolean.TRUE;
    }, done -> {});
  }

  @Override
  public Optional<Tenant> tenant(UUID id) throws StoreException {
    return read("read tenant",
        c -> queryOne(c, "SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = ?", JdbcDirectoryStore::tenantRow,
            id.toString()));
  }

  @Override
  public Optional<Tenant> tenantByDomain(String domain) throws StoreException {
    return read("read tenant",
        c -> queryOne(c, "SELECT " + TENANT_COLUMNS + " FROM tenants WHERE domain = ?", JdbcDirectoryStore::tenantRow,
            lower(domain)));
  }

  @Override
  public void createUser(User user) throws StoreException {
    User u = new User(user.objectId(), user.tenantId(), lower(user.upn()), user.displayName(), user.enabled(),
        user.passwordHash(), user.mfaSecretHash(), micros(user.created()));
    write("create user", "a user with that object id or UPN exists", c -> {
      if (!exists(c, "SELECT id FROM tenants WHERE id = ?", u.tenantId().toString())) {
        throw new StoreException("there is no tenant " + u.tenantId(), false, null);
      }
      if (exists(c, "SELECT object_id FROM users WHERE object_id = ?", u.objectId().toString())) {
        throw conflict("a user with that object id exists");
      }
      if (exists(c, "SELECT object_id FROM users WHERE upn = ?", u.upn())) {
        throw conflict("a user with that UPN exists");
      }
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, u.objectId().toString());
        insert.setString(2, u.tenantId().toString());
        insert.setString(3, u.upn());
        insert.setString(4, u.displayName());
        insert.setBoolean(5, u.enabled());
        insert.setString(6, u.passwordHash().orElse(null));
        insert.setString(7, u.mfaSecretHash().orElse(null));
        insert.setObject(8, timestamp(u.created()));
        insert.executeUpdate();
      }
      return Boolean.TRUE;
    }, done -> cache.userWritten(u));
  }

  @Override
  public Optional<User> user(UUID objectId) throws StoreException {
    checkOpen();
    User hit = cache.user(objectId);
    if (hit != null) {
      return Optional.of(hit);
    }
    long generation = cache.generation();
    Optional<User> user = read("read user",
        c -> queryOne(c, "SELECT " + USER_COLUMNS + " FROM users WHERE object_id = ?", JdbcDirectoryStore::userRow,
            objectId.toString()));
    user.ifPresent(u -> cache.fill(generation, u));
    return user;
  }

  @Override
  public Optional<User> userByUpn(String upn) throws StoreException {
    long generation = cache.generation();
    Optional<User> user = read("read user",
        c -> queryOne(c, "SELECT " + USER_COLUMNS + " FROM users WHERE upn = ?", JdbcDirectoryStore::userRow,
            lower(upn)));
    user.ifPresent(u -> cache.fill(generation, u));
    return user;
  }

  // ---- devices --------------------------------------------------------------------------------------------------

  @Override
  public void createDevice(Device device, String actor) throws StoreException {
    Device d = new Device(device.deviceId(), device.tenantId(), device.registeredBy(), device.displayName(),
        device.deviceType(), device.osVersion(), device.joinType(), device.certificate().clone(),
        lower(device.certificateThumbprint()), device.transportKey().clone(), device.enabled(),
        micros(device.created()));
    write("create device", "a device with that id or certificate thumbprint exists", c -> {
      if (exists(c, "SELECT device_id FROM devices WHERE device_id = ?", d.deviceId().toString())) {
        throw conflict("a device with that id exists");
      }
      if (exists(c, "SELECT device_id FROM devices WHERE certificate_thumbprint = ?", d.certificateThumbprint())) {
        throw conflict("a device with that certificate thumbprint exists");
      }
      if (!exists(c, "SELECT id FROM tenants WHERE id = ?", d.tenantId().toString())) {
        throw new StoreException("there is no tenant " + d.tenantId(), false, null);
      }
      if (!exists(c, "SELECT object_id FROM users WHERE object_id = ?", d.registeredBy().toString())) {
        throw new StoreException("there is no user " + d.registeredBy(), false, null);
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO devices (" + DEVICE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, d.deviceId().toString());
        insert.setString(2, d.tenantId().toString());
        insert.setString(3, d.registeredBy().toString());
        insert.setString(4, d.displayName());
        insert.setString(5, d.deviceType());
        insert.setString(6, d.osVersion());
        insert.setInt(7, d.joinType());
        insert.setBytes(8, d.certificate());
        insert.setString(9, d.certificateThumbprint());
        insert.setBytes(10, d.transportKey());
        insert.setBoolean(11, d.enabled());
        insert.setObject(12, timestamp(d.created()));
        insert.executeUpdate();
      }
      appendAudit(c, actor, "device.joined", d.deviceId().toString(),
          "tenant=" + d.tenantId() + " registeredBy=" + d.registeredBy() + " joinType=" + d.joinType()
              + " thumbprint=" + d.certificateThumbprint());
      return Boolean.TRUE;
    }, done -> cache.deviceWritten(d));
  }

  @Override
  public Optional<Device> device(UUID deviceId) throws StoreException {
    checkOpen();
    Device hit = cache.device(deviceId);
    if (hit != null) {
      return Optional.of(hit);
    }
    long generation = cache.generation();
    Optional<Device> device = read("read device",
        c -> queryOne(c, "SELECT " + DEVICE_COLUMNS + " FROM devices WHERE device_id = ?",
            JdbcDirectoryStore::deviceRow, deviceId.toString()));
    device.ifPresent(d -> cache.fill(generation, d));
    return device;
  }

  @Override
  public Optional<Device> deviceByThumbprint(String sha256Hex) throws StoreException {
    checkOpen();
    String thumbprint = lower(sha256Hex);
    Device hit = cache.deviceByThumbprint(thumbprint);
    if (hit != null) {
      return Optional.of(hit);
    }
    long generation = cache.generation();
    Optional<Device> device = read("read device",
        c -> queryOne(c, "SELECT " + DEVICE_COLUMNS + " FROM devices WHERE certificate_thumbprint = ?",
            JdbcDirectoryStore::deviceRow, thumbprint));
    device.ifPresent(d -> cache.fill(generation, d));
    return device;
  }

  @Override
  public boolean setDeviceEnabled(UUID deviceId, boolean enabled, String actor) throws StoreException {
    Optional<Device> updated = write("update device", "the device update conflicts", c -> {
      try (PreparedStatement update = c.prepareStatement("UPDATE devices SET enabled = ? WHERE device_id = ?")) {
        update.setBoolean(1, enabled);
        update.setString(2, deviceId.toString());
        if (update.executeUpdate() == 0) {
          return Optional.<Device>empty();
        }
      }
      Optional<Device> device = queryOne(c, "SELECT " + DEVICE_COLUMNS + " FROM devices WHERE device_id = ?",
          JdbcDirectoryStore::deviceRow, deviceId.toString());
      appendAudit(c, actor, enabled ? "device.enabled" : "device.disabled", deviceId.toString(), "");
      return device;
    }, device -> device.ifPresent(cache::deviceWritten));
    return updated.isPresent();
  }

  /** What a device deletion removed, for the cache. */
  private record DeletedDevice(String thumbprint, List<String> keyIdentifiers) {}

  @Override
  public boolean deleteDevice(UUID deviceId, String actor) throws StoreException {
    Optional<DeletedDevice> deleted = write("delete device", "the device deletion conflicts", c -> {
      Optional<String> thumbprint = queryOne(c,
          "SELECT certificate_thumbprint FROM devices WHERE device_id = ? FOR UPDATE", rows -> rows.getString(1),
          deviceId.toString());
      if (thumbprint.isEmpty()) {
        return Optional.<DeletedDevice>empty();
      }
      List<String> identifiers = queryAll(c, "SELECT key_identifier FROM registered_keys WHERE device_id = ?",
          rows -> rows.getString(1), deviceId.toString());
      try (PreparedStatement keys = c.prepareStatement("DELETE FROM registered_keys WHERE device_id = ?");
          PreparedStatement device = c.prepareStatement("DELETE FROM devices WHERE device_id = ?")) {
        keys.setString(1, deviceId.toString());
        keys.executeUpdate();
        device.setString(1, deviceId.toString());
        device.executeUpdate();
      }
      appendAudit(c, actor, "device.deleted", deviceId.toString(), "keysDeleted=" + identifiers.size());
      return Optional.of(new DeletedDevice(thumbprint.get(), identifiers));
    }, gone -> gone.ifPresent(d -> cache.deviceDeleted(deviceId, d.thumbprint(), d.keyIdentifiers())));
    return deleted.isPresent();
  }

  // ---- keys -----------------------------------------------------------------------------------------------------

  /** What a registration did, for the cache. */
  private record Registration(RegistrationOutcome outcome, @Nullable String replacedIdentifier) {}

  @Override
  public RegistrationOutcome registerKey(RegisteredKey key, String actor) throws StoreException {
    RegisteredKey k = new RegisteredKey(key.kid(), key.userId(), key.deviceId(), key.keyIdentifier(),
        key.spkiSha256(), key.keyMaterial().clone(), key.attestation(), micros(key.created()));
    Registration registration = write("register key", "that key is already registered", c -> {
      // Lock the device row first: registrations, deletions and device deletions of one device run one at a time,
      // and every writer takes device, then key, then audit-counter locks, in that order.
      if (!exists(c, "SELECT device_id FROM devices WHERE device_id = ? FOR UPDATE", k.deviceId().toString())) {
        throw new StoreException("there is no device " + k.deviceId(), false, null);
      }
      if (!exists(c, "SELECT object_id FROM users WHERE object_id = ?", k.userId().toString())) {
        throw new StoreException("there is no user " + k.userId(), false, null);
      }
      Optional<RegisteredKey> old = queryOne(c,
          "SELECT " + KEY_COLUMNS + " FROM registered_keys WHERE user_id = ? AND device_id = ?",
          JdbcDirectoryStore::keyRow, k.userId().toString(), k.deviceId().toString());
      String oldKid = old.map(o -> o.kid().toString()).orElse("");
      List<String> sameMaterial = queryAll(c,
          "SELECT kid FROM registered_keys WHERE key_identifier = ? OR spki_sha256 = ?", rows -> rows.getString(1),
          k.keyIdentifier(), k.spkiSha256());
      for (String kid : sameMaterial) {
        if (!kid.equals(oldKid)) {
          throw conflict("that key material is already registered to another user or device");
        }
      }
      if (!k.kid().toString().equals(oldKid)
          && exists(c, "SELECT kid FROM registered_keys WHERE kid = ?", k.kid().toString())) {
        throw conflict("a key with that kid exists");
      }
      if (old.isPresent()) {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM registered_keys WHERE kid = ?")) {
          delete.setString(1, oldKid);
          delete.executeUpdate();
        }
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO registered_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, k.kid().toString());
        insert.setString(2, k.userId().toString());
        insert.setString(3, k.deviceId().toString());
        insert.setString(4, k.keyIdentifier());
        insert.setString(5, k.spkiSha256());
        insert.setBytes(6, k.keyMaterial());
        insert.setString(7, k.attestation());
        insert.setObject(8, timestamp(k.created()));
        insert.executeUpdate();
      }
      String detail = "user=" + k.userId() + " device=" + k.deviceId();
      if (old.isPresent()) {
        RegisteredKey o = old.get();
        appendAudit(c, actor, "key.replaced", k.kid().toString(), detail + " oldKid=" + o.kid()
            + " oldKeyIdentifier=" + o.keyIdentifier() + " newKeyIdentifier=" + k.keyIdentifier());
        return new Registration(RegistrationOutcome.REPLACED, o.keyIdentifier());
      }
      appendAudit(c, actor, "key.registered", k.kid().toString(),
          detail + " keyIdentifier=" + k.keyIdentifier() + " attestation=" + k.attestation());
      return new Registration(RegistrationOutcome.CREATED, null);
    }, done -> cache.keyWritten(k, done.replacedIdentifier()));
    return registration.outcome();
  }

  @Override
  public Optional<RegisteredKey> keyByIdentifier(String keyIdentifier) throws StoreException {
    checkOpen();
    RegisteredKey hit = cache.keyByIdentifier(keyIdentifier);
    if (hit != null) {
      return Optional.of(hit);
    }
    long generation = cache.generation();
    Optional<RegisteredKey> key = read("read key",
        c -> queryOne(c, "SELECT " + KEY_COLUMNS + " FROM registered_keys WHERE key_identifier = ?",
            JdbcDirectoryStore::keyRow, keyIdentifier));
    key.ifPresent(k -> cache.fill(generation, k));
    return key;
  }

  @Override
  public Optional<RegisteredKey> keyBySpki(String spkiSha256) throws StoreException {
    return read("read key",
        c -> queryOne(c, "SELECT " + KEY_COLUMNS + " FROM registered_keys WHERE spki_sha256 = ?",
            JdbcDirectoryStore::keyRow, spkiSha256));
  }

  @Override
  public List<RegisteredKey> keysOfUser(UUID userId) throws StoreException {
    return read("read keys",
        c -> queryAll(c, "SELECT " + KEY_COLUMNS + " FROM registered_keys WHERE user_id = ? ORDER BY created, kid",
            JdbcDirectoryStore::keyRow, userId.toString()));
  }

  @Override
  public boolean deleteKey(UUID kid, String actor) throws StoreException {
    Optional<String> deleted = write("delete key", "the key deletion conflicts", c -> {
      Optional<RegisteredKey> key = queryOne(c, "SELECT " + KEY_COLUMNS + " FROM registered_keys WHERE kid = ?",
          JdbcDirectoryStore::keyRow, kid.toString());
      if (key.isEmpty()) {
        return Optional.<String>empty();
      }
      RegisteredKey k = key.get();
      // Same lock order as registerKey: the device row first.
      exists(c, "SELECT device_id FROM devices WHERE device_id = ? FOR UPDATE", k.deviceId().toString());
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM registered_keys WHERE kid = ?")) {
        delete.setString(1, kid.toString());
        if (delete.executeUpdate() == 0) {
          return Optional.<String>empty();
        }
      }
      appendAudit(c, actor, "key.deleted", kid.toString(),
          "user=" + k.userId() + " device=" + k.deviceId() + " keyIdentifier=" + k.keyIdentifier());
      return Optional.of(k.keyIdentifier());
    }, identifier -> identifier.ifPresent(cache::keyDeleted));
    return deleted.isPresent();
  }

  // ---- audit ----------------------------------------------------------------------------------------------------

  @Override
  public void audit(String actor, String event, String subject, String detail) throws StoreException {
    write("append audit event", "the audit event conflicts", c -> {
      appendAudit(c, actor, event, subject, detail);
      return Boolean.TRUE;
    }, done -> {});
  }

  @Override
  public List<AuditEvent> auditEvents(long afterSequence, int limit) throws StoreException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    if (limit == 0) {
      checkOpen();
      return List.of();
    }
    return read("read audit events", c -> {
      try (PreparedStatement query = c.prepareStatement(
          "SELECT seq, occurred_at, actor, event, subject, detail FROM audit_events WHERE seq > ? ORDER BY seq")) {
        query.setMaxRows(limit);
        query.setLong(1, afterSequence);
        List<AuditEvent> events = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next() && events.size() < limit) {
            events.add(new AuditEvent(rows.getLong(1), instant(rows, 2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6)));
          }
        }
        return events;
      }
    });
  }

  // ---- service state --------------------------------------------------------------------------------------------

  @Override
  public byte[] getOrCreateSecret(String name, byte[] candidate) throws StoreException {
    byte[] value = candidate.clone();
    for (int attempt = 1; ; attempt++) {
      Optional<byte[]> existing = read("read secret " + name,
          c -> queryOne(c, "SELECT secret_value FROM service_secrets WHERE name = ?", rows -> rows.getBytes(1), name));
      if (existing.isPresent()) {
        return existing.get();
      }
      try {
        return write("store secret " + name, "secret " + name + " was stored concurrently", c -> {
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO service_secrets (name, secret_value, created) VALUES (?, ?, ?)")) {
            insert.setString(1, name);
            insert.setBytes(2, value);
            insert.setObject(3, timestamp(clock.instant()));
            insert.executeUpdate();
          }
          return value.clone();
        }, stored -> {});
      } catch (StoreException e) {
        // Another thread or process stored the name first (the insert hit the primary key): the next attempt reads
        // its value. Secrets are never deleted, so that read finds it.
        if (!e.conflict() || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  @Override
  public String contentDigest() throws StoreException {
    return transaction("compute content digest", "", Connection.TRANSACTION_REPEATABLE_READ, false, c -> {
      MessageDigest digest = sha256();
      List<Tenant> tenants = queryAll(c, "SELECT " + TENANT_COLUMNS + " FROM tenants", JdbcDirectoryStore::tenantRow);
      tenants.sort(Comparator.comparing(t -> t.id().toString()));
      section(digest, "tenants", tenants.size());
      for (Tenant t : tenants) {
        put(digest, t.id().toString(), t.domain(), t.displayName());
        put(digest, t.created());
      }
      List<User> users = queryAll(c, "SELECT " + USER_COLUMNS + " FROM users", JdbcDirectoryStore::userRow);
      users.sort(Comparator.comparing(u -> u.objectId().toString()));
      section(digest, "users", users.size());
      for (User u : users) {
        put(digest, u.objectId().toString(), u.tenantId().toString(), u.upn(), u.displayName());
        put(digest, u.enabled());
        put(digest, u.passwordHash().orElse(null), u.mfaSecretHash().orElse(null));
        put(digest, u.created());
      }
      List<Device> devices = queryAll(c, "SELECT " + DEVICE_COLUMNS + " FROM devices", JdbcDirectoryStore::deviceRow);
      devices.sort(Comparator.comparing(d -> d.deviceId().toString()));
      section(digest, "devices", devices.size());
      for (Device d : devices) {
        put(digest, d.deviceId().toString(), d.tenantId().toString(), d.registeredBy().toString(), d.displayName(),
            d.deviceType(), d.osVersion());
        digest.update(ByteBuffer.allocate(4).putInt(d.joinType()).array());
        put(digest, d.certificate());
        put(digest, d.certificateThumbprint());
        put(digest, d.transportKey());
        put(digest, d.enabled());
        put(digest, d.created());
      }
      List<RegisteredKey> keys =
          queryAll(c, "SELECT " + KEY_COLUMNS + " FROM registered_keys", JdbcDirectoryStore::keyRow);
      keys.sort(Comparator.comparing(k -> k.kid().toString()));
      section(digest, "keys", keys.size());
      for (RegisteredKey k : keys) {
        put(digest, k.kid().toString(), k.userId().toString(), k.deviceId().toString(), k.keyIdentifier(),
            k.spkiSha256());
        put(digest, k.keyMaterial());
        put(digest, k.attestation());
        put(digest, k.created());
      }
      return HexFormat.of().formatHex(digest.digest());
    }, result -> {});
  }

  /** Closes the store and its connections (the embedded database closes with them). Idempotent. */
  @Override
  public void close() {
    if (pool.isClosed()) {
      return;
    }
    pool.close();
    cache.clear();
    if (embeddedDirectory != null) {
      OPEN_EMBEDDED.remove(embeddedDirectory);
    }
  }

  // ---- transactions ---------------------------------------------------------------------------------------------

  private <T> T read(String operation, Work<T> work) throws StoreException {
    return transaction(operation, "", Connection.TRANSACTION_READ_COMMITTED, false, work, result -> {});
  }

  private <T> T write(String operation, String conflictMessage, Work<T> work, AfterCommit<T> afterCommit)
      throws StoreException {
    return transaction(operation, conflictMessage, Connection.TRANSACTION_READ_COMMITTED, true, work, afterCommit);
  }

  /**
   * Runs {@code work} in one transaction and commits it, then applies {@code afterCommit} (writes do so under
   * {@link #commitLock}, together with the commit); rolls back on any failure, and retries a few times when the
   * database gave up on the transaction (deadlock, lock timeout, serialisation failure).
   */
  private <T> T transaction(String operation, String conflictMessage, int isolation, boolean write, Work<T> work,
      AfterCommit<T> afterCommit) throws StoreException {
    for (int attempt = 1; ; attempt++) {
      ConnectionPool.Lease lease = pool.borrow();
      boolean committing = false;
      try {
        Connection c = lease.connection;
        if (lease.isolation != isolation) {
          c.setTransactionIsolation(isolation);
          lease.isolation = isolation;
        }
        T result = work.run(c);
        committing = true;
        if (write) {
          commitLock.lock();
          try {
            c.commit();
            afterCommit.apply(result);
          } finally {
            commitLock.unlock();
          }
          if (syncAfterWrite) {
            forceToDisk(lease);
          }
        } else {
          c.commit();
        }
        return result;
      } catch (SQLException e) {
        rollback(lease);
        if (write && committing) {
          // The commit failed: whether it took effect is unknown, so nothing cached may be trusted.
          cache.clear();
        }
        if (isRetryable(e) && attempt < MAX_ATTEMPTS && !pool.isClosed()) {
          log.debug("{}: transaction attempt {} gave way ({}), retrying", operation, attempt, e.getSQLState());
          continue;
        }
        throw failure(operation, conflictMessage, e);
      } catch (StoreException | RuntimeException e) {
        rollback(lease);
        throw e;
      } finally {
        pool.release(lease);
      }
    }
  }

  /** Forces a committed write to the disk (the commit itself has reached the file already). */
  private static void forceToDisk(ConnectionPool.Lease lease) {
    try (Statement statement = lease.connection.createStatement()) {
      statement.execute("CHECKPOINT SYNC");
      lease.connection.commit();
    } catch (SQLException e) {
      // The change is committed and in the file; only its survival of a power loss is in doubt.
      lease.broken = true;
      log.warn("forcing the directory database to disk failed: {}", e.toString());
    }
  }

  private static void rollback(ConnectionPool.Lease lease) {
    try {
      lease.connection.rollback();
    } catch (SQLException e) {
      lease.broken = true;
      log.debug("rollback failed: {}", e.toString());
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    // 40001 serialisation failure or deadlock (H2 and PostgreSQL), 40P01 deadlock (PostgreSQL), HYT00 lock timeout
    // (H2), 90131 concurrent update of one row (H2).
    return state != null
        && (state.equals("40001") || state.equals("40P01") || state.equals("HYT00") || state.equals("90131"));
  }

  private static StoreException failure(String operation, String conflictMessage, SQLException e) {
    String state = e.getSQLState();
    if ("23505".equals(state)) {
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      for (Map.Entry<String, String> constraint : CONSTRAINT_MESSAGES.entrySet()) {
        if (message.contains(constraint.getKey())) {
          return new StoreException(operation + ": " + constraint.getValue(), true, e);
        }
      }
      return new StoreException(operation + ": " + conflictMessage, true, e);
    }
    if (state != null && state.startsWith("23")) {
      return new StoreException(operation + ": refers to a row that does not exist, or breaks a constraint", false, e);
    }
    return new StoreException(operation + " failed (SQL state " + state + ")", false, e);
  }

  private static StoreException conflict(String message) {
    return new StoreException(message, true, null);
  }

  private void checkOpen() throws StoreException {
    if (pool.isClosed()) {
      throw new StoreException("the directory store is closed", false, null);
    }
  }

  // ---- statements -----------------------------------------------------------------------------------------------

  /** Reads one row into a value. */
  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rows) throws SQLException;
  }

  private static boolean exists(Connection c, String sql, String... parameters) throws SQLException {
    return queryOne(c, sql, rows -> Boolean.TRUE, parameters).isPresent();
  }

  private static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, String... parameters)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
      }
    }
  }

  private static <T> List<T> queryAll(Connection c, String sql, RowMapper<T> mapper, String... parameters)
      throws SQLException {
    try (PreparedStatement query = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setString(i + 1, parameters[i]);
      }
      List<T> all = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          all.add(mapper.map(rows));
        }
      }
      return all;
    }
  }

  /**
   * Appends an audit event in the caller's transaction. Incrementing the counter row locks it until the
   * transaction ends, so the next audited writer waits and takes the next number.
   */
  private long appendAudit(Connection c, String actor, String event, String subject, String detail)
      throws SQLException {
    try (PreparedStatement next =
        c.prepareStatement("UPDATE audit_sequence SET last_value = last_value + 1 WHERE id = 1")) {
      if (next.executeUpdate() != 1) {
        throw new SQLException("the audit sequence row is missing", "XX000");
      }
    }
    long sequence = queryOne(c, "SELECT last_value FROM audit_sequence WHERE id = 1", rows -> rows.getLong(1))
        .orElseThrow(() -> new SQLException("the audit sequence row is missing", "XX000"));
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO audit_events (seq, occurred_at, actor, event, subject, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, sequence);
      insert.setObject(2, timestamp(clock.instant()));
      insert.setString(3, clip(actor, 1000));
      insert.setString(4, clip(event, 200));
      insert.setString(5, clip(subject, 1000));
      insert.setString(6, clip(detail, 4000));
      insert.executeUpdate();
    }
    return sequence;
  }

  // ---- rows -----------------------------------------------------------------------------------------------------

  private static Tenant tenantRow(ResultSet rows) throws SQLException {
    return new Tenant(uuid(rows, 1), rows.getString(2), rows.getString(3), instant(rows, 4));
  }

  private static User userRow(ResultSet rows) throws SQLException {
    return new User(uuid(rows, 1), uuid(rows, 2), rows.getString(3), rows.getString(4), rows.getBoolean(5),
        Optional.ofNullable(rows.getString(6)), Optional.ofNullable(rows.getString(7)), instant(rows, 8));
  }

  private static Device deviceRow(ResultSet rows) throws SQLException {
    return new Device(uuid(rows, 1), uuid(rows, 2), uuid(rows, 3), rows.getString(4), rows.getString(5),
        rows.getString(6), rows.getInt(7), rows.getBytes(8), rows.getString(9), rows.getBytes(10),
        rows.getBoolean(11), instant(rows, 12));
  }

  private static RegisteredKey keyRow(ResultSet rows) throws SQLException {
    return new RegisteredKey(uuid(rows, 1), uuid(rows, 2), uuid(rows, 3), rows.getString(4), rows.getString(5),
        rows.getBytes(6), rows.getString(7), instant(rows, 8));
  }

  private static UUID uuid(ResultSet rows, int column) throws SQLException {
    return UUID.fromString(rows.getString(column).trim());
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    return rows.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC);
  }

  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  private static String lower(String value) {
    return value.toLowerCase(Locale.ROOT);
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max - 1) + "\u2026";
  }

  // ---- digest ---------------------------------------------------------------------------------------------------

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  private static void section(MessageDigest digest, String name, int rows) {
    put(digest, name);
    digest.update(ByteBuffer.allocate(4).putInt(rows).array());
  }

  /** Adds strings, each length-prefixed (-1 for null), so that no two different sequences give the same bytes. */
  private static void put(MessageDigest digest, @Nullable String... values) {
    for (String value : values) {
      if (value == null) {
        digest.update(ByteBuffer.allocate(4).putInt(-1).array());
      } else {
        put(digest, value.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void put(MessageDigest digest, byte[] value) {
    digest.update(ByteBuffer.allocate(4).putInt(value.length).array());
    digest.update(value);
  }

  private static void put(MessageDigest digest, boolean value) {
    digest.update((byte) (value ? 1 : 0));
  }

  private static void put(MessageDigest digest, Instant value) {
    digest.update(ByteBuffer.allocate(12).putLong(value.getEpochSecond()).putInt(value.getNano()).array());
  }
}
