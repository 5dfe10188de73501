package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKeySource;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open software provider: its data directory prepared, its device secret loaded, and the facets (container store,
 * key source) handed out.
 *
 * <p>Opening creates the data directory and {@code containers/} owner-only if missing, loads or creates the device
 * secret, and removes leftovers of interrupted deletions and of creations older than ten minutes.
 *
 * <p>Thread safety: safe for concurrent use, as are its facets.
 *
 * @since 0.1.0
 */
public final class SoftwareSession implements ProviderSession {
  /** The provider id. */
  public static final String PROVIDER_ID = "software";
  /** What the software provider can do. */
  public static final Capabilities CAPABILITIES = new Capabilities(
      false,
      Set.of(),
      EnumSet.allOf(GestureKind.class),
      EnumSet.allOf(SignatureAlgorithm.class));

  static final String DEVICE_SECRET_FILE = "device-secret.ngc";
  static final String CONTAINERS_DIRECTORY = "containers";
  private static final String DEVICE_SECRET_MAGIC = "NGC4JSWD";
  private static final int DEVICE_SECRET_LENGTH = 32;
  private static final Duration LEFTOVER_AGE = Duration.ofMinutes(10);
  private static final Logger log = LoggerFactory.getLogger(SoftwareSession.class);

  private final ProviderSettings settings;
  private final Clock clock;
  private final Lockout lockout;
  private final ContainerKeys keys;
  private final SoftwareStore store;
  private final SoftwareKeySource keySource;
  private final SoftwareDeviceKeys deviceKeys;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SoftwareSession(
      ProviderSettings settings, Clock clock, Path data, Path containers, byte[] deviceSecret,
      KeyDerivation derivation) {
    SecureRandom random = new SecureRandom();
    this.settings = settings;
    this.clock = clock;
    this.lockout = new Lockout(settings.maxAttempts(), settings.lockoutBackoff(), ProviderSettings.LOCKOUT_CAP);
    this.keys = new ContainerKeys(deviceSecret, derivation, random);
    this.store = new SoftwareStore(this, containers);
    this.keySource = new SoftwareKeySource(this, random);
    this.deviceKeys = new SoftwareDeviceKeys(this, data, random);
  }

  /**
   * Opens the provider on the context's data directory.
   *
   * @param context the data directory, clock and configuration (already merged into {@code settings})
   * @param settings the effective settings
   * @return the session
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the data directory or the device secret cannot be used
   * @since 0.1.0
   */
  public static SoftwareSession open(ProviderContext context, ProviderSettings settings) throws NgcException {
    return open(context, settings, StandardKeyDerivation.INSTANCE);
  }

  static SoftwareSession open(ProviderContext context, ProviderSettings settings, KeyDerivation derivation)
      throws NgcException {
    Path data = context.dataDirectory().toAbsolutePath().normalize();
    Path containers;
    byte[] secret;
    try {
      boolean existed = Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS);
      OwnerOnlyFiles.createDirectories(data);
      if (existed && OwnerOnlyFiles.isAccessibleToOthers(data)) {
        log.warn("The ngc4j software provider's data directory {} is accessible to other users; make it owner-only "
            + "(chmod 700)", data);
      }
      OwnerOnlyFiles.createDirectories(data.resolve(CONTAINERS_DIRECTORY));
      containers = data.resolve(CONTAINERS_DIRECTORY).toRealPath();
      secret = loadOrCreateDeviceSecret(data.resolve(DEVICE_SECRET_FILE), containers);
    } catch (IOException e) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "The software provider cannot use its data directory " + data + ": " + e,
          "check that the directory is writable by this user and the disk is not full",
          e);
    }
    try {
      removeLeftovers(containers);
      log.debug("software provider opened on {} (Argon2id m={} KiB t={} p={}, {} attempts, first lockout {})",
          data, settings.argon2MemoryKiB(), settings.argon2Iterations(), settings.argon2Parallelism(),
          settings.maxAttempts(), settings.lockoutBackoff());
      return new SoftwareSession(settings, context.clock(), data, containers, secret, derivation);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  @Override
  public String providerId() {
    return PROVIDER_ID;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public KeyContainerStore containers() {
    ensureOpen();
    return store;
  }

  @Override
  public PooledKeySource keySource() {
    ensureOpen();
    return keySource;
  }

  /**
   * Returns the device key and transport key, kept in the data directory and created on first use; see
   * {@link SoftwareDeviceKeys} for how they are stored and what that protects against.
   *
   * @return the device keys
   */
  @Override
  public Optional<DeviceKeys> deviceKeys() {
    ensureOpen();
    return Optional.of(deviceKeys);
  }

  /**
   * Closes the session; its facets refuse further use. Unlocked keys already handed out keep working until closed.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      deviceKeys.forget();
      log.debug("software provider session closed");
    }
  }

  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this software provider session is closed");
    }
  }

  ProviderSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  Lockout lockout() {
    return lockout;
  }

  ContainerKeys keys() {
    return keys;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Device secret and housekeeping
  // ----------------------------------------------------------------------------------------------------------------

  /**
   * Loads the device secret, or creates it when there is none and no container exists yet. A missing secret next to
   * existing containers fails closed: a new secret would turn every correct PIN into a wrong one.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  private static byte[] loadOrCreateDeviceSecret(Path file, Path containers) throws IOException, NgcException {
    try (ContainerLocks.Held held = ContainerLocks.lock(file)) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return readDeviceSecret(file);
      }
      if (hasAnyContainer(containers)) {
        throw new ProviderUnavailableException(
            ErrorCode.PROVIDER_UNAVAILABLE,
            "The software provider's device secret " + file + " is missing, but containers exist in " + containers
                + "; they cannot be opened without it",
            "restore the whole data directory from the same backup, or delete it and provision again",
            null);
      }
      byte[] secret = new byte[DEVICE_SECRET_LENGTH];
      new SecureRandom().nextBytes(secret);
      byte[] sealed = SealedFile.seal(DEVICE_SECRET_MAGIC, 1, secret);
      Arrays.fill(secret, (byte) 0);
      Path temp = file.resolveSibling(
          OwnerOnlyFiles.TEMP_PREFIX + file.getFileName() + "-" + OwnerOnlyFiles.randomSuffix());
      try {
        OwnerOnlyFiles.writeNew(temp, sealed);
        try {
          // link(2) never replaces an existing file, even one another process created a moment ago.
          Files.createLink(file, temp);
        } catch (UnsupportedOperationException e) {
          Files.move(temp, file);
        }
      } catch (FileAlreadyExistsException e) {
        log.debug("another process created the device secret first; using it");
      } finally {
        Arrays.fill(sealed, (byte) 0);
        Files.deleteIfExists(temp);
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        OwnerOnlyFiles.syncDirectory(dir);
      }
      log.debug("created a new device secret for the software provider in {}", file);
      return readDeviceSecret(file);
    }
  }

  private static byte[] readDeviceSecret(Path file) throws IOException, NgcException {
    byte[] data = OwnerOnlyFiles.read(file, 4096);
    try {
      byte[] body = SealedFile.open(file, data, DEVICE_SECRET_MAGIC, 1).body();
      if (body.length != DEVICE_SECRET_LENGTH) {
        Arrays.fill(body, (byte) 0);
        throw SealedFile.corrupted(file, "it does not hold a 32-byte secret");
      }
      return body;
    } catch (NgcException e) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "The software provider's device secret is damaged: " + e.detail(),
          "restore the whole data directory from the same backup, or delete it and provision again",
          e);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  private static boolean hasAnyContainer(Path containers) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(containers)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (!name.startsWith(".") && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          try {
            ContainerId.of(name);
            return true;
          } catch (IllegalArgumentException e) {
            // not a container
          }
        }
      }
    }
    return false;
  }

  /**
   * Removes what interrupted operations left: renamed-away containers ({@code .del-…}) always, and temporary files
   * and directories ({@code .tmp-…}) once they are older than ten minutes (younger ones may belong to an operation
   * still running). Failures are logged at DEBUG and otherwise ignored.
   */
  private static void removeLeftovers(Path containers) {
    Instant cutoff = Instant.now().minus(LEFTOVER_AGE);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(containers)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(OwnerOnlyFiles.GRAVE_PREFIX)) {
          OwnerOnlyFiles.deleteQuietly(entry);
        } else if (name.startsWith(OwnerOnlyFiles.TEMP_PREFIX)) {
          removeIfOlder(entry, cutoff);
        } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(entry, OwnerOnlyFiles.TEMP_PREFIX + "*")) {
            for (Path file : files) {
              removeIfOlder(file, cutoff);
            }
          }
        }
      }
    } catch (IOException e) {
      log.debug("could not look for leftovers in {}: {}", containers, e.toString());
    }
  }

  private static void removeIfOlder(Path path, Instant cutoff) {
    try {
      if (Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
        log.debug("removing leftover {}", path);
        OwnerOnlyFiles.deleteQuietly(path);
      }
    } catch (NoSuchFileException e) {
      // gone meanwhile
    } catch (IOException e) {
      log.debug("could not check leftover {}: {}", path, e.toString());
    }
  }
}
