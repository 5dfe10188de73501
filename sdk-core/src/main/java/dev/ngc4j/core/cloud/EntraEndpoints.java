package dev.ngc4j.core.cloud;

import dev.ngc4j.api.Experimental;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the directory's services are: the result of DRS discovery (M0), or the fixed paths the client falls back to
 * when discovery fails.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param deviceJoin the device join endpoint ({@code .../EnrollmentServer/device/})
 * @param keyProvisioning the key registration endpoint ({@code .../EnrollmentServer/key/})
 * @param drsNonce the registration service's nonce endpoint ({@code .../EnrollmentServer/nonce/{tenant}/})
 * @param token the OAuth token endpoint ({@code .../{tenant}/oauth2/token}), used for nonces and PRTs
 * @param tenantId the tenant id discovery reported, if any
 * @param discovered true if discovery answered, false if these are the fixed fall-back paths
 * @since 0.1.0
 */
@Experimental
public record EntraEndpoints(
    URI deviceJoin, URI keyProvisioning, URI drsNonce, URI token, Optional<String> tenantId, boolean discovered) {
  /**
   * Validates the fields.
   *
   * @param deviceJoin the device join endpoint
   * @param keyProvisioning the key registration endpoint
   * @param drsNonce the DRS nonce endpoint
   * @param token the token endpoint
   * @param tenantId the tenant id
   * @param discovered whether discovery answered
   */
  public EntraEndpoints {
    Objects.requireNonNull(deviceJoin, "deviceJoin");
    Objects.requireNonNull(keyProvisioning, "keyProvisioning");
    Objects.requireNonNull(drsNonce, "drsNonce");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tenantId, "tenantId");
  }
}
