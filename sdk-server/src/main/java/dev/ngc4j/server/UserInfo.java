package dev.ngc4j.server;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A user of the service's directory (never with password or MFA material).
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param objectId the object id
 * @param tenantId the tenant id
 * @param upn the user principal name, lower case
 * @param displayName the display name
 * @param enabled whether the user may sign in
 * @param created when it was created
 * @since 0.1.0
 */
public record UserInfo(UUID objectId, UUID tenantId, String upn, String displayName, boolean enabled, Instant created) {
  /**
   * Validates the fields.
   *
   * @param objectId the object id
   * @param tenantId the tenant id
   * @param upn the UPN
   * @param displayName the display name
   * @param enabled whether enabled
   * @param created the creation time
   */
  public UserInfo {
    Objects.requireNonNull(objectId, "objectId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(upn, "upn");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(created, "created");
  }
}
