package dev.ngc4j.server;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A tenant of the service's directory.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the tenant id
 * @param domain the default domain (UPN suffix), lower case
 * @param displayName the display name
 * @param created when it was created
 * @since 0.1.0
 */
public record TenantInfo(UUID id, String domain, String displayName, Instant created) {
  /**
   * Validates the fields.
   *
   * @param id the id
   * @param domain the domain
   * @param displayName the display name
   * @param created the creation time
   */
  public TenantInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(created, "created");
  }
}
