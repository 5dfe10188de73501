package dev.ngc4j.server.internal.token;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a sealed PRT says: who (tenant, user), on which device, with which registered key (registration id and
 * key identifier), the session key, the authentication methods, and the issue and expiry times (epoch seconds).
 *
 * <p>Thread safety: not safe for concurrent use; {@link #destroy} clears the session key.
 */
public final class Prt {
  private final UUID tenantId;
  private final UUID userId;
  private final UUID deviceId;
  private final UUID keyKid;
  private final String keyIdentifier;
  private final byte[] sessionKey;
  private final long issuedAt;
  private final long expiresAt;
  private final List<String> amr;

  /**
   * Creates the claims; the session key is copied.
   *
   * @param tenantId the tenant
   * @param userId the user's object id
   * @param deviceId the device id
   * @param keyKid the registered key's registration id
   * @param keyIdentifier the registered key's identifier (std-b64 SHA-256 of its RSA1 blob)
   * @param sessionKey the 32-byte session key
   * @param issuedAt issue time, epoch seconds
   * @param expiresAt expiry time, epoch seconds
   * @param amr the authentication methods
   */
  public Prt(
      UUID tenantId, UUID userId, UUID deviceId, UUID keyKid, String keyIdentifier, byte[] sessionKey, long issuedAt,
      long expiresAt, List<String> amr) {
    this.tenantId = Objects.requireNonNull(tenantId);
    this.userId = Objects.requireNonNull(userId);
    this.deviceId = Objects.requireNonNull(deviceId);
    this.keyKid = Objects.requireNonNull(keyKid);
    this.keyIdentifier = Objects.requireNonNull(keyIdentifier);
    if (sessionKey.length != 32) {
      throw new IllegalArgumentException("the session key must be 32 bytes");
    }
    this.sessionKey = sessionKey.clone();
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.amr = List.copyOf(amr);
  }

  /**
   * Returns the same claims with new times (a renewal).
   *
   * @param newIssuedAt the new issue time
   * @param newExpiresAt the new expiry
   * @return new claims sharing nothing mutable with this one
   */
  public Prt renewed(long newIssuedAt, long newExpiresAt) {
    return new Prt(tenantId, userId, deviceId, keyKid, keyIdentifier, sessionKey, newIssuedAt, newExpiresAt, amr);
  }

  /** Returns the tenant id. */
  public UUID tenantId() {
    return tenantId;
  }

  /** Returns the user's object id. */
  public UUID userId() {
    return userId;
  }

  /** Returns the device id. */
  public UUID deviceId() {
    return deviceId;
  }

  /** Returns the registered key's registration id. */
  public UUID keyKid() {
    return keyKid;
  }

  /** Returns the registered key's identifier. */
  public String keyIdentifier() {
    return keyIdentifier;
  }

  /**
   * Returns the session key (shared; do not modify, do not keep).
   *
   * @return the 32-byte session key
   */
  public byte[] sessionKey() {
    return sessionKey;
  }

  /** Returns issue time, epoch seconds. */
  public long issuedAt() {
    return issuedAt;
  }

  /** Returns expiry time, epoch seconds. */
  public long expiresAt() {
    return expiresAt;
  }

  /** Returns the authentication methods. */
  public List<String> amr() {
    return amr;
  }

  /** Clears the session key. */
  public void destroy() {
    Arrays.fill(sessionKey, (byte) 0);
  }

  /** Names the user and device only; never the session key. */
  @Override
  public String toString() {
    return "Prt[user=" + userId + ", device=" + deviceId + ", exp=" + expiresAt + "]";
  }
}
