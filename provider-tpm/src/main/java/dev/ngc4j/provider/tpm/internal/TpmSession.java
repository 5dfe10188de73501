package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.ProviderSessionBase;
import dev.ngc4j.provider.tpm.internal.attest.TpmAttestor;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProviderContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open TPM provider: one {@link TpmConnection}, the storage root key ({@link TpmKeys}), the data directory, and
 * the facets (container store, key source, attestor: {@link TpmAttestor}, device keys: {@link TpmDeviceKeys}).
 * Every command that carries a secret runs in the connection's salted HMAC session (see {@link TpmKeys}).
 *
 * <p>Opening connects to the TPM (see {@link TpmConnection}), prepares the SRK, creates {@code dataDirectory} and
 * {@code containers/} owner-only, and removes leftovers of interrupted operations. It warns once if the provider's
 * attempt limit is not below the TPM's dictionary-attack limit. Closing flushes the derived SRK and closes the
 * connection; unlocked keys handed out stop working.
 *
 * <p>Thread safety: safe for concurrent use, as are its facets.
 */
public final class TpmSession extends ProviderSessionBase {
  /** The provider id. */
  public static final String PROVIDER_ID = "tpm";
  /** What the TPM provider can do. */
  public static final Capabilities CAPABILITIES = new Capabilities(
      true, Set.of(AttestationFormat.TPM), EnumSet.allOf(GestureKind.class), EnumSet.allOf(SignatureAlgorithm.class));
  static final String CONTAINERS = "containers";
  private static final Logger log = LoggerFactory.getLogger(TpmSession.class);

  private final TpmSettings settings;
  private final Clock clock;
  private final Path dataDirectory;
  private final TpmConnection connection;
  private final TpmKeys keys;
  private final byte[] srkName;
  private final LockoutPolicy lockout;
  private final TpmStore store;
  private final TpmKeySource keySource;
  private final TpmAttestor attestor;
  private final TpmDeviceKeys deviceKeys;

  private TpmSession(TpmSettings settings, Clock clock, Path dataDirectory, TpmConnection connection, TpmKeys keys)
      throws NgcException {
    super(PROVIDER_ID, CAPABILITIES, "TPM provider");
    this.settings = settings;
    this.clock = clock;
    this.dataDirectory = dataDirectory;
    this.connection = connection;
    this.keys = keys;
    this.srkName = keys.srkName();
    this.lockout = new LockoutPolicy(settings.maxAttempts(), settings.lockoutBackoff(), TpmSettings.LOCKOUT_CAP);
    this.store = new TpmStore(this, TpmStore.containerDirectory(dataDirectory.resolve(CONTAINERS)));
    this.keySource = new TpmKeySource(this);
    this.deviceKeys = new TpmDeviceKeys(this, dataDirectory);
    this.attestor = new TpmAttestor(connection, keys::srkHandle, srkName, dataDirectory, this::containerDirectory);
    facets(store, keySource, deviceKeys);
  }

  /**
   * Opens the provider: connects, prepares the SRK and the data directory.
   *
   * @param context the data directory and clock (its configuration is already in {@code settings})
   * @param settings the effective settings
   * @return the session
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the TPM or the data directory cannot be used
   */
  public static TpmSession open(ProviderContext context, TpmSettings settings) throws NgcException {
    Path data = context.dataDirectory().toAbsolutePath().normalize();
    try {
      OwnerOnlyFiles.createDirectories(data);
      OwnerOnlyFiles.createDirectories(data.resolve(CONTAINERS));
    } catch (IOException e) {
      throw new ProviderUnavailableException(
          ErrorCode.PROVIDER_UNAVAILABLE,
          "The TPM provider cannot use its data directory " + data + ": " + e,
          "check that the directory is writable by this user and the disk is not full", e);
    }
    TpmConnection connection = TpmConnection.open(settings);
    boolean ok = false;
    try {
      TpmKeys keys = new TpmKeys(connection);
      TpmSession session = new TpmSession(settings, context.clock(), data, connection, keys);
      session.checkDictionaryAttackLimit();
      session.store.containers().removeLeftovers();
      ok = true;
      log.debug("TPM provider opened on {} with data in {} ({} attempts, first lockout {})",
          settings.device(), data, settings.maxAttempts(), settings.lockoutBackoff());
      return session;
    } finally {
      if (!ok) {
        connection.close();
      }
    }
  }

  private void checkDictionaryAttackLimit() throws NgcException {
    TpmKeys.DaState da = keys.dictionaryAttackState();
    if (da.maxTries() > 0 && settings.maxAttempts() >= da.maxTries()) {
      log.warn("The TPM provider allows {} wrong gestures per container, but the TPM locks all its keys after {} "
          + "failures; set ngc4j.tpm.{} below {} so that a container locks before the whole TPM does",
          settings.maxAttempts(), da.maxTries(), TpmSettings.KEY_MAX_ATTEMPTS, da.maxTries());
    }
  }

  /** Returns the attestor: TPM2_Certify of each key at its creation, and the attestation key's enrolment. */
  @Override
  public Optional<Attestor> attestor() {
    ensureOpen();
    return Optional.of(attestor);
  }

  TpmAttestor tpmAttestor() {
    return attestor;
  }

  TpmDeviceKeys tpmDeviceKeys() {
    return deviceKeys;
  }

  private Path containerDirectory(KeyContainer container) {
    ensureOpen();
    if (!(container instanceof TpmContainer c) || c.store() != store) {
      throw new IllegalArgumentException("the container " + container.id() + " does not belong to this TPM session");
    }
    return store.containers().directory(c.id());
  }

  /**
   * Closes the session-key handles, flushes the salted session and the derived SRK, and closes the TPM connection
   * (once, at the first {@link #close()}).
   */
  @Override
  protected void closeResources() {
    deviceKeys.forget();
    try {
      keys.release();
    } catch (NgcException | RuntimeException e) {
      log.debug("could not flush the SRK while closing: {}", e.toString());
    }
    connection.close();
    log.debug("TPM provider session closed");
  }

  /**
   * Returns the TPM connection (for facets that send their own commands).
   *
   * @return the connection
   */
  public TpmConnection connection() {
    return connection;
  }

  /**
   * Returns the key operations and the SRK.
   *
   * @return the key operations
   */
  public TpmKeys keys() {
    return keys;
  }

  /**
   * Returns the effective settings.
   *
   * @return the settings
   */
  public TpmSettings settings() {
    return settings;
  }

  /**
   * Returns the clock given by the context.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Returns the provider's data directory.
   *
   * @return the absolute directory
   */
  public Path dataDirectory() {
    return dataDirectory;
  }

  byte[] srkName() {
    return srkName.clone();
  }

  LockoutPolicy lockout() {
    return lockout;
  }

  TpmStore store() {
    return store;
  }

  /**
   * The exception for the TPM's dictionary-attack lockout: locked until now + the TPM's time to wait (an upper
   * bound: TPM_PT_LOCKOUT_INTERVAL per failure above the limit), or with no end if the TPM recovers only through
   * its lockout authorisation.
   */
  UserVerificationException tpmLockout(String what) throws NgcException {
    TpmKeys.DaState da = keys.dictionaryAttackState();
    @Nullable Instant until = da.timeToWait().map(d -> clock.instant().plus(d)).orElse(null);
    return UserVerificationException.lockedOut(what + " (the TPM's dictionary-attack protection locked all its keys)",
        until);
  }

  @Override
  public String toString() {
    return "TpmSession[" + settings.device() + (isOpen() ? "]" : ", closed]");
  }
}
