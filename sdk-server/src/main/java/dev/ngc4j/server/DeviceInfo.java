package dev.ngc4j.server;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A joined device.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param deviceId the device id (the certificate's CN)
 * @param tenantId the tenant id
 * @param registeredBy the object id of the user who joined it
 * @param displayName the display name the client sent
 * @param deviceType the device type the client sent
 * @param osVersion the OS version the client sent
 * @param joinType the wire join type (0 joined, 4 registered)
 * @param certificateThumbprint SHA-256 of the device certificate, lower-case hex
 * @param enabled whether the device may sign in
 * @param created when it joined
 * @since 0.1.0
 */
public record DeviceInfo(
    UUID deviceId,
    UUID tenantId,
    UUID registeredBy,
    String displayName,
    String deviceType,
    String osVersion,
    int joinType,
    String certificateThumbprint,
    boolean enabled,
    Instant created) {
  /**
   * Validates the fields.
   *
   * @param deviceId the device id
   * @param tenantId the tenant id
   * @param registeredBy the joining user
   * @param displayName the display name
   * @param deviceType the device type
   * @param osVersion the OS version
   * @param joinType the join type
   * @param certificateThumbprint the thumbprint
   * @param enabled whether enabled
   * @param created the creation time
   */
  public DeviceInfo {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(registeredBy, "registeredBy");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(deviceType, "deviceType");
    Objects.requireNonNull(osVersion, "osVersion");
    Objects.requireNonNull(certificateThumbprint, "certificateThumbprint");
    Objects.requireNonNull(created, "created");
  }
}
