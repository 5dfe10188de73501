package dev.ngc4j.server.internal.store;

import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory, write-through cache of the sign-in lookups: users and devices by id, devices by certificate
 * thumbprint, keys by key identifier. Only rows that exist are cached (a miss always goes to the database).
 *
 * <p>How it stays exact: hits are read without locking. A writer changes the cache only after its transaction
 * committed, under {@link #lock}, and bumps {@link #generation}; the store makes writers do this in the order they
 * committed (so two replacements of one key cannot reach the cache the other way round). A reader that missed notes the generation before
 * reading the database and stores what it read only if no writer has touched the cache since ({@link #fill}); if
 * a writer commits between the reader's database read and its fill, the writer's later update, made under the same
 * lock, replaces or removes the entry. So once a write method returned, no reader in this process sees the old row.
 * Rows written by another process sharing the database are not seen until the entry is dropped.
 *
 * <p>Arrays are copied into the cache and out of it, so callers never share the cached ones.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class DirectoryCache {
  private final int maxEntries;
  private final Object lock = new Object();
  private long generation;

  private final ConcurrentHashMap<UUID, User> users = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<UUID, Device> devices = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, UUID> deviceIdByThumbprint = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RegisteredKey> keysByIdentifier = new ConcurrentHashMap<>();

  /**
   * Creates an empty cache.
   *
   * @param maxEntries the size at which a map is emptied (a crude but always correct bound)
   */
  DirectoryCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The generation a reader notes before it reads the database. */
  long generation() {
    synchronized (lock) {
      return generation;
    }
  }

  // ---- hits -------------------------------------------------------------------------------------------------

  @Nullable User user(UUID objectId) {
    return users.get(objectId);
  }

  @Nullable Device device(UUID deviceId) {
    Device device = devices.get(deviceId);
    return device == null ? null : copy(device);
  }

  @Nullable Device deviceByThumbprint(String thumbprint) {
    UUID id = deviceIdByThumbprint.get(thumbprint);
    if (id == null) {
      return null;
    }
    Device device = devices.get(id);
    return device == null || !device.certificateThumbprint().equals(thumbprint) ? null : copy(device);
  }

  @Nullable RegisteredKey keyByIdentifier(String keyIdentifier) {
    RegisteredKey key = keysByIdentifier.get(keyIdentifier);
    return key == null ? null : copy(key);
  }

  // ---- fills after a miss ----------------------------------------------------------------------------------

  /** Caches a user read from the database, unless a writer changed the cache since {@code readGeneration}. */
  void fill(long readGeneration, User user) {
    synchronized (lock) {
      if (generation == readGeneration) {
        putUser(user);
      }
    }
  }

  /** Caches a device read from the database, unless a writer changed the cache since {@code readGeneration}. */
  void fill(long readGeneration, Device device) {
    synchronized (lock) {
      if (generation == readGeneration) {
        putDevice(device);
      }
    }
  }

  /** Caches a key read from the database, unless a writer changed the cache since {@code readGeneration}. */
  void fill(long readGeneration, RegisteredKey key) {
    synchronized (lock) {
      if (generation == readGeneration) {
        putKey(key);
      }
    }
  }

  // ---- writes, after commit ---------------------------------------------------------------------------------

  void userWritten(User user) {
    synchronized (lock) {
      generation++;
      putUser(user);
    }
  }

  void deviceWritten(Device device) {
    synchronized (lock) {
      generation++;
      putDevice(device);
    }
  }

  /** A device and its keys were deleted. */
  void deviceDeleted(UUID deviceId, @Nullable String thumbprint, Collection<String> keyIdentifiers) {
    synchronized (lock) {
      generation++;
      Device old = devices.remove(deviceId);
      if (old != null) {
        deviceIdByThumbprint.remove(old.certificateThumbprint(), deviceId);
      }
      if (thumbprint != null) {
        deviceIdByThumbprint.remove(thumbprint, deviceId);
      }
      keyIdentifiers.forEach(keysByIdentifier::remove);
    }
  }

  /** A key was registered, replacing the key with {@code replacedIdentifier} if not null. */
  void keyWritten(RegisteredKey key, @Nullable String replacedIdentifier) {
    synchronized (lock) {
      generation++;
      if (replacedIdentifier != null) {
        keysByIdentifier.remove(replacedIdentifier);
      }
      putKey(key);
    }
  }

  void keyDeleted(String keyIdentifier) {
    synchronized (lock) {
      generation++;
      keysByIdentifier.remove(keyIdentifier);
    }
  }

  /** Forgets everything; used when the outcome of a write is unknown. */
  void clear() {
    synchronized (lock) {
      generation++;
      users.clear();
      devices.clear();
      deviceIdByThumbprint.clear();
      keysByIdentifier.clear();
    }
  }

  // ---- internals, called with the lock held ----------------------------------------------------------------

  private void putUser(User user) {
    bound(users);
    users.put(user.objectId(), user);
  }

  private void putDevice(Device device) {
    bound(devices);
    bound(deviceIdByThumbprint);
    Device old = devices.put(device.deviceId(), copy(device));
    if (old != null && !old.certificateThumbprint().equals(device.certificateThumbprint())) {
      deviceIdByThumbprint.remove(old.certificateThumbprint(), device.deviceId());
    }
    deviceIdByThumbprint.put(device.certificateThumbprint(), device.deviceId());
  }

  private void putKey(RegisteredKey key) {
    bound(keysByIdentifier);
    keysByIdentifier.put(key.keyIdentifier(), copy(key));
  }

  private void bound(Map<?, ?> map) {
    if (map.size() >= maxEntries) {
      map.clear();
    }
  }

  static Device copy(Device d) {
    return new Device(d.deviceId(), d.tenantId(), d.registeredBy(), d.displayName(), d.deviceType(), d.osVersion(),
        d.joinType(), d.certificate().clone(), d.certificateThumbprint(), d.transportKey().clone(), d.enabled(),
        d.created());
  }

  static RegisteredKey copy(RegisteredKey k) {
    return new RegisteredKey(k.kid(), k.userId(), k.deviceId(), k.keyIdentifier(), k.spkiSha256(),
        k.keyMaterial().clone(), k.attestation(), k.created());
  }
}
