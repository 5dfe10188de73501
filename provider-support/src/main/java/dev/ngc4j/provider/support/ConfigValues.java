package dev.ngc4j.provider.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's configuration strings (from its builder, {@link dev.ngc4j.spi.ProviderContext#config()} or the
 * system properties {@code ngc4j.<provider id>.<key>}) read by key: absent keys fall back to the current setting,
 * values are trimmed, and a value that does not parse gives an {@link IllegalArgumentException} naming the setting
 * and the key.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable view of the given map; safe for concurrent use if the map is not changed.
 */
public final class ConfigValues {
  private final String setting;
  private final Map<String, String> config;

  /**
   * Reads {@code config}.
   *
   * @param setting how an error names a setting, before its key: for example {@code "TPM setting"}
   * @param config the keys and values
   */
  public ConfigValues(String setting, Map<String, String> config) {
    this.setting = Objects.requireNonNull(setting, "setting");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Returns the system properties that start with {@code prefix}, keyed by the rest of their name.
   *
   * @param prefix for example {@code ngc4j.tpm.}
   * @return a new mutable map
   */
  public static Map<String, String> systemProperties(String prefix) {
    Map<String, String> found = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        found.put(name.substring(prefix.length()), System.getProperty(name, ""));
      }
    }
    return found;
  }

  /**
   * Returns whether any of the keys is set.
   *
   * @param keys the keys
   * @return true if at least one is present
   */
  public boolean hasAny(String... keys) {
    for (String key : keys) {
      if (config.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns a text value, trimmed.
   *
   * @param key the key
   * @param fallback the value if the key is absent (trimmed too)
   * @return the value
   */
  public String text(String key, String fallback) {
    return config.getOrDefault(key, fallback).trim();
  }

  /**
   * Returns a text value, trimmed, if the key is set.
   *
   * @param key the key
   * @return the value, or empty
   */
  public Optional<String> optionalText(String key) {
    return Optional.ofNullable(config.get(key)).map(String::trim);
  }

  /**
   * Returns one of a few words, compared in lower case.
   *
   * @param key the key
   * @param fallback the word if the key is absent
   * @param allowed the words allowed, in lower case
   * @return the word, in lower case
   * @throws IllegalArgumentException naming the key and the allowed words, for another word
   */
  public String choice(String key, String fallback, List<String> allowed) {
    String word = text(key, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(word)) {
      StringBuilder words = new StringBuilder();
      for (int i = 0; i < allowed.size(); i++) {
        if (i > 0) {
          words.append(i == allowed.size() - 1 ? " or " : ", ");
        }
        words.append('\'').append(allowed.get(i)).append('\'');
      }
      throw new IllegalArgumentException(setting + " " + key + " must be " + words + ", got " + word);
    }
    return word;
  }

  /**
   * Returns a whole number, decimal or hexadecimal with {@code 0x}.
   *
   * @param key the key
   * @param fallback the value if the key is absent
   * @return the value
   * @throws IllegalArgumentException naming the key, if the value is not a whole number
   */
  public long wholeNumber(String key, long fallback) {
    String v = config.get(key);
    return v == null ? fallback : parseWhole(key, v, true);
  }

  /**
   * Returns a decimal {@code int}.
   *
   * @param key the key
   * @param fallback the value if the key is absent
   * @return the value
   * @throws IllegalArgumentException naming the key, if the value is not a decimal {@code int}
   */
  public int decimalInt(String key, int fallback) {
    String v = config.get(key);
    return v == null ? fallback : (int) parseWhole(key, v, false);
  }

  /**
   * Returns a finite decimal number.
   *
   * @param key the key
   * @param fallback the value if the key is absent
   * @return the value
   * @throws IllegalArgumentException naming the key, if the value is not a finite number
   */
  public double number(String key, double fallback) {
    String v = config.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!Double.isFinite(d)) {
        throw new NumberFormatException("not finite");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " " + key + " is not a number: " + v, e);
    }
  }

  /**
   * Returns a duration given in whole seconds (see {@link #wholeNumber}).
   *
   * @param key the key
   * @param fallback the duration if the key is absent (whole seconds of it)
   * @return the duration
   * @throws IllegalArgumentException naming the key, if the value is not a whole number
   */
  public Duration seconds(String key, Duration fallback) {
    return Duration.ofSeconds(wholeNumber(key, fallback.toSeconds()));
  }

  /**
   * Returns a duration given in whole milliseconds (see {@link #wholeNumber}).
   *
   * @param key the key
   * @param fallback the duration if the key is absent (whole milliseconds of it)
   * @return the duration
   * @throws IllegalArgumentException naming the key, if the value is not a whole number
   */
  public Duration millis(String key, Duration fallback) {
    return Duration.ofMillis(wholeNumber(key, fallback.toMillis()));
  }

  /**
   * Returns a duration given in seconds with a fraction, rounded to the millisecond.
   *
   * @param key the key
   * @param fallback the duration if the key is absent (to the millisecond)
   * @return the duration
   * @throws IllegalArgumentException naming the key, if the value is not a finite number
   */
  public Duration fractionalSeconds(String key, Duration fallback) {
    return Duration.ofMillis(Math.round(number(key, fallback.toMillis() / 1000.0) * 1000));
  }

  private long parseWhole(String key, String value, boolean longOrHex) {
    String t = value.trim();
    try {
      if (!longOrHex) {
        return Integer.parseInt(t);
      }
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting + " " + key + " is not a whole number: " + value, e);
    }
  }
}
