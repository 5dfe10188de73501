package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.ContainerDirectory;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.ProviderSessionBase;
import dev.ngc4j.spi.ProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open software provider: its data directory prepared, its device secret loaded, and the facets (container store,
 * key source, device keys: {@link SoftwareDeviceKeys}, kept in the data directory and created on first use) handed
 * out.
 *
 * <p>Opening creates the data directory and {@code containers/} owner-only if missing, loads or creates the device
 * secret, and removes leftovers of interrupted deletions and of creations older than ten minutes.
 *
 * <p>Thread safety: safe for concurrent use, as are its facets.
 *
 * @since 0.1.0
 */
public final class SoftwareSession extends ProviderSessionBase {
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
  private static final int MAX_DEVICE_SECRET_FILE_LENGTH = 4096;
  private static final Logger log = LoggerFactory.getLogger(SoftwareSession.class);

  private final ProviderSettings settings;
  private final Clock clock;
  private final LockoutPolicy lockout;
  private final ContainerKeys keys;
  private final SoftwareStore store;
  private final SoftwareKeySource keySource;
  private final SoftwareDeviceKeys deviceKeys;

  private SoftwareSession(
      ProviderSettings settings, Clock clock, Path data, ContainerDirectory containers, byte[] deviceSecret,
      KeyDerivation derivation) {
    super(PROVIDER_ID, CAPABILITIES, "software provider");
    SecureRandom random = new SecureRandom();
    this.settings = settings;
    this.clock = clock;
    this.lockout =
        new LockoutPolicy(settings.maxAttempts(), settings.lockoutBackoff(), ProviderSettings.LOCKOUT_CAP);
    this.keys = new ContainerKeys(deviceSecret, derivation, random);
    this.store = new SoftwareStore(this, containers);
    this.keySource = new SoftwareKeySource(this, random);
    this.deviceKeys = new SoftwareDeviceKeys(this, data, random);
    facets(store, keySource, deviceKeys);
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
    ContainerDirectory containers;
    byte[] secret;
    try {
      boolean existed = Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS);
      OwnerOnlyFiles.createDirectories(data);
      if (existed && OwnerOnlyFiles.isAccessibleToOthers(data)) {
        log.warn("The ngc4j software provider's data directory {} is accessible to other users; make it owner-only "
            + "(chmod 700)", data);
      }
      OwnerOnlyFiles.createDirectories(data.resolve(CONTAINERS_DIRECTORY));
      containers = SoftwareStore.containerDirectory(data.resolve(CONTAINERS_DIRECTORY).toRealPath());
      secret = loadOrCreateDeviceSecret(data.resolve(DEVICE_SECRET_FILE), containers);
    } catch (IOException e) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "The software provider cannot use its data directory " + data + ": " + e,
          "check that the directory is writable by this user and the disk is not full",
          e);
    }
    try {
      containers.removeLeftovers();
      log.debug("software provider opened on {} (Argon2id m={} KiB t={} p={}, {} attempts, first lockout {})",
          data, settings.argon2MemoryKiB(), settings.argon2Iterations(), settings.argon2Parallelism(),
          settings.maxAttempts(), settings.lockoutBackoff());
      return new SoftwareSession(settings, context.clock(), data, containers, secret, derivation);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * Forgets the device keys; the facets refuse further use. Unlocked keys already handed out keep working until
   * closed.
   */
  @Override
  protected void closeResources() {
    deviceKeys.forget();
    log.debug("software provider session closed");
  }

  ProviderSettings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  LockoutPolicy lockout() {
    return lockout;
  }

  ContainerKeys keys() {
    return keys;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Device secret
  // ----------------------------------------------------------------------------------------------------------------

  /**
   * Loads the device secret, or creates it when there is none and no container exists yet. A missing secret next to
   * existing containers fails closed: a new secret would turn every correct PIN into a wrong one.
   */
  @SuppressWarnings("try") // the lock is held for the block's duration
  private static byte[] loadOrCreateDeviceSecret(Path file, ContainerDirectory containers)
      throws IOException, NgcException {
    try (ContainerLocks.Held held = ContainerLocks.lock(file)) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return readDeviceSecret(file);
      }
      if (containers.hasAny()) {
        throw new ProviderUnavailableException(
            ErrorCode.PROVIDER_UNAVAILABLE,
            "The software provider's device secret " + file + " is missing, but containers exist in "
                + containers.root() + "; they cannot be opened without it",
            "restore the whole data directory from the same backup, or delete it and provision again",
            null);
      }
      byte[] secret = new byte[DEVICE_SECRET_LENGTH];
      new SecureRandom().nextBytes(secret);
      byte[] sealed = FramedFile.seal(DEVICE_SECRET_MAGIC, 1, secret);
      Arrays.fill(secret, (byte) 0);
      try {
        if (OwnerOnlyFiles.createAtomically(file, sealed)) {
          log.debug("created a new device secret for the software provider in {}", file);
        } else {
          log.debug("another process created the device secret first; using it");
        }
      } finally {
        Arrays.fill(sealed, (byte) 0);
      }
      return readDeviceSecret(file);
    }
  }

  private static byte[] readDeviceSecret(Path file) throws IOException, NgcException {
    byte[] data = OwnerOnlyFiles.read(file, MAX_DEVICE_SECRET_FILE_LENGTH);
    try {
      byte[] body = FramedFile.open(file, data, DEVICE_SECRET_MAGIC, 1).body();
      if (body.length != DEVICE_SECRET_LENGTH) {
        Arrays.fill(body, (byte) 0);
        throw FramedFile.corrupted(file, "it does not hold a 32-byte secret");
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
}
