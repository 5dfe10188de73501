package dev.ngc4j.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What ngc4j gives a provider when opening it: its own data directory, a clock, and configuration strings (from
 * the builder, then system properties {@code ngc4j.<providerId>.<key>}).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param dataDirectory a directory reserved for this provider; created by ngc4j, owner-only
 * @param clock the clock for lockout and expiry decisions
 * @param config provider-specific settings
 * @since 0.1.0
 */
public record ProviderContext(Path dataDirectory, Clock clock, Map<String, String> config) {
  /**
   * Validates and copies the fields.
   *
   * @param dataDirectory the directory
   * @param clock the clock
   * @param config the settings
   */
  public ProviderContext {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(clock, "clock");
    config = Map.copyOf(Objects.requireNonNull(config, "config"));
  }

  /**
   * Returns one setting.
   *
   * @param key the key, without the provider prefix
   * @return the value, if set
   * @since 0.1.0
   */
  public Optional<String> setting(String key) {
    return Optional.ofNullable(config.get(key));
  }
}
