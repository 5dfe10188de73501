package dev.ngc4j.provider.support.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.ProviderSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/**
 * What every provider's device keys must do, whatever holds them: two distinct RSA-2048 keys made on first use and
 * kept across sessions, RS256 signatures with the device key only, and key files that are never silently replaced.
 * The files are the data directory's {@code device-key.ngc} and {@code transport-key.ngc}.
 */
public final class DeviceKeysChecks {
  /** The device key's file name in the data directory. */
  public static final String DEVICE_KEY_FILE = "device-key.ngc";
  /** The transport key's file name in the data directory. */
  public static final String TRANSPORT_KEY_FILE = "transport-key.ngc";

  private DeviceKeysChecks() {}

  /** Opens a new session of the provider on the data directory under test. */
  @FunctionalInterface
  public interface Opener {
    /**
     * Opens the session.
     *
     * @return the session, which the caller closes
     * @throws Exception if it cannot be opened
     */
    ProviderSession open() throws Exception;
  }

  private static DeviceKeys keysOf(ProviderSession session) {
    return session.deviceKeys().orElseThrow();
  }

  /**
   * Asserts that no key file exists before first use, that first use makes two distinct RSA-2048 keys with exponent
   * 65537, and that the next session has the same keys.
   *
   * @param dataDirectory the provider's data directory
   * @param open opens a session on it
   * @return the device key and the transport key
   * @throws Exception if a session cannot be opened
   */
  public static List<PublicKey> assertKeysAreMadeOnceAndKept(Path dataDirectory, Opener open) throws Exception {
    PublicKey device;
    PublicKey transport;
    try (ProviderSession s = open.open()) {
      assertFalse(Files.exists(dataDirectory.resolve(DEVICE_KEY_FILE)), "nothing before first use");
      device = keysOf(s).deviceKey();
      transport = keysOf(s).transportKey();
      assertEquals(device, keysOf(s).deviceKey(), "cached");
    }
    for (PublicKey key : List.of(device, transport)) {
      RSAPublicKey rsa = (RSAPublicKey) key;
      assertEquals(2048, rsa.getModulus().bitLength());
      assertEquals(65537, rsa.getPublicExponent().intValueExact());
    }
    assertNotEquals(device, transport, "the device key and the transport key are different keys");
    try (ProviderSession s = open.open()) {
      assertEquals(device, keysOf(s).deviceKey());
      assertEquals(transport, keysOf(s).transportKey());
    }
    return List.of(device, transport);
  }

  /**
   * Asserts that the device key signs RS256 (verified with the JDK), that the transport key did not sign, and that
   * every other algorithm is refused with {@code UNSUPPORTED}.
   *
   * @param keys the device keys
   * @throws Exception if the JDK cannot verify
   */
  public static void assertSignsRs256Only(DeviceKeys keys) throws Exception {
    byte[] message = "a certificate request".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(keys.deviceKey());
    verifier.update(message);
    assertTrue(verifier.verify(signature));
    verifier.initVerify(keys.transportKey());
    verifier.update(message);
    assertFalse(verifier.verify(signature), "the transport key never signs");
    for (SignatureAlgorithm other : SignatureAlgorithm.values()) {
      if (other != SignatureAlgorithm.RSA_PKCS1_SHA256) {
        NgcException e = assertThrows(NgcException.class, () -> keys.signWithDeviceKey(other, message));
        assertEquals(ErrorCode.UNSUPPORTED, e.code(), other.name());
      }
    }
  }

  /**
   * Asserts that a transport key file copied over the device key file is refused as another role's key, that a
   * damaged device key file is refused, both with {@code PROVIDER_UNAVAILABLE}, and that neither is replaced by a new
   * key (the device's registration is bound to the keys).
   *
   * @param dataDirectory the provider's data directory
   * @param open opens a session on it
   * @throws Exception if a session cannot be opened or the files cannot be changed
   */
  public static void assertSwappedOrDamagedKeyFileIsRefused(Path dataDirectory, Opener open) throws Exception {
    try (ProviderSession s = open.open()) {
      keysOf(s).deviceKey();
      keysOf(s).transportKey();
    }
    Path device = dataDirectory.resolve(DEVICE_KEY_FILE);
    byte[] original = Files.readAllBytes(device);
    Files.copy(dataDirectory.resolve(TRANSPORT_KEY_FILE), device, StandardCopyOption.REPLACE_EXISTING);
    try (ProviderSession s = open.open()) {
      NgcException e = assertThrows(NgcException.class, () -> keysOf(s).deviceKey());
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertTrue(e.detail().contains("another role"), e.detail());
    }
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(device, damaged);
    try (ProviderSession s = open.open()) {
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE,
          assertThrows(NgcException.class, () -> keysOf(s).deviceKey()).code());
    }
    assertArrayEquals(damaged, Files.readAllBytes(device), "never replaced by a new key");
  }
}
