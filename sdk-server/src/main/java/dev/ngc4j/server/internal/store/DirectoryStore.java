package dev.ngc4j.server.internal.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The directory's persistent state. Every method is one transaction: it commits fully or not at all, and a
 * committed change survives the process being killed. Reads of devices and keys are on the sign-in hot path and
 * must be fast (implementations may cache, write-through, in memory).
 *
 * <p>Thread safety: implementations are safe for concurrent use.
 */
public interface DirectoryStore extends AutoCloseable {

  /** A tenant. {@code domain} is its default DNS domain (UPN suffix), lower case. */
  record Tenant(UUID id, String domain, String displayName, Instant created) {}

  /**
   * A user. {@code upn} is stored lower case and unique across the directory. {@code passwordHash} and {@code
   * mfaSecretHash} are for the service's test identity source only (opaque strings the caller produces, never a
   * clear secret); empty for users that cannot sign in with a password.
   */
  record User(
      UUID objectId,
      UUID tenantId,
      String upn,
      String displayName,
      boolean enabled,
      Optional<String> passwordHash,
      Optional<String> mfaSecretHash,
      Instant created) {}

  /**
   * A joined device. {@code certificate} is the DER device certificate this service issued; {@code
   * certificateThumbprint} its SHA-256 (hex, lower case) and the lookup key on sign-in; {@code transportKey} the
   * RSA1 public blob sent at join; {@code joinType} the wire value (0, 4, 6).
   */
  @SuppressWarnings("ArrayRecordComponent") // internal value; callers do not mutate the arrays
  record Device(
      UUID deviceId,
      UUID tenantId,
      UUID registeredBy,
      String displayName,
      String deviceType,
      String osVersion,
      int joinType,
      byte[] certificate,
      String certificateThumbprint,
      byte[] transportKey,
      boolean enabled,
      Instant created) {}

  /**
   * A user's registered credential key (one per user per device). {@code kid} is the registration id (a GUID)
   * returned to the client; {@code keyIdentifier} is standard base64 (padded) of SHA-256 of the RSA1 blob, the
   * {@code kid} of sign-in assertions; {@code spkiSha256} is base64url (no padding) of SHA-256 of the DER
   * SubjectPublicKeyInfo (ngc4j's {@code KeyId}); {@code keyMaterial} is the RSA1 blob; {@code attestation} the
   * verification outcome ("none", "verified:&lt;format&gt;", ...).
   */
  @SuppressWarnings("ArrayRecordComponent") // internal value; callers do not mutate the arrays
  record RegisteredKey(
      UUID kid,
      UUID userId,
      UUID deviceId,
      String keyIdentifier,
      String spkiSha256,
      byte[] keyMaterial,
      String attestation,
      Instant created) {}

  /** One audit record. {@code sequence} is assigned by the store, strictly increasing. */
  record AuditEvent(long sequence, Instant at, String actor, String event, String subject, String detail) {}

  /** What {@link #registerKey} did. */
  enum RegistrationOutcome {
    /** No key existed for that user on that device. */
    CREATED,
    /** A key existed for that user on that device and was replaced (the old one is gone). */
    REPLACED
  }

  // ---- tenants and users ----------------------------------------------------------------------------------

  /** Inserts a tenant; fails with {@link StoreException} (conflict) if the id or domain exists. */
  void createTenant(Tenant tenant) throws StoreException;

  Optional<Tenant> tenant(UUID id) throws StoreException;

  /** Finds a tenant by domain, case-insensitively. */
  Optional<Tenant> tenantByDomain(String domain) throws StoreException;

  /** Inserts a user; fails with {@link StoreException} (conflict) if the object id or UPN exists. */
  void createUser(User user) throws StoreException;

  Optional<User> user(UUID objectId) throws StoreException;

  /** Finds a user by UPN, case-insensitively. */
  Optional<User> userByUpn(String upn) throws StoreException;

  // ---- devices ------------------------------------------------------------------------------------------

  /** Inserts a device and an audit event {@code device.joined}, atomically. Conflict if the id exists. */
  void createDevice(Device device, String actor) throws StoreException;

  Optional<Device> device(UUID deviceId) throws StoreException;

  /** Finds a device by its certificate's SHA-256 thumbprint (hex, lower case). */
  Optional<Device> deviceByThumbprint(String sha256Hex) throws StoreException;

  /** Enables or disables a device, with an audit event; returns false if there is no such device. */
  boolean setDeviceEnabled(UUID deviceId, boolean enabled, String actor) throws StoreException;

  /** Deletes a device and its registered keys, with an audit event; returns false if there is none. */
  boolean deleteDevice(UUID deviceId, String actor) throws StoreException;

  // ---- keys -----------------------------------------------------------------------------------------------

  /**
   * Registers a key for {@code key.userId()} on {@code key.deviceId()}. If that user already has a key on that
   * device, the old key is deleted and the new one inserted in the same transaction ({@link
   * RegistrationOutcome#REPLACED}); an audit event {@code key.registered} or {@code key.replaced} (naming the
   * old and new key identifiers) is written in the same transaction. Conflict if the same key material is
   * registered to another user or device.
   */
  RegistrationOutcome registerKey(RegisteredKey key, String actor) throws StoreException;

  /** Finds a key by its assertion key identifier (standard base64 of SHA-256 of the RSA1 blob). */
  Optional<RegisteredKey> keyByIdentifier(String keyIdentifier) throws StoreException;

  /** Finds a key by base64url SHA-256 of its SubjectPublicKeyInfo. */
  Optional<RegisteredKey> keyBySpki(String spkiSha256) throws StoreException;

  /** The keys registered for a user, oldest first. */
  List<RegisteredKey> keysOfUser(UUID userId) throws StoreException;

  /** Deletes a key with an audit event {@code key.deleted}; returns false if there was none (idempotent). */
  boolean deleteKey(UUID kid, String actor) throws StoreException;

  // ---- audit ----------------------------------------------------------------------------------------------

  /** Appends an audit event (for events that change nothing else, such as refused requests worth keeping). */
  void audit(String actor, String event, String subject, String detail) throws StoreException;

  /** The audit events with a sequence greater than {@code afterSequence}, oldest first, at most {@code limit}. */
  List<AuditEvent> auditEvents(long afterSequence, int limit) throws StoreException;

  // ---- service state ----------------------------------------------------------------------------------------

  /**
   * Returns the value stored under {@code name}, or stores and returns {@code candidate} if there is none
   * (atomically: concurrent callers and restarts all see the first value stored). Used for the service's own
   * long-lived keys (CA, token signing, PRT sealing), which the caller encrypts before storing.
   */
  byte[] getOrCreateSecret(String name, byte[] candidate) throws StoreException;

  /**
   * A digest of the directory's content (tenants, users, devices, keys; not the audit log), for tests that
   * check a refused request changed nothing. Equal content gives equal digests.
   */
  String contentDigest() throws StoreException;

  @Override
  void close();
}
