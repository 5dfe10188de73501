package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.provider.support.ConfigValues;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the PKCS#11 provider finds its module and token, and how strict it is. Configuration keys (given to the
 * builder, through {@link dev.ngc4j.spi.ProviderContext#config()}, or as system properties
 * {@code ngc4j.pkcs11.<key>}):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #KEY_LIBRARY}</td><td>{@value #DEFAULT_LIBRARY}</td><td>the PKCS#11 module (shared
 *       library) to load</td></tr>
 *   <tr><td>{@value #KEY_TOKEN_LABEL}, {@value #KEY_TOKEN_SERIAL}, {@value #KEY_SLOT}</td><td>none</td><td>exactly
 *       one of them selects the token: its label, its serial number, or its slot id (not a list index)</td></tr>
 *   <tr><td>{@value #KEY_MAX_ATTEMPTS}</td><td>5</td><td>wrong PINs in a row that lock the token for this provider
 *       (1-100)</td></tr>
 *   <tr><td>{@value #KEY_LOCKOUT_SECONDS}</td><td>60</td><td>the first lockout's length; it doubles with each further
 *       lockout before a success, up to 24 hours</td></tr>
 *   <tr><td>{@value #KEY_POOL_SIZE}</td><td>2</td><td>pool entries kept on the token (0-32); topped up after each
 *       login</td></tr>
 *   <tr><td>{@value #KEY_CALL_TIMEOUT}</td><td>30</td><td>longest wait, seconds, for a token session or the login
 *       state before the provider gives up with {@code TOKEN_REMOVED}</td></tr>
 *   <tr><td>{@value #KEY_MAX_SESSIONS}</td><td>8</td><td>PKCS#11 sessions kept open per token (1-64)</td></tr>
 * </table>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param library the module path
 * @param tokenLabel the token label selector
 * @param tokenSerial the token serial selector
 * @param slot the slot id selector
 * @param maxAttempts the attempt limit
 * @param lockoutBackoff the first lockout's length
 * @param poolSize the pool entries to keep on the token
 * @param callTimeout the longest wait for a session or the login state
 * @param maxSessions the sessions kept per token
 */
public record Pkcs11Settings(
    String library,
    Optional<String> tokenLabel,
    Optional<String> tokenSerial,
    OptionalLong slot,
    int maxAttempts,
    Duration lockoutBackoff,
    int poolSize,
    Duration callTimeout,
    int maxSessions) {
  /** Config key of the module path. */
  public static final String KEY_LIBRARY = "library";
  /** Config key of the token label. */
  public static final String KEY_TOKEN_LABEL = "tokenLabel";
  /** Config key of the token serial number. */
  public static final String KEY_TOKEN_SERIAL = "tokenSerial";
  /** Config key of the slot id. */
  public static final String KEY_SLOT = "slot";
  /** Config key of the attempt limit. */
  public static final String KEY_MAX_ATTEMPTS = "maxAttempts";
  /** Config key of the first lockout's length in seconds. */
  public static final String KEY_LOCKOUT_SECONDS = "lockoutSeconds";
  /** Config key of the pool size. */
  public static final String KEY_POOL_SIZE = "poolSize";
  /** Config key of the call timeout in seconds. */
  public static final String KEY_CALL_TIMEOUT = "callTimeoutSeconds";
  /** Config key of the session count. */
  public static final String KEY_MAX_SESSIONS = "maxSessions";
  /** The default module: SoftHSM2 as Debian installs it. */
  public static final String DEFAULT_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
  /** The longest a lockout lasts, however often it doubled. */
  public static final Duration LOCKOUT_CAP = Duration.ofHours(24);

  /**
   * Validates the settings (a missing token selector is allowed here; opening refuses it).
   *
   * @param library module path
   * @param tokenLabel label selector
   * @param tokenSerial serial selector
   * @param slot slot selector
   * @param maxAttempts attempt limit
   * @param lockoutBackoff first lockout
   * @param poolSize pool size
   * @param callTimeout call timeout
   * @param maxSessions sessions per token
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public Pkcs11Settings {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(tokenLabel, "tokenLabel");
    Objects.requireNonNull(tokenSerial, "tokenSerial");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(lockoutBackoff, "lockoutBackoff");
    Objects.requireNonNull(callTimeout, "callTimeout");
    if (library.isBlank()) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_LIBRARY + " is empty");
    }
    int selectors = (tokenLabel.isPresent() ? 1 : 0) + (tokenSerial.isPresent() ? 1 : 0) + (slot.isPresent() ? 1 : 0);
    if (selectors > 1) {
      throw new IllegalArgumentException("PKCS#11 settings " + KEY_TOKEN_LABEL + ", " + KEY_TOKEN_SERIAL + " and "
          + KEY_SLOT + " are exclusive: set exactly one");
    }
    if (tokenLabel.filter(String::isEmpty).isPresent() || tokenSerial.filter(String::isEmpty).isPresent()) {
      throw new IllegalArgumentException("PKCS#11 token selector is empty");
    }
    if (tokenLabel.filter(l -> l.length() > 32).isPresent()) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_TOKEN_LABEL + " is longer than 32 characters");
    }
    if (slot.isPresent() && slot.getAsLong() < 0) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_SLOT + " must not be negative");
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_MAX_ATTEMPTS + " must be 1 to 100, got "
          + maxAttempts);
    }
    if (lockoutBackoff.compareTo(Duration.ofSeconds(1)) < 0 || lockoutBackoff.compareTo(LOCKOUT_CAP) > 0) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_LOCKOUT_SECONDS + " must be 1 s to 24 h");
    }
    if (poolSize < 0 || poolSize > 32) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_POOL_SIZE + " must be 0 to 32, got " + poolSize);
    }
    if (callTimeout.compareTo(Duration.ofSeconds(1)) < 0 || callTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_CALL_TIMEOUT + " must be 1 s to 1 hour");
    }
    if (maxSessions < 1 || maxSessions > 64) {
      throw new IllegalArgumentException("PKCS#11 setting " + KEY_MAX_SESSIONS + " must be 1 to 64, got "
          + maxSessions);
    }
  }

  /**
   * Returns the defaults: SoftHSM2's Debian path, no token selected, 5 attempts, 60 s first lockout, 2 pool
   * entries, 30 s call timeout, 8 sessions.
   *
   * @return the defaults
   */
  public static Pkcs11Settings defaults() {
    return new Pkcs11Settings(DEFAULT_LIBRARY, Optional.empty(), Optional.empty(), OptionalLong.empty(), 5,
        Duration.ofSeconds(60), 2, Duration.ofSeconds(30), 8);
  }

  /**
   * Returns these settings with configuration keys applied; unknown keys are ignored. A token selector in
   * {@code config} replaces the selector of these settings.
   *
   * @param config the keys and values
   * @return the combined settings
   * @throws IllegalArgumentException naming the key whose value is invalid
   */
  public Pkcs11Settings with(Map<String, String> config) {
    ConfigValues values = new ConfigValues("PKCS#11 setting", config);
    Optional<String> label = tokenLabel;
    Optional<String> serial = tokenSerial;
    OptionalLong slotId = slot;
    if (values.hasAny(KEY_TOKEN_LABEL, KEY_TOKEN_SERIAL, KEY_SLOT)) {
      label = values.optionalText(KEY_TOKEN_LABEL);
      serial = values.optionalText(KEY_TOKEN_SERIAL);
      slotId = values.hasAny(KEY_SLOT) ? OptionalLong.of(values.wholeNumber(KEY_SLOT, 0)) : OptionalLong.empty();
    }
    return new Pkcs11Settings(
        values.text(KEY_LIBRARY, library),
        label,
        serial,
        slotId,
        (int) values.wholeNumber(KEY_MAX_ATTEMPTS, maxAttempts),
        values.seconds(KEY_LOCKOUT_SECONDS, lockoutBackoff),
        (int) values.wholeNumber(KEY_POOL_SIZE, poolSize),
        values.seconds(KEY_CALL_TIMEOUT, callTimeout),
        (int) values.wholeNumber(KEY_MAX_SESSIONS, maxSessions));
  }

  /**
   * Returns the token selector in words, for messages.
   *
   * @return for example {@code tokenLabel 'alice'}, or {@code no token selector}
   */
  public String selector() {
    if (tokenLabel.isPresent()) {
      return KEY_TOKEN_LABEL + " '" + tokenLabel.get() + "'";
    }
    if (tokenSerial.isPresent()) {
      return KEY_TOKEN_SERIAL + " '" + tokenSerial.get() + "'";
    }
    if (slot.isPresent()) {
      return KEY_SLOT + " " + slot.getAsLong();
    }
    return "no token selector";
  }

  /**
   * Returns whether a token selector is set.
   *
   * @return true if one of label, serial or slot is set
   */
  public boolean hasSelector() {
    return tokenLabel.isPresent() || tokenSerial.isPresent() || slot.isPresent();
  }
}
