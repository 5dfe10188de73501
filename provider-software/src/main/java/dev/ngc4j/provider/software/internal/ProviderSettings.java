package dev.ngc4j.provider.software.internal;

import dev.ngc4j.provider.support.ConfigValues;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The tuning of the software provider: Argon2id cost for new PIN protectors, the attempt limit and the first
 * lockout's back-off (doubling with each further lockout, capped at {@link #LOCKOUT_CAP}).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param argon2MemoryKiB Argon2id memory in KiB for new PIN protectors
 * @param argon2Iterations Argon2id passes for new PIN protectors
 * @param argon2Parallelism Argon2id lanes for new PIN protectors
 * @param maxAttempts wrong gestures in a row that lock a container, 1 to 100
 * @param lockoutBackoff the first lockout's length, 1 second to 24 hours
 * @since 0.1.0
 */
public record ProviderSettings(
    int argon2MemoryKiB, int argon2Iterations, int argon2Parallelism, int maxAttempts, Duration lockoutBackoff) {
  /** The longest a lockout lasts, however often it doubled. */
  public static final Duration LOCKOUT_CAP = Duration.ofHours(24);
  /** Config key: Argon2id memory in KiB. */
  public static final String KEY_ARGON2_MEMORY = "argon2.memoryKiB";
  /** Config key: Argon2id iterations. */
  public static final String KEY_ARGON2_ITERATIONS = "argon2.iterations";
  /** Config key: Argon2id parallelism. */
  public static final String KEY_ARGON2_PARALLELISM = "argon2.parallelism";
  /** Config key: attempt limit. */
  public static final String KEY_MAX_ATTEMPTS = "maxAttempts";
  /** Config key: first lockout back-off in seconds. */
  public static final String KEY_LOCKOUT_SECONDS = "lockoutSeconds";

  /**
   * Validates the settings.
   *
   * @param argon2MemoryKiB memory
   * @param argon2Iterations passes
   * @param argon2Parallelism lanes
   * @param maxAttempts attempt limit
   * @param lockoutBackoff first back-off
   * @throws IllegalArgumentException if a value is out of range
   */
  public ProviderSettings {
    new Argon2Params(argon2MemoryKiB, argon2Iterations, argon2Parallelism);
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be 1 to 100, got " + maxAttempts);
    }
    Objects.requireNonNull(lockoutBackoff, "lockoutBackoff");
    if (lockoutBackoff.compareTo(Duration.ofSeconds(1)) < 0 || lockoutBackoff.compareTo(LOCKOUT_CAP) > 0) {
      throw new IllegalArgumentException("the lockout back-off must be 1 second to 24 hours, got " + lockoutBackoff);
    }
  }

  /**
   * Returns the defaults: Argon2id m=19456 KiB, t=2, p=1; 5 attempts; 60 seconds.
   *
   * @return the default settings
   * @since 0.1.0
   */
  public static ProviderSettings defaults() {
    return new ProviderSettings(19456, 2, 1, 5, Duration.ofSeconds(60));
  }

  /**
   * Returns these settings with the given configuration keys applied ({@link #KEY_ARGON2_MEMORY},
   * {@link #KEY_ARGON2_ITERATIONS}, {@link #KEY_ARGON2_PARALLELISM}, {@link #KEY_MAX_ATTEMPTS},
   * {@link #KEY_LOCKOUT_SECONDS}); other keys are ignored.
   *
   * @param config the provider's configuration strings
   * @return the combined settings
   * @throws IllegalArgumentException naming the key, if a value is not a number or out of range
   * @since 0.1.0
   */
  public ProviderSettings withConfig(Map<String, String> config) {
    ConfigValues values = new ConfigValues("software provider setting", config);
    return new ProviderSettings(
        values.decimalInt(KEY_ARGON2_MEMORY, argon2MemoryKiB),
        values.decimalInt(KEY_ARGON2_ITERATIONS, argon2Iterations),
        values.decimalInt(KEY_ARGON2_PARALLELISM, argon2Parallelism),
        values.decimalInt(KEY_MAX_ATTEMPTS, maxAttempts),
        Duration.ofSeconds(values.decimalInt(KEY_LOCKOUT_SECONDS, (int) Math.min(Integer.MAX_VALUE,
            lockoutBackoff.toSeconds()))));
  }

  Argon2Params argon2() {
    return new Argon2Params(argon2MemoryKiB, argon2Iterations, argon2Parallelism);
  }
}
