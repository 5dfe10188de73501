package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.internal.cloud.Sp800108Kdf;
import dev.ngc4j.core.internal.cloud.StrictJwe;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
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
  void lenientDictionaryAttack() throws Exception {
    TpmTestSupport.lenientDictionaryAttack(java.util.Objects.requireNonNull(swtpm, "swtpm"));
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
    PublicKey device;
    PublicKey transport;
    try (ProviderSession s = open()) {
      assertFalse(Files.exists(data.resolve(TpmDeviceKeys.DEVICE_KEY_FILE)), "nothing before first use");
      device = keysOf(s).deviceKey();
      transport = keysOf(s).transportKey();
      assertEquals(device, keysOf(s).deviceKey(), "cached");
    }
    for (PublicKey key : List.of(device, transport)) {
      RSAPublicKey rsa = (RSAPublicKey) key;
      assertEquals(2048, rsa.getModulus().bitLength());
      assertEquals(65537, rsa.getPublicExponent().intValueExact());
    }
    assertNotEquals(device, transport);
    try (ProviderSession s = open()) {
      assertEquals(device, keysOf(s).deviceKey());
      assertEquals(transport, keysOf(s).transportKey());
    }
    for (String name : List.of(TpmDeviceKeys.DEVICE_KEY_FILE, TpmDeviceKeys.TRANSPORT_KEY_FILE)) {
      Path file = data.resolve(name);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      Codec.Reader r = new Codec.Reader(FramedFile.unframe(file, Files.readAllBytes(file), TpmDeviceKeys.MAGIC, 1));
      int role = r.u8();
      r.bytes();
      TPMT_PUBLIC pub = TPMT_PUBLIC.fromBytes(r.bytes());
      assertEquals(role == 1 ? 0x00040472 : 0x00020472, pub.objectAttributes.toInt(),
          "fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA, and sign or decrypt");
    }
    try (var leftovers = Files.list(data)) {
      assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP)));
    }
  }

  @Test
  void theDeviceKeySignsRs256InTheTpmAndNothingElse() throws Exception {
    try (ProviderSession s = open()) {
      DeviceKeys keys = keysOf(s);
      byte[] message = "a certificate request".getBytes(StandardCharsets.US_ASCII);
      byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(keys.deviceKey());
      verifier.update(message);
      assertTrue(verifier.verify(signature));
      verifier.initVerify(keys.transportKey());
      verifier.update(message);
      assertFalse(verifier.verify(signature), "the transport key never signs");
      NgcException e = assertThrows(NgcException.class,
          () -> keys.signWithDeviceKey(SignatureAlgorithm.RSA_PSS_SHA256, message));
      assertEquals(ErrorCode.UNSUPPORTED, e.code());
      assertEquals(0, TpmTestSupport.dictionaryAttackFailures(s));
    }
  }

  @Test
  void aSwappedOrDamagedKeyFileIsRefusedAndNotReplaced() throws Exception {
    try (ProviderSession s = open()) {
      keysOf(s).deviceKey();
      keysOf(s).transportKey();
    }
    Path device = data.resolve(TpmDeviceKeys.DEVICE_KEY_FILE);
    byte[] original = Files.readAllBytes(device);
    Files.copy(data.resolve(TpmDeviceKeys.TRANSPORT_KEY_FILE), device, StandardCopyOption.REPLACE_EXISTING);
    try (ProviderSession s = open()) {
      NgcException e = assertThrows(NgcException.class, () -> keysOf(s).deviceKey());
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertTrue(e.detail().contains("another role"), e.detail());
    }
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.write(device, damaged);
    try (ProviderSession s = open()) {
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, assertThrows(NgcException.class, () -> keysOf(s).deviceKey()).code());
    }
    assertArrayEquals(damaged, Files.readAllBytes(device), "never replaced by a new key");
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
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair stranger = g.generateKeyPair();
    try (ProviderSession s = open()) {
      DeviceKeys keys = keysOf(s);
      PublicKey transport = keys.transportKey();
      byte[] sessionKey = random(32);
      SessionKeyEnvelope good = envelope(
          StrictJwe.encrypt(new byte[] {0x20}, sessionKey, (RSAPublicKey) transport, StrictJwe.KeyAlgorithm.RSA_OAEP));
      Map<String, SessionKeyEnvelope> bad = new LinkedHashMap<>();
      bad.put("OAEP-256 content sent as RSA-OAEP",
          wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-256", "SHA-256", sessionKey));
      bad.put("RSA-OAEP content sent as RSA-OAEP-256",
          wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-1", "SHA-1", sessionKey));
      bad.put("SHA-256 with MGF1-SHA-1", wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-1",
          sessionKey));
      bad.put("wrapped for the device key",
          wrapped(keys.deviceKey(), KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", sessionKey));
      bad.put("wrapped for a stranger",
          wrapped(stranger.getPublic(), KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", sessionKey));
      bad.put("31-byte key", wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
          Arrays.copyOf(sessionKey, 31)));
      bad.put("33-byte key", wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
          Arrays.copyOf(sessionKey, 33)));
      Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
      pkcs1.init(Cipher.ENCRYPT_MODE, transport);
      bad.put("PKCS#1 v1.5 wrapping", seal(KeyWrapAlgorithm.RSA_OAEP_SHA1, good.protectedHeader().toByteArray(),
          pkcs1.doFinal(sessionKey), sessionKey));
      bad.put("tampered header", with(good, 0, flipped(good.protectedHeader())));
      bad.put("tampered encrypted key", with(good, 1, flipped(good.encryptedKey())));
      bad.put("encrypted key one byte short",
          with(good, 1, Bytes.of(Arrays.copyOf(good.encryptedKey().toByteArray(), 255))));
      bad.put("empty encrypted key", with(good, 1, Bytes.empty()));
      bad.put("tampered IV", with(good, 2, flipped(good.initializationVector())));
      bad.put("16-byte IV", with(good, 2, Bytes.of(new byte[16])));
      bad.put("tampered ciphertext", with(good, 3, flipped(good.ciphertext())));
      bad.put("tampered tag", with(good, 4, flipped(good.authenticationTag())));
      bad.put("truncated tag", with(good, 4, Bytes.of(Arrays.copyOf(good.authenticationTag().toByteArray(), 12))));

      try (SessionKeyHandle ok = keys.unwrapSessionKey(good)) {
        assertEquals(32, ok.deriveKey(Bytes.of(LABEL), Bytes.of(random(24))).length, "the untampered one works");
      }
      for (Map.Entry<String, SessionKeyEnvelope> c : bad.entrySet()) {
        Throwable t = assertThrows(Throwable.class, () -> keys.unwrapSessionKey(c.getValue()), c.getKey());
        assertSame(NgcException.class, t.getClass(), c.getKey());
        NgcException e = (NgcException) t;
        assertEquals(ErrorCode.CLOUD_ERROR, e.code(), c.getKey());
        assertEquals(TpmDeviceKeys.unwrapFailure().getMessage(), e.getMessage(), c.getKey());
        assertNull(e.getCause(), c.getKey());
      }
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

  /** An envelope wrapped with OAEP(hash, MGF1(mgfHash)) and sealed under {@code cek} (or a 32-byte substitute). */
  static SessionKeyEnvelope wrapped(PublicKey recipient, KeyWrapAlgorithm claimed, String oaepHash, String mgfHash,
      byte[] cek) throws Exception {
    String header = "{\"enc\":\"A256GCM\",\"alg\":\"" + claimed.jweName() + "\"}";
    byte[] headerSegment = Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url()
        .getBytes(StandardCharsets.US_ASCII);
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
    rsa.init(Cipher.ENCRYPT_MODE, recipient,
        new OAEPParameterSpec(oaepHash, "MGF1", new MGF1ParameterSpec(mgfHash), PSource.PSpecified.DEFAULT));
    return seal(claimed, headerSegment, rsa.doFinal(cek), cek.length == 32 ? cek : random(32));
  }

  static SessionKeyEnvelope seal(KeyWrapAlgorithm alg, byte[] headerSegment, byte[] wrapped, byte[] gcmKey)
      throws Exception {
    byte[] iv = random(12);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(gcmKey, "AES"), new GCMParameterSpec(128, iv));
    aes.updateAAD(headerSegment);
    byte[] sealed = aes.doFinal(new byte[] {0x20});
    return new SessionKeyEnvelope(alg, Bytes.of(headerSegment), Bytes.of(wrapped), Bytes.of(iv),
        Bytes.of(Arrays.copyOf(sealed, sealed.length - 16)),
        Bytes.of(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length)));
  }

  static SessionKeyEnvelope with(SessionKeyEnvelope e, int field, Bytes value) {
    return new SessionKeyEnvelope(e.algorithm(),
        field == 0 ? value : e.protectedHeader(), field == 1 ? value : e.encryptedKey(),
        field == 2 ? value : e.initializationVector(), field == 3 ? value : e.ciphertext(),
        field == 4 ? value : e.authenticationTag());
  }

  static Bytes flipped(Bytes b) {
    byte[] a = b.toByteArray();
    a[a.length - 1] ^= 1;
    return Bytes.of(a);
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
