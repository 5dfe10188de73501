package dev.ngc4j.server.support;

import dev.ngc4j.server.internal.store.DirectoryStore;
import dev.ngc4j.server.internal.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A tiny in-memory {@link DirectoryStore} for unit tests: every method synchronised, arrays copied in and out,
 * the same conflict rules as the contract.
 */
public final class InMemoryDirectoryStore implements DirectoryStore {
  private final Map<UUID, Tenant> tenants = new TreeMap<>();
  private final Map<UUID, User> users = new TreeMap<>();
  private final Map<UUID, Device> devices = new TreeMap<>();
  private final Map<UUID, RegisteredKey> keys = new TreeMap<>();
  private final List<AuditEvent> audit = new ArrayList<>();
  private final Map<String, byte[]> secrets = new TreeMap<>();
  private long sequence;

  @Override
  public synchronized void createTenant(Tenant tenant) throws StoreException {
    if (tenants.containsKey(tenant.id()) || tenantByDomain(tenant.domain()).isPresent()) {
      throw new StoreException("tenant exists", true, null);
    }
    tenants.put(tenant.id(), tenant);
  }

  @Override
  public synchronized Optional<Tenant> tenant(UUID id) {
    return Optional.ofNullable(tenants.get(id));
  }

  @Override
  public synchronized Optional<Tenant> tenantByDomain(String domain) {
    return tenants.values().stream().filter(t -> t.domain().equalsIgnoreCase(domain)).findFirst();
  }

  @Override
  public synchronized void createUser(User user) throws StoreException {
    if (users.containsKey(user.objectId()) || userByUpn(user.upn()).isPresent()) {
      throw new StoreException("user exists", true, null);
    }
    users.put(user.objectId(), user);
  }

  @Override
  public synchronized Optional<User> user(UUID objectId) {
    return Optional.ofNullable(users.get(objectId));
  }

  @Override
  public synchronized Optional<User> userByUpn(String upn) {
    return users.values().stream().filter(u -> u.upn().equalsIgnoreCase(upn)).findFirst();
  }

  /**
   * Replaces a user record (tests: disable a user; the store contract has no method for it).
   *
   * @param user the new record
   */
  public synchronized void replaceUser(User user) {
    users.put(user.objectId(), user);
  }

  @Override
  public synchronized void createDevice(Device device, String actor) throws StoreException {
    if (devices.containsKey(device.deviceId())) {
      throw new StoreException("device exists", true, null);
    }
    devices.put(device.deviceId(), copy(device, device.enabled()));
    event(actor, "device.joined", device.deviceId().toString(), "");
  }

  @Override
  public synchronized Optional<Device> device(UUID deviceId) {
    Device d = devices.get(deviceId);
    return d == null ? Optional.empty() : Optional.of(copy(d, d.enabled()));
  }

  @Override
  public synchronized Optional<Device> deviceByThumbprint(String sha256Hex) {
    return devices.values().stream().filter(d -> d.certificateThumbprint().equals(sha256Hex)).findFirst()
        .map(d -> copy(d, d.enabled()));
  }

  @Override
  public synchronized boolean setDeviceEnabled(UUID deviceId, boolean enabled, String actor) {
    Device d = devices.get(deviceId);
    if (d == null) {
      return false;
    }
    devices.put(deviceId, copy(d, enabled));
    event(actor, enabled ? "device.enabled" : "device.disabled", deviceId.toString(), "");
    return true;
  }

  @Override
  public synchronized boolean deleteDevice(UUID deviceId, String actor) {
    if (devices.remove(deviceId) == null) {
      return false;
    }
    keys.values().removeIf(k -> k.deviceId().equals(deviceId));
    event(actor, "device.deleted", deviceId.toString(), "");
    return true;
  }

  @Override
  public synchronized RegistrationOutcome registerKey(RegisteredKey key, String actor) throws StoreException {
    for (RegisteredKey k : keys.values()) {
      if (k.keyIdentifier().equals(key.keyIdentifier())
          && (!k.userId().equals(key.userId()) || !k.deviceId().equals(key.deviceId()))) {
        throw new StoreException("key material registered elsewhere", true, null);
      }
    }
    RegisteredKey old = keys.values().stream()
        .filter(k -> k.userId().equals(key.userId()) && k.deviceId().equals(key.deviceId()))
        .findFirst().orElse(null);
    if (old != null) {
      keys.remove(old.kid());
    }
    keys.put(key.kid(), copy(key));
    if (old == null) {
      event(actor, "key.registered", key.kid().toString(), key.keyIdentifier());
      return RegistrationOutcome.CREATED;
    }
    event(actor, "key.replaced", key.kid().toString(), old.keyIdentifier() + " -> " + key.keyIdentifier());
    return RegistrationOutcome.REPLACED;
  }

  @Override
  public synchronized Optional<RegisteredKey> keyByIdentifier(String keyIdentifier) {
    return keys.values().stream().filter(k -> k.keyIdentifier().equals(keyIdentifier)).findFirst()
        .map(InMemoryDirectoryStore::copy);
  }

  @Override
  public synchronized Optional<RegisteredKey> keyBySpki(String spkiSha256) {
    return keys.values().stream().filter(k -> k.spkiSha256().equals(spkiSha256)).findFirst()
        .map(InMemoryDirectoryStore::copy);
  }

  @Override
  public synchronized List<RegisteredKey> keysOfUser(UUID userId) {
    return keys.values().stream().filter(k -> k.userId().equals(userId))
        .sorted(Comparator.comparing(RegisteredKey::created)).map(InMemoryDirectoryStore::copy).toList();
  }

  @Override
  public synchronized boolean deleteKey(UUID kid, String actor) {
    if (keys.remove(kid) == null) {
      return false;
    }
    event(actor, "key.deleted", kid.toString(), "");
    return true;
  }

  @Override
  public synchronized void audit(String actor, String event, String subject, String detail) {
    event(actor, event, subject, detail);
  }

  @Override
  public synchronized List<AuditEvent> auditEvents(long afterSequence, int limit) {
    return audit.stream().filter(e -> e.sequence() > afterSequence).limit(limit).toList();
  }

  @Override
  public synchronized byte[] getOrCreateSecret(String name, byte[] candidate) {
    return secrets.computeIfAbsent(name, n -> candidate.clone()).clone();
  }

  @Override
  public synchronized String contentDigest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      tenants.values().forEach(t -> add(sha, "T", t.id(), t.domain(), t.displayName(), t.created()));
      users.values().forEach(u -> add(sha, "U", u.objectId(), u.tenantId(), u.upn().toLowerCase(Locale.ROOT),
          u.displayName(), u.enabled(), u.passwordHash().orElse(""), u.mfaSecretHash().orElse("")));
      devices.values().forEach(d -> add(sha, "D", d.deviceId(), d.tenantId(), d.registeredBy(), d.displayName(),
          d.deviceType(), d.osVersion(), d.joinType(), b64(d.certificate()), d.certificateThumbprint(),
          b64(d.transportKey()), d.enabled()));
      keys.values().forEach(k -> add(sha, "K", k.kid(), k.userId(), k.deviceId(), k.keyIdentifier(),
          k.spkiSha256(), b64(k.keyMaterial()), k.attestation()));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {}

  private void event(String actor, String event, String subject, String detail) {
    audit.add(new AuditEvent(++sequence, Instant.now(), actor, event, subject, detail));
  }

  private static void add(MessageDigest sha, Object... fields) {
    sha.update(Arrays.toString(fields).getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static Device copy(Device d, boolean enabled) {
    return new Device(d.deviceId(), d.tenantId(), d.registeredBy(), d.displayName(), d.deviceType(), d.osVersion(),
        d.joinType(), d.certificate().clone(), d.certificateThumbprint(), d.transportKey().clone(), enabled,
        d.created());
  }

  private static RegisteredKey copy(RegisteredKey k) {
    return new RegisteredKey(k.kid(), k.userId(), k.deviceId(), k.keyIdentifier(), k.spkiSha256(),
        k.keyMaterial().clone(), k.attestation(), k.created());
  }
}
