package dev.ngc4j.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** Test records for the directory store, and comparisons for records that hold arrays. */
final class StoreFixtures {
  /** A fixed instant with nanoseconds, to check that the store truncates to microseconds. */
  static final Instant T0 = Instant.parse("2026-11-22T05:00:00.123456789Z");

  private StoreFixtures() {}

  static Tenant tenant(String domain) {
    return new Tenant(UUID.randomUUID(), domain, "Tenant " + domain, T0);
  }

  static User user(Tenant tenant, String upn) {
    return new User(UUID.randomUUID(), tenant.id(), upn, "User " + upn, true, Optional.of("pbkdf2$hash-of-" + upn),
        Optional.empty(), T0);
  }

  static Device device(Tenant tenant, User by, String name) {
    byte[] certificate = ("certificate of " + name + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    return new Device(UUID.randomUUID(), tenant.id(), by.objectId(), name, "Windows", "10.0.26100", 0, certificate,
        HexFormat.of().formatHex(sha256(certificate)), ("RSA1 transport " + name).getBytes(StandardCharsets.UTF_8),
        true, T0);
  }

  static RegisteredKey key(User user, Device device) {
    byte[] material = ("RSA1 key " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    return key(user, device, material);
  }

  static RegisteredKey key(User user, Device device, byte[] material) {
    return new RegisteredKey(UUID.randomUUID(), user.objectId(), device.deviceId(),
        Base64.getEncoder().encodeToString(sha256(material)),
        Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(("spki" + new String(material,
            StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8))),
        material, "none", T0);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Asserts that a stored device equals what was written, after the store's normalisation. */
  static void assertDevice(Device expected, Device actual) {
    assertEquals(expected.deviceId(), actual.deviceId());
    assertEquals(expected.tenantId(), actual.tenantId());
    assertEquals(expected.registeredBy(), actual.registeredBy());
    assertEquals(expected.displayName(), actual.displayName());
    assertEquals(expected.deviceType(), actual.deviceType());
    assertEquals(expected.osVersion(), actual.osVersion());
    assertEquals(expected.joinType(), actual.joinType());
    assertArrayEquals(expected.certificate(), actual.certificate());
    assertEquals(expected.certificateThumbprint().toLowerCase(java.util.Locale.ROOT), actual.certificateThumbprint());
    assertArrayEquals(expected.transportKey(), actual.transportKey());
    assertEquals(expected.enabled(), actual.enabled());
    assertEquals(micros(expected.created()), actual.created());
  }

  /** Asserts that a stored key equals what was written, after the store's normalisation. */
  static void assertKey(RegisteredKey expected, RegisteredKey actual) {
    assertEquals(expected.kid(), actual.kid());
    assertEquals(expected.userId(), actual.userId());
    assertEquals(expected.deviceId(), actual.deviceId());
    assertEquals(expected.keyIdentifier(), actual.keyIdentifier());
    assertEquals(expected.spkiSha256(), actual.spkiSha256());
    assertArrayEquals(expected.keyMaterial(), actual.keyMaterial());
    assertEquals(expected.attestation(), actual.attestation());
    assertEquals(micros(expected.created()), actual.created());
  }

  /** The user as the store keeps it: UPN in lower case, instant to the microsecond. */
  static User normalised(User user) {
    return new User(user.objectId(), user.tenantId(), user.upn().toLowerCase(java.util.Locale.ROOT),
        user.displayName(), user.enabled(), user.passwordHash(), user.mfaSecretHash(), micros(user.created()));
  }

  /** The tenant as the store keeps it: domain in lower case, instant to the microsecond. */
  static Tenant normalised(Tenant tenant) {
    return new Tenant(tenant.id(), tenant.domain().toLowerCase(java.util.Locale.ROOT), tenant.displayName(),
        micros(tenant.created()));
  }
}
