package dev.ngc4j.api;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of a key container: 1 to 64 characters from {@code [A-Za-z0-9._-]}, not starting with a dot. Safe to
 * use as a file name and a token label.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param value the name
 * @since 0.1.0
 */
public record ContainerId(String value) {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

  /**
   * Validates the name.
   *
   * @param value the name
   * @throws IllegalArgumentException if the name is empty, too long or has other characters
   */
  public ContainerId {
    Objects.requireNonNull(value, "value");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "container id must be 1-64 characters of [A-Za-z0-9._-], not starting with '.'");
    }
  }

  /**
   * Parses a container name.
   *
   * @param value the name
   * @return the id
   * @since 0.1.0
   */
  public static ContainerId of(String value) {
    return new ContainerId(value);
  }

  /**
   * Returns a new random id.
   *
   * @return a random id
   * @since 0.1.0
   */
  public static ContainerId random() {
    return new ContainerId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
