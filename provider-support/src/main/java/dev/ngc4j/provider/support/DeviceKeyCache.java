package dev.ngc4j.provider.support;

import dev.ngc4j.api.NgcException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's two keys, each kept in its own file in the data directory ({@link DeviceKeyRole#fileName()}), loaded
 * or created on first use and then kept in memory until {@link #forget}:
 *
 * <ul>
 *   <li>under the file's {@link ContainerLocks} lock, an existing file is read; a missing one is created by the
 *       provider, which writes it with {@link OwnerOnlyFiles#createAtomically} (so two processes racing end up
 *       sharing the winner's key, and a crash leaves either no file or a whole one);
 *   <li>if another process created the file first, it is read;
 *   <li>a key is cached only while the session is open.
 * </ul>
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @param <K> the provider's loaded key
 */
public final class DeviceKeyCache<K> {
  private static final Logger log = LoggerFactory.getLogger(DeviceKeyCache.class);

  /**
   * Reads and creates the key files of one provider.
   *
   * @param <K> the provider's loaded key
   */
  public interface KeyFiles<K> {
    /**
     * Reads and checks an existing key file.
     *
     * @param file the file
     * @param role the role it must hold
     * @return the key
     * @throws NgcException if it cannot be used (never replaced: the device's registration is bound to it)
     */
    K read(Path file, DeviceKeyRole role) throws NgcException;

    /**
     * Makes a new key and creates its file if it still does not exist.
     *
     * @param file the file
     * @param role the role
     * @return the new key, or {@code null} if another process created the file first (the new key was discarded)
     * @throws NgcException if the key or the file cannot be made
     */
    @Nullable K create(Path file, DeviceKeyRole role) throws NgcException;
  }

  private final Path dataDirectory;
  private final Runnable ensureOpen;
  private final KeyFiles<K> files;
  private final Object loadLock = new Object();
  private volatile @Nullable K deviceKey;
  private volatile @Nullable K transportKey;

  /**
   * Creates the cache.
   *
   * @param dataDirectory where the key files are
   * @param ensureOpen throws {@link IllegalStateException} once the session is closed
   * @param files the provider's reading and creation
   */
  public DeviceKeyCache(Path dataDirectory, Runnable ensureOpen, KeyFiles<K> files) {
    this.dataDirectory = dataDirectory;
    this.ensureOpen = ensureOpen;
    this.files = files;
  }

  /**
   * Returns the key, loading or creating it on first use.
   *
   * @param role which key
   * @return the key
   * @throws NgcException if it cannot be loaded or created
   * @throws IllegalStateException if the session closed meanwhile
   */
  public K get(DeviceKeyRole role) throws NgcException {
    K cached = cached(role);
    if (cached != null) {
      return cached;
    }
    synchronized (loadLock) {
      cached = cached(role);
      if (cached != null) {
        return cached;
      }
      K loaded = loadOrCreate(role);
      ensureOpen.run();
      if (role == DeviceKeyRole.DEVICE) {
        deviceKey = loaded;
      } else {
        transportKey = loaded;
      }
      return loaded;
    }
  }

  private @Nullable K cached(DeviceKeyRole role) {
    return role == DeviceKeyRole.DEVICE ? deviceKey : transportKey;
  }

  @SuppressWarnings("try") // the lock is held for the block's duration
  private K loadOrCreate(DeviceKeyRole role) throws NgcException {
    Path file = dataDirectory.resolve(role.fileName());
    try (ContainerLocks.Held held = ContainerLocks.lock(file)) {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        K created = files.create(file, role);
        if (created != null) {
          return created;
        }
        log.debug("another process created {} first; using it", file);
      }
      return files.read(file, role);
    }
  }

  /**
   * Forgets both keys; the session is closing.
   *
   * @param destroy what to do with each key that was loaded (zero its secrets)
   */
  public void forget(Consumer<K> destroy) {
    synchronized (loadLock) {
      K d = deviceKey;
      K t = transportKey;
      deviceKey = null;
      transportKey = null;
      if (d != null) {
        destroy.accept(d);
      }
      if (t != null) {
        destroy.accept(t);
      }
    }
  }

  /**
   * Returns whether any key file exists in the data directory.
   *
   * @return whether a device or transport key file exists
   */
  public boolean anyKeyFileExists() {
    for (DeviceKeyRole role : DeviceKeyRole.values()) {
      if (Files.exists(dataDirectory.resolve(role.fileName()), LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
    }
    return false;
  }
}
