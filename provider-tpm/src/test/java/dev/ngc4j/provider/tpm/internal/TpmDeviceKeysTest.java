package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.Sp800108Kdf;
import dev.ngc4j.core.internal.cloud.StrictJwe;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.provider.support.testing.DeviceKeysChecks;
import dev.ngc4j.provider.support.testing.EnvelopeFixtures;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tss.tpm.TPMT_PUBLIC;

/**
 * The TPM's device keys against a real swtpm (started by this class, reached through a recording proxy): keys made
 * in the TPM once and kept, RS256 with the device key, and PRT session keys from a {@code session_key_jwe} built by
 * the client's own JWE code, unwrapped by TPM2_RSA_Decrypt, imported into the TPM and used through TPM2_HMAC, with
 * derived keys checked against sdk-core's software SP 800-108 KDF and the wire checked for the session key.
 */
class TpmDeviceKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] LABEL = "AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII);
  private static final int CC_CREATE = 0x153;
  private static final int CC_HMAC = 0x155;
  private static final int CC_RSA_DECRYPT = 0x159;
  private static final int CC_START_AUTH_SESSION = 0x176;

  private static @Nullable Swtpm swtpm;
  private static @Nullable RecordingTpmProxy proxy;

  @TempDir Path data;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Swtpm t = Swtpm.start(dir); // fails with "apt-get install swtpm swtpm-tools" when missing
    swtpm = t;
    proxy = RecordingTpmProxy.start(t.host(), t.port());
  }

  @AfterAll
  static void stop() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } finally {
      if (swtpm != null) {
        swtpm.close();
      }
    }
  }

  @BeforeEach
  void relaxDictionaryAttack() throws Exception {
    java.util.Objects.requireNonNull(swtpm, "swtpm").relaxDictionaryAttack();
  }

  private static RecordingTpmProxy proxy() {
    return java.util.Objects.requireNonNull(proxy, "proxy");
  }

  private ProviderSession open() throws Exception {
    return open(data);
  }

  private static ProviderSession open(Path dataDirectory) throws Exception {
    return TpmCredentialProvider.builder()
        .device(proxy().deviceSpec())
        .commandTimeout(TpmTestSupport.COMMAND_TIMEOUT)
        .build()
        .open(new ProviderContext(dataDirectory, MutableClock.create(), Map.of()));
  }

  private static DeviceKeys keysOf(ProviderSession session) {
    return session.deviceKeys().orElseThrow();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Device key and transport key
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void twoRsa2048KeysAreMadeInTheTpmOnceAndKeptAcrossSessions() throws Exception {
    DeviceKeysChecks.assertKeysAreMadeOnceAndKept(data, this::open);
    for (String name : List.of(TpmDeviceKeys.DEVICE_KEY_FILE, TpmDeviceKeys.TRANSPORT_KEY_FILE)) {
      Path file = data.resolve(name);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      ByteReader r = new ByteReader(FramedFile.open(file, Files.readAllBytes(file), TpmDeviceKeys.MAGIC, 1).body());
      int role = r.u8();
      r.bytes();
      TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(r.bytes());
      assertEquals(role == 1 ? 0x00040472 : 0x00020472, pub.objectAttributes.toInt(),
          "fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA, and sign or decrypt");
    }
    try (var leftovers = Files.list(data)) {
      assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(OwnerOnlyFiles.TEMP_PREFIX)));
    }
  }

  @Test
  void theDeviceKeySignsRs256InTheTpmAndNothingElse() throws Exception {
    try (ProviderSession s = open()) {
      DeviceKeysChecks.assertSignsRs256Only(keysOf(s));
      assertEquals(0, TpmTestSupport.dictionaryAttackFailures(s));
    }
  }

  @Test
  void aSwappedOrDamagedKeyFileIsRefusedAndNotReplaced() throws Exception {
    DeviceKeysChecks.assertSwappedOrDamagedKeyFileIsRefused(data, this::open);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Session keys
  // -------------------------------------------------------------------------------------------------------------

  @Test
  void aSessionKeyJweFromTheClientsJweCodeUnwrapsAndDerivesWhatTheSoftwareKdfDerives() throws Exception {
    try (ProviderSession s = open()) {
      DeviceKeys keys = keysOf(s);
      RSAPublicKey transport = (RSAPublicKey) keys.transportKey();
      byte[] ctx = random(24);
      byte[] payload = "{\"refresh_token\":\"x\",\"request_nonce\":\"n\"}".getBytes(StandardCharsets.UTF_8);
      for (StrictJwe.KeyAlgorithm algorithm : StrictJwe.KeyAlgorithm.values()) {
        byte[] sessionKey = random(32);
        String jwe = StrictJwe.encrypt(new byte[] {0x20}, sessionKey, transport, algorithm);
        try (SessionKeyHandle handle = keys.unwrapSessionKey(envelope(jwe))) {
          assertArrayEquals(Sp800108Kdf.kdfV1(sessionKey, ctx), handle.deriveKey(Bytes.of(LABEL), Bytes.of(ctx)),
              "KDFv1, " + algorithm);
          byte[] v2Context = MessageDigest.getInstance("SHA-256").digest(concat(ctx, payload));
          assertArrayEquals(Sp800108Kdf.kdfV2(sessionKey, ctx, payload),
              handle.deriveKey(Bytes.of(LABEL), Bytes.of(v2Context)), "KDFv2, " + algorithm);
          assertArrayEquals(Sp800108Kdf.derive(sessionKey, "another label".getBytes(StandardCharsets.US_ASCII),
              new byte[0], 32), handle.deriveKey(Bytes.of("another label".getBytes(StandardCharsets.US_ASCII)),
              Bytes.empty()), "any label, empty context");
          byte[] signed = "header.payload".getBytes(StandardCharsets.US_ASCII);
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(Sp800108Kdf.kdfV1(sessionKey, ctx), "HmacSHA256"));
          assertEquals(Bytes.of(mac.doFinal(signed)), handle.deriveAndMac(Bytes.of(LABEL), Bytes.of(ctx), signed));
          assertFalse(handle.toString().contains(Bytes.of(sessionKey).toHex()));
        }
      }
      assertEquals(List.of(((TpmSession) s).keys().srkHandle()), boxed(((TpmSession) s).keys().loadedTransientHandles()),
          "nothing but the SRK stays loaded");
    }
  }

  @Test
  void theSessionKeyNeverCrossesTheTpmInterfaceInClear() throws Exception {
    try (ProviderSession s = open()) {
      DeviceKeys keys = keysOf(s);
      RSAPublicKey transport = (RSAPublicKey) keys.transportKey();
      byte[] sessionKey = random(32);
      String jwe = StrictJwe.encrypt(new byte[] {0x20}, sessionKey, transport, StrictJwe.KeyAlgorithm.RSA_OAEP);
      SessionKeyEnvelope envelope = envelope(jwe);
      byte[][] contexts = {random(24), random(32), random(24)};
      byte[][] derived = new byte[contexts.length][];
      proxy().record();
      try (SessionKeyHandle handle = keys.unwrapSessionKey(envelope)) {
        for (int i = 0; i < contexts.length; i++) {
          derived[i] = handle.deriveKey(Bytes.of(LABEL), Bytes.of(contexts[i]));
          assertArrayEquals(Sp800108Kdf.kdfV1(sessionKey, contexts[i]), derived[i]);
        }
      }
      List<byte[]> commands = proxy().stop();
      List<byte[]> responses = proxy().responses();
      Map<Integer, Integer> counts = new LinkedHashMap<>();
      for (byte[] c : commands) {
        counts.merge(RecordingTpmProxy.code(c), 1, Integer::sum);
        assertFalse(RecordingTpmProxy.contains(c, sessionKey),
            "the session key was sent in clear in command 0x" + Integer.toHexString(RecordingTpmProxy.code(c)));
        for (byte[] d : derived) {
          assertFalse(RecordingTpmProxy.contains(c, d));
        }
      }
      for (byte[] r : responses) {
        assertFalse(RecordingTpmProxy.contains(r, sessionKey), "the TPM returned the session key in clear");
        for (byte[] d : derived) {
          assertFalse(RecordingTpmProxy.contains(r, d), "the TPM returned a derived key in clear");
        }
      }
      assertEquals(1, counts.getOrDefault(CC_RSA_DECRYPT, 0));
      assertEquals(1, counts.getOrDefault(CC_CREATE, 0), "one import, and it ran in the salted session (above)");
      assertEquals(contexts.length, counts.getOrDefault(CC_HMAC, 0));
      assertEquals(0, counts.getOrDefault(CC_START_AUTH_SESSION, 0), "the session kept since the transport key");
      // The import command: authorised by an HMAC session with the decrypt attribute (its inSensitive encrypted).
      byte[] create = commands.stream().filter(c -> RecordingTpmProxy.code(c) == CC_CREATE).findFirst().orElseThrow();
      int sessionHandle = readInt(create, 10 + 4 + 4);
      assertEquals(0x02, sessionHandle >>> 24, "TPM2_Create authorised by an HMAC session");
      int attributes = create[10 + 4 + 4 + 4 + 2 + 32] & 0xFF;
      assertEquals(0x20, attributes & 0x20, "with decrypt: the first parameter (inSensitive) is encrypted");
    }
  }

  @Test
  void everyEnvelopeFailureIsTheSameOpaqueException() throws Exception {
    try (ProviderSession s = open()) {
      DeviceKeys keys = keysOf(s);
      PublicKey transport = keys.transportKey();
      byte[] sessionKey = random(32);
      SessionKeyEnvelope good = envelope(
          StrictJwe.encrypt(new byte[] {0x20}, sessionKey, (RSAPublicKey) transport, StrictJwe.KeyAlgorithm.RSA_OAEP));
      try (SessionKeyHandle ok = keys.unwrapSessionKey(good)) {
        assertEquals(32, ok.deriveKey(Bytes.of(LABEL), Bytes.of(random(24))).length, "the untampered one works");
      }
      EnvelopeFixtures.assertAllRefusedAlike(keys,
          EnvelopeFixtures.refusedEnvelopes(good, transport, keys.deviceKey(), sessionKey),
          SessionKeyEnvelopes.unwrapFailure());
      assertEquals(0, TpmTestSupport.dictionaryAttackFailures(s), "the transport key is noDA; nothing counted");
      assertEquals(1, ((TpmSession) s).keys().loadedTransientHandles().length, "no transport key left loaded");
    }
  }

  @Test
  void closingAHandleForgetsTheBlobAndClosingTheSessionClosesOpenHandles() throws Exception {
    ProviderSession s = open();
    DeviceKeys keys = keysOf(s);
    byte[] sessionKey = random(32);
    SessionKeyEnvelope envelope = envelope(StrictJwe.encrypt(new byte[] {0x20}, sessionKey,
        (RSAPublicKey) keys.transportKey(), StrictJwe.KeyAlgorithm.RSA_OAEP_256));
    TpmSessionKey first = (TpmSessionKey) keys.unwrapSessionKey(envelope);
    KeyBlob blob = first.blobForTest();
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(blob.publicArea());
    assertEquals(TpmDeviceKeys.SESSION_KEY_ATTRIBUTES, pub.objectAttributes.toInt(),
        "sign|fixedTPM|fixedParent|userWithAuth|noDA: an HMAC key that never leaves this TPM");
    assertFalse(RecordingTpmProxy.contains(blob.privateArea(), sessionKey), "the blob is encrypted under the SRK");
    first.close();
    first.close();
    assertTrue(blob.isDestroyed());
    assertThrows(IllegalStateException.class, () -> first.deriveKey(Bytes.of(LABEL), Bytes.empty()));

    TpmSessionKey second = (TpmSessionKey) keys.unwrapSessionKey(envelope);
    s.close();
    assertTrue(second.isClosed(), "the session closed it");
    assertTrue(second.blobForTest().isDestroyed());
    assertThrows(IllegalStateException.class, keys::transportKey);
    assertThrows(IllegalStateException.class, () -> keys.unwrapSessionKey(envelope));
  }

  @Test
  void labelAndContextTooLongForOneTpmHmacAreRefusedClearly() throws Exception {
    NgcException e = assertThrows(NgcException.class, () -> TpmSessionKey.kdfInput(LABEL, new byte[1000]));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertEquals(4 + 26 + 1 + 989 + 4, TpmSessionKey.kdfInput(LABEL, new byte[989]).length);
  }

  // -------------------------------------------------------------------------------------------------------------

  /** Splits a session_key_jwe with the client's own code (sdk-core's Jose, package-private: by reflection). */
  static SessionKeyEnvelope envelope(String jwe) throws Exception {
    Class<?> jose = Class.forName("dev.ngc4j.core.cloud.Jose");
    Method split = jose.getDeclaredMethod("sessionKeyEnvelope", String.class);
    split.setAccessible(true);
    return (SessionKeyEnvelope) split.invoke(null, jwe);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static int readInt(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
        | (b[offset + 3] & 0xFF);
  }
}
