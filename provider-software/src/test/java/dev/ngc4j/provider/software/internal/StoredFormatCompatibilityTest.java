package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.testing.EnvelopeFixtures;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.SessionKeyHandle;
import dev.ngc4j.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores written before the storage code moved to provider-support (src/test/resources/format-v1, see its README)
 * still load and work, and every file re-encodes to the same bytes: the move changed no byte of the formats.
 */
class StoredFormatCompatibilityTest {
  private static final String FIXTURE = "/format-v1/";
  private static final List<String> FILES = List.of(
      "device-secret.ngc", "machine-key.ngc", "device-key.ngc", "transport-key.ngc",
      "containers/alice-1/container.ngc", "containers/alice-1/attempts.ngc");
  private static final ContainerId ID = ContainerId.of("alice-1");
  private static final ProviderSettings FAST = new ProviderSettings(1024, 1, 1, 5, Duration.ofSeconds(60));

  @TempDir Path temp;
  private Path data;
  private List<String> publicKeys;

  @BeforeEach
  void copyTheFixture() throws IOException {
    data = temp.resolve("software");
    for (String name : FILES) {
      Path target = data.resolve(name);
      OwnerOnlyFiles.createDirectories(Objects.requireNonNull(target.getParent()));
      OwnerOnlyFiles.writeNew(target, resource(name));
    }
    publicKeys = List.of(new String(resource("public-keys.txt"), java.nio.charset.StandardCharsets.US_ASCII)
        .trim().split("\n"));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = StoredFormatCompatibilityTest.class.getResourceAsStream(FIXTURE + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  private static GestureSource gestures(boolean biometric) {
    byte[] secret = new byte[32];
    for (int i = 0; i < secret.length; i++) {
      secret[i] = (byte) (0x40 + i);
    }
    return request -> {
      if (request.kind() == GestureKind.BIOMETRIC) {
        if (!biometric) {
          throw new GestureCancelledException("use the PIN");
        }
        return BiometricMatch.of("face", secret);
      }
      return Pin.of("314159".toCharArray());
    };
  }

  @Test
  void everyFileReencodesToTheSameBytes() throws Exception {
    Path containerFile = data.resolve("containers/alice-1/container.ngc");
    byte[] container = Files.readAllBytes(containerFile);
    assertArrayEquals(container, ContainerRecord.decode(containerFile, container).encode());
    Path attemptsFile = data.resolve("containers/alice-1/attempts.ngc");
    byte[] attempts = Files.readAllBytes(attemptsFile);
    AttemptCounter counter = AttemptCounter.decode(attemptsFile, attempts, SoftwareStore.ATTEMPTS_MAGIC, ID);
    assertEquals(new AttemptCounter(ID, 1, 0, null), counter);
    assertArrayEquals(attempts, counter.encode(SoftwareStore.ATTEMPTS_MAGIC));
  }

  @Test
  void theContainerAndTheDeviceKeysStillLoadAndWork() throws Exception {
    try (SoftwareSession s = SoftwareSession.open(new ProviderContext(data, MutableClock.create(), Map.of()), FAST)) {
      assertEquals(List.of(ID), s.containers().list());
      KeyContainer c = s.containers().open(ID);
      assertEquals(UserPrincipal.of("alice@contoso.com"), c.user());
      assertEquals(publicKeys.get(0), HexFormat.of().formatHex(c.publicKey().getEncoded()));
      assertEquals(4, c.lockoutState().attemptsRemaining(), "the failed attempt is still counted");
      assertEquals(List.of(GestureKind.PIN, GestureKind.BIOMETRIC),
          c.protectors().stream().map(p -> p.kind()).toList());
      byte[] message = {1, 2, 3};
      for (boolean biometric : new boolean[] {false, true}) {
        byte[] signature = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, message, gestures(biometric));
        assertTrue(verifies(c.publicKey(), message, signature), biometric ? "biometric" : "PIN");
      }
      assertEquals(5, c.lockoutState().attemptsRemaining(), "a success reset the counter");

      DeviceKeys keys = s.deviceKeys().orElseThrow();
      assertEquals(publicKeys.get(1), HexFormat.of().formatHex(keys.deviceKey().getEncoded()));
      assertEquals(publicKeys.get(2), HexFormat.of().formatHex(keys.transportKey().getEncoded()));
      byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
      assertTrue(verifies(keys.deviceKey(), message, signature));
      byte[] sessionKey = EnvelopeFixtures.random(32);
      try (SessionKeyHandle h = keys.unwrapSessionKey(EnvelopeFixtures.wrapped(
          keys.transportKey(), KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-256", sessionKey))) {
        assertEquals(32, h.deriveKey(dev.ngc4j.api.Bytes.empty(), dev.ngc4j.api.Bytes.empty()).length);
      }
    }
    assertArrayEquals(resource("device-key.ngc"), Files.readAllBytes(data.resolve("device-key.ngc")),
        "an existing device key is never rewritten");
  }

  private static boolean verifies(PublicKey key, byte[] message, byte[] signature) throws Exception {
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(key);
    v.update(message);
    return v.verify(signature);
  }
}
