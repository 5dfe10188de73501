package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.provider.pkcs11.TokenKeySelector;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.ProviderSessionBase;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProviderContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open PKCS#11 provider: a reference to the loaded module, a reference to the shared token, the token's attempt
 * counter, and the facets (store, key source, device keys). Closing releases both references; the last user of the token logs it
 * out and closes its sessions, the last user of the module finalises it.
 *
 * <p>Thread safety: safe for concurrent use, as are its facets.
 */
public final class Pkcs11ProviderSession extends ProviderSessionBase implements Pkcs11Session {
  /** The provider id. */
  public static final String PROVIDER_ID = "pkcs11";
  /** What the provider can do in general (the token's own mechanisms narrow the algorithms). */
  public static final Capabilities CAPABILITIES = new Capabilities(false, Set.of(), EnumSet.of(GestureKind.PIN),
      EnumSet.allOf(SignatureAlgorithm.class));
  /** The user named in the PIN request of {@link #fillKeyPool}, which serves no container. */
  static final UserPrincipal POOL_USER = UserPrincipal.of("token-user@pkcs11.invalid");
  /** The container named in the PIN request of {@link #fillKeyPool}. */
  static final ContainerId POOL_CONTAINER = ContainerId.of("pkcs11-key-pool");
  private static final Logger log = LoggerFactory.getLogger(Pkcs11ProviderSession.class);

  private final Pkcs11Settings settings;
  private final Clock clock;
  private final Path dataDirectory;
  private final Pkcs11Modules.Ref module;
  private final SharedToken.Ref tokenRef;
  private final SharedToken token;
  private final TokenAttempts attempts;
  private final Pkcs11Store store;
  private final Pkcs11DeviceKeys deviceKeys;

  private Pkcs11ProviderSession(Pkcs11Settings settings, Clock clock, Path dataDirectory, Pkcs11Modules.Ref module,
      SharedToken.Ref tokenRef) {
    super(PROVIDER_ID, new Capabilities(tokenRef.token().hardwareSlot(), Set.of(), EnumSet.of(GestureKind.PIN),
        tokenRef.token().algorithms()), "PKCS#11 provider");
    this.settings = settings;
    this.clock = clock;
    this.dataDirectory = dataDirectory;
    this.module = module;
    this.tokenRef = tokenRef;
    this.token = tokenRef.token();
    this.attempts = new TokenAttempts(token, dataDirectory,
        new LockoutPolicy(settings.maxAttempts(), settings.lockoutBackoff(), Pkcs11Settings.LOCKOUT_CAP), clock);
    this.store = new Pkcs11Store(this);
    this.deviceKeys = new Pkcs11DeviceKeys(this);
    facets(store, store::generate, deviceKeys);
  }

  /**
   * Opens the provider: loads (or shares) the module, finds the token, prepares the data directory.
   *
   * @param context the data directory and clock (its configuration is already in {@code settings})
   * @param settings the effective settings
   * @return the session
   * @throws NgcException {@code PROVIDER_UNAVAILABLE}, {@code TOKEN_NOT_FOUND}
   */
  public static Pkcs11ProviderSession open(ProviderContext context, Pkcs11Settings settings) throws NgcException {
    if (!settings.hasSelector()) {
      throw new ProviderUnavailableException(ErrorCode.TOKEN_NOT_FOUND,
          "The PKCS#11 provider has no token selector",
          "set exactly one of ngc4j.pkcs11.tokenLabel, ngc4j.pkcs11.tokenSerial or ngc4j.pkcs11.slot", null);
    }
    Path data = context.dataDirectory().toAbsolutePath().normalize();
    try {
      OwnerOnlyFiles.createDirectories(data);
    } catch (IOException e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The PKCS#11 provider cannot use its data directory " + data + ": " + e,
          "check that the directory is writable by this user and the disk is not full", e);
    }
    Pkcs11Modules.Ref module = Pkcs11Modules.acquire(settings.library());
    boolean ok = false;
    try {
      SharedToken.Ref tokenRef = module.token(settings);
      try {
        SharedToken token = tokenRef.token();
        token.onLogin(hold -> token.background(() -> TokenPool.topUp(token, hold)));
        Pkcs11ProviderSession session = new Pkcs11ProviderSession(settings, context.clock(), data, module, tokenRef);
        log.debug("PKCS#11 provider opened on token {} of {}", token.describe(), module.path());
        ok = true;
        return session;
      } finally {
        if (!ok) {
          tokenRef.close();
        }
      }
    } finally {
      if (!ok) {
        module.close();
      }
    }
  }

  @Override
  protected void closeResources() {
    deviceKeys.forget();
    tokenRef.close();
    module.close();
    log.debug("PKCS#11 provider session closed");
  }

  SharedToken token() {
    return token;
  }

  TokenAttempts attempts() {
    return attempts;
  }

  Clock clock() {
    return clock;
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  Pkcs11Settings settings() {
    return settings;
  }

  @Override
  public int fillKeyPool(GestureSource gestures, int count) throws NgcException {
    if (count < 0 || count > 32) {
      throw new IllegalArgumentException("count must be 0 to 32, got " + count);
    }
    ensureOpen();
    try (TokenAttempts.Verified v = attempts.verify("token " + token.describe(),
        remaining -> new GestureRequest(GestureKind.PIN, GesturePurpose.CONFIRM_CURRENT, POOL_USER, POOL_CONTAINER,
            PROVIDER_ID, OptionalInt.of(remaining), Optional.empty(), Optional.empty()),
        pin -> { }, gestures)) {
      return TokenPool.fillTo(token, v.hold, count);
    }
  }

  @Override
  public int keyPoolEntries() throws NgcException {
    ensureOpen();
    return TokenPool.unclaimed(token);
  }

  @Override
  public KeyContainer adoptKey(ContainerSpec spec, TokenKeySelector key, GestureSource gestures)
      throws NgcException {
    ensureOpen();
    return store.adopt(spec, key, gestures);
  }

  @Override
  public String toString() {
    return "Pkcs11ProviderSession[" + token.describe() + (isOpen() ? "]" : ", closed]");
  }
}
