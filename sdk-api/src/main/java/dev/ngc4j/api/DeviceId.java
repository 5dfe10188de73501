package dev.ngc4j.api;

import java.util.Objects;
import java.util.UUID;

/**
 * The directory's identifier of a device.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param value the device object id
 * @since 0.1.0
 */
public record DeviceId(UUID value) {
  /**
   * Validates the id.
   *
   * @param value the id
   */
  public DeviceId {
    Objects.requireNonNull(value, "value");
  }

  /**
   * Parses a device id.
   *
   * @param text the UUID text
   * @return the id
   * @throws IllegalArgumentException if the text is not a UUID
   * @since 0.1.0
   */
  public static DeviceId parse(String text) {
    return new DeviceId(UUID.fromString(text));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
