package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.lang.reflect.Field;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The software provider's device key, transport key and session-key handles. */
class SoftwareDeviceKeysTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  SoftwareSession open() throws NgcException {
    return SoftwareSession.open(new ProviderContext(dir, Clock.systemUTC(), Map.of()), ProviderSettings.defaults());
  }

  static DeviceKeys keysOf(SoftwareSession session) {
    return session.deviceKeys().orElseThrow();
  }

  static byte[] sequence(int length, int start) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  @Nested
  class Creation {
    @Test
    void twoSeparateRsa2048KeysAreCreatedOnFirstUseAndKeptAcrossSessions() throws Exception {
      assertFalse(Files.exists(dir.resolve(SoftwareDeviceKeys.DEVICE_KEY_FILE)));
      PublicKey device;
      PublicKey transport;
      try (SoftwareSession s = open()) {
        assertFalse(Files.exists(dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE)), "nothing before first use");
        device = keysOf(s).deviceKey();
        transport = keysOf(s).transportKey();
      }
      for (PublicKey key : List.of(device, transport)) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        assertEquals(2048, rsa.getModulus().bitLength());
        assertEquals(65537, rsa.getPublicExponent().intValueExact());
      }
      assertNotEquals(device, transport, "the device key and the transport key are different keys");
      try (SoftwareSession s = open()) {
        assertEquals(device, keysOf(s).deviceKey());
        assertEquals(transport, keysOf(s).transportKey());
      }
    }

    @Test
    void filesAreOwnerOnlyAndThePrivateKeyIsNeverOnDiskInClear() throws Exception {
      try (SoftwareSession s = open()) {
        keysOf(s).deviceKey();
      }
      Path keyFile = dir.resolve(SoftwareDeviceKeys.DEVICE_KEY_FILE);
      Path machineFile = dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE);
      if (OwnerOnlyFiles.isPosix(dir)) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(machineFile)));
      }
      try (var leftovers = Files.list(dir)) {
        assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(OwnerOnlyFiles.TEMP_PREFIX)));
      }
      // Decrypt by hand, as the format documents, to get the PKCS#8 key; then look for it in the file.
      byte[] machineKey = SealedFile.open(machineFile, Files.readAllBytes(machineFile),
          SoftwareDeviceKeys.MACHINE_KEY_MAGIC, 1).body();
      byte[] file = Files.readAllBytes(keyFile);
      ByteReader r = new ByteReader(SealedFile.open(keyFile, file, SoftwareDeviceKeys.KEY_MAGIC, 1).body());
      assertEquals(1, r.u8());
      byte[] spki = r.bytes();
      byte[] nonce = r.bytes(12);
      byte[] encrypted = r.bytes();
      r.expectEnd();
      byte[] aad = new ByteWriter().raw("NGC4JSWK".getBytes(StandardCharsets.US_ASCII)).u16(1).u8(1).bytes(spki)
          .toByteArray();
      byte[] pkcs8 = Aead.open(machineKey, nonce, aad, encrypted);
      assertNotNull(pkcs8, "the private key decrypts with the machine key and the documented associated data");
      assertFalse(contains(file, Arrays.copyOfRange(pkcs8, pkcs8.length - 64, pkcs8.length)),
          "no part of the private key is in the file in clear");
    }

    @Test
    void concurrentFirstUseFromTwoSessionsCreatesEachKeyOnce() throws Exception {
      int threads = 8;
      try (SoftwareSession a = open(); SoftwareSession b = open()) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          CountDownLatch start = new CountDownLatch(1);
          List<Future<List<PublicKey>>> results = new ArrayList<>();
          for (int i = 0; i < threads; i++) {
            DeviceKeys keys = keysOf(i % 2 == 0 ? a : b);
            boolean transportFirst = i % 3 == 0;
            Callable<List<PublicKey>> task = () -> {
              start.await();
              if (transportFirst) {
                PublicKey transport = keys.transportKey();
                return List.of(keys.deviceKey(), transport);
              }
              return List.of(keys.deviceKey(), keys.transportKey());
            };
            results.add(pool.submit(task));
          }
          start.countDown();
          List<PublicKey> first = results.get(0).get(60, TimeUnit.SECONDS);
          for (Future<List<PublicKey>> f : results) {
            assertEquals(first, f.get(60, TimeUnit.SECONDS));
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }

    @Test
    void createAtomicallyNeverReplacesAnExistingFile() throws Exception {
      Path f = dir.resolve("x.ngc");
      assertTrue(OwnerOnlyFiles.createAtomically(f, new byte[] {1}));
      assertFalse(OwnerOnlyFiles.createAtomically(f, new byte[] {2}));
      assertArrayEquals(new byte[] {1}, Files.readAllBytes(f));
    }
  }

  @Nested
  class FailClosed {
    @Test
    void aMissingMachineKeyIsNotRecreatedNextToExistingKeys() throws Exception {
      try (SoftwareSession s = open()) {
        keysOf(s).deviceKey();
      }
      Files.delete(dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE));
      try (SoftwareSession s = open()) {
        NgcException e = assertThrows(NgcException.class, () -> keysOf(s).deviceKey());
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
        // Creating the transport key now would need a machine key: still refused, and none is made.
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE,
            assertThrows(NgcException.class, () -> keysOf(s).transportKey()).code());
      }
      assertFalse(Files.exists(dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE)));
    }

    @Test
    void aDamagedOrSwappedKeyFileIsRefused() throws Exception {
      try (SoftwareSession s = open()) {
        keysOf(s).deviceKey();
        keysOf(s).transportKey();
      }
      Path device = dir.resolve(SoftwareDeviceKeys.DEVICE_KEY_FILE);
      Path transport = dir.resolve(SoftwareDeviceKeys.TRANSPORT_KEY_FILE);
      byte[] original = Files.readAllBytes(device);
      Files.copy(transport, device, StandardCopyOption.REPLACE_EXISTING);
      try (SoftwareSession s = open()) {
        NgcException e = assertThrows(NgcException.class, () -> keysOf(s).deviceKey());
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
        assertTrue(e.detail().contains("another role"), e.detail());
      }
      byte[] damaged = original.clone();
      damaged[damaged.length / 2] ^= 1;
      Files.write(device, damaged);
      try (SoftwareSession s = open()) {
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE,
            assertThrows(NgcException.class, () -> keysOf(s).deviceKey()).code());
      }
    }

    @Test
    void aKeyFileCopiedToAnotherDataDirectoryDoesNotOpen(@TempDir Path other) throws Exception {
      try (SoftwareSession s = open()) {
        keysOf(s).deviceKey();
      }
      try (SoftwareSession s = SoftwareSession.open(
          new ProviderContext(other, Clock.systemUTC(), Map.of()), ProviderSettings.defaults())) {
        keysOf(s).transportKey(); // makes the other directory's machine key
      }
      Files.copy(dir.resolve(SoftwareDeviceKeys.DEVICE_KEY_FILE), other.resolve(SoftwareDeviceKeys.DEVICE_KEY_FILE));
      try (SoftwareSession s = SoftwareSession.open(
          new ProviderContext(other, Clock.systemUTC(), Map.of()), ProviderSettings.defaults())) {
        NgcException e = assertThrows(NgcException.class, () -> keysOf(s).deviceKey());
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
        assertTrue(e.detail().contains("does not decrypt"), e.detail());
      }
    }

    @Test
    void theFacetRefusesUseAfterTheSessionCloses() throws Exception {
      SoftwareSession s = open();
      DeviceKeys keys = keysOf(s);
      keys.deviceKey();
      s.close();
      assertThrows(IllegalStateException.class, keys::deviceKey);
      assertThrows(IllegalStateException.class, keys::transportKey);
      assertThrows(IllegalStateException.class,
          () -> keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[1]));
      assertThrows(IllegalStateException.class, s::deviceKeys);
    }
  }

  @Nested
  class Signing {
    @Test
    void signsRs256WithTheDeviceKey() throws Exception {
      try (SoftwareSession s = open()) {
        byte[] message = "csr".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = keysOf(s).signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(keysOf(s).deviceKey());
        v.update(message);
        assertTrue(v.verify(sig));
        v.initVerify(keysOf(s).transportKey());
        v.update(message);
        assertFalse(v.verify(sig), "the transport key never signs");
      }
    }

    @Test
    void refusesEveryOtherAlgorithm() throws Exception {
      try (SoftwareSession s = open()) {
        NgcException e = assertThrows(NgcException.class,
            () -> keysOf(s).signWithDeviceKey(SignatureAlgorithm.RSA_PSS_SHA256, new byte[1]));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
      }
    }
  }

  @Nested
  class Unwrapping {
    static final byte[] SESSION_KEY = sequence(32, 0x10);

    /** What a directory sends: the session key wrapped with OAEP(hash, MGF1(mgfHash)) and a GCM-sealed payload. */
    static SessionKeyEnvelope envelope(
        PublicKey recipient, KeyWrapAlgorithm claimed, String oaepHash, String mgfHash, byte[] cek) throws Exception {
      String header = "{\"enc\":\"A256GCM\",\"alg\":\"" + claimed.jweName() + "\"}";
      byte[] headerSegment = Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url()
          .getBytes(StandardCharsets.US_ASCII);
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.ENCRYPT_MODE, recipient,
          new OAEPParameterSpec(oaepHash, "MGF1", new MGF1ParameterSpec(mgfHash), PSource.PSpecified.DEFAULT));
      byte[] wrapped = rsa.doFinal(cek);
      return seal(claimed, headerSegment, wrapped, cek.length == 32 ? cek : SESSION_KEY);
    }

    static SessionKeyEnvelope seal(KeyWrapAlgorithm alg, byte[] headerSegment, byte[] wrapped, byte[] gcmKey)
        throws Exception {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
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

    static byte[] expectedDerived(byte[] key, byte[] context) throws Exception {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(new byte[] {0, 0, 0, 1});
      mac.update("AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) 0);
      mac.update(context);
      return mac.doFinal(new byte[] {0, 0, 1, 0});
    }

    @Test
    void unwrapsBothOaepFlavoursAndDerivesFromTheUnwrappedKey() throws Exception {
      try (SoftwareSession s = open()) {
        PublicKey transport = keysOf(s).transportKey();
        byte[] context = sequence(24, 0xA0);
        for (SessionKeyEnvelope e : List.of(
            envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", SESSION_KEY),
            envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-256", SESSION_KEY))) {
          try (SessionKeyHandle handle = keysOf(s).unwrapSessionKey(e)) {
            byte[] derived = handle.deriveKey(Bytes.of("AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII)),
                Bytes.of(context));
            assertArrayEquals(expectedDerived(SESSION_KEY, context), derived);
            assertFalse(handle.toString().contains(HexFormat.of().formatHex(SESSION_KEY)));
          }
        }
      }
    }

    @Test
    void everyFailureIsTheSameOpaqueException() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair stranger = g.generateKeyPair();
      try (SoftwareSession s = open()) {
        DeviceKeys keys = keysOf(s);
        PublicKey transport = keys.transportKey();
        SessionKeyEnvelope good = envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", SESSION_KEY);
        Map<String, SessionKeyEnvelope> bad = new LinkedHashMap<>();
        bad.put("OAEP-256 content sent as RSA-OAEP",
            envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-256", "SHA-256", SESSION_KEY));
        bad.put("RSA-OAEP content sent as RSA-OAEP-256",
            envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-1", "SHA-1", SESSION_KEY));
        bad.put("SHA-256 with MGF1-SHA-1 (the name-only SunJCE trap)",
            envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-1", SESSION_KEY));
        bad.put("wrapped for the device key", envelope(keys.deviceKey(), KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1",
            "SHA-1", SESSION_KEY));
        bad.put("wrapped for a stranger", envelope(stranger.getPublic(), KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1",
            "SHA-1", SESSION_KEY));
        bad.put("31-byte key", envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
            Arrays.copyOf(SESSION_KEY, 31)));
        bad.put("33-byte key", envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
            Arrays.copyOf(SESSION_KEY, 33)));
        Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        pkcs1.init(Cipher.ENCRYPT_MODE, transport);
        bad.put("PKCS#1 v1.5 wrapping", seal(KeyWrapAlgorithm.RSA_OAEP_SHA1, good.protectedHeader().toByteArray(),
            pkcs1.doFinal(SESSION_KEY), SESSION_KEY));
        bad.put("tampered header", with(good, 0, flipped(good.protectedHeader())));
        bad.put("tampered encrypted key", with(good, 1, flipped(good.encryptedKey())));
        bad.put("encrypted key one byte short", with(good, 1, Bytes.of(Arrays.copyOf(good.encryptedKey()
            .toByteArray(), 255))));
        byte[] longer = new byte[257];
        System.arraycopy(good.encryptedKey().toByteArray(), 0, longer, 1, 256);
        bad.put("encrypted key with a leading zero", with(good, 1, Bytes.of(longer)));
        bad.put("empty encrypted key", with(good, 1, Bytes.empty()));
        bad.put("tampered IV", with(good, 2, flipped(good.initializationVector())));
        bad.put("16-byte IV", with(good, 2, Bytes.of(new byte[16])));
        bad.put("tampered ciphertext", with(good, 3, flipped(good.ciphertext())));
        bad.put("tampered tag", with(good, 4, flipped(good.authenticationTag())));
        bad.put("truncated tag", with(good, 4, Bytes.of(Arrays.copyOf(good.authenticationTag().toByteArray(), 12))));
        bad.put("missing tag", with(good, 4, Bytes.empty()));

        try (SessionKeyHandle ok = keys.unwrapSessionKey(good)) {
          assertNotNull(ok, "the untampered envelope unwraps");
        }
        for (Map.Entry<String, SessionKeyEnvelope> c : bad.entrySet()) {
          Throwable t = assertThrows(Throwable.class, () -> keys.unwrapSessionKey(c.getValue()), c.getKey());
          assertSame(NgcException.class, t.getClass(), c.getKey());
          NgcException e = (NgcException) t;
          assertEquals(ErrorCode.CLOUD_ERROR, e.code(), c.getKey());
          assertEquals(SoftwareDeviceKeys.unwrapFailure().getMessage(), e.getMessage(), c.getKey());
          assertNull(e.getCause(), c.getKey());
        }
      }
    }
  }

  @Nested
  class SessionKeys {
    private final byte[] sessionKey = sequence(32, 0x10);
    private final byte[] ctx = sequence(24, 0xA0);
    private final byte[] payload = "{\"client_id\":\"38aa3b87-a06d-4817-b275-7a316988d93b\",\"request_nonce\":\"n\"}"
        .getBytes(StandardCharsets.UTF_8);
    private final Bytes label = Bytes.of("AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII));

    /** The same inputs as sdk-core's Sp800108KdfTest; the expected values come from sdk-core's Sp800108Kdf. */
    @Test
    void derivesTheSameBlocksAsSdkCoresKdf() throws Exception {
      try (SoftwareSessionKey handle = new SoftwareSessionKey(sessionKey)) {
        assertEquals("907bbb2d8d8a2bb719efaf67ab7bf9abaf1aeb16d1ad16746a5e7f71e888eda7",
            HexFormat.of().formatHex(handle.deriveKey(label, Bytes.of(ctx))), "KDFv1");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(ctx);
        byte[] v2Context = sha.digest(payload);
        assertEquals("4714c89857ded9c3e910f1447f7323ef43b81447592480d4d87e4cb23572f960",
            HexFormat.of().formatHex(handle.deriveKey(label, Bytes.of(v2Context))), "KDFv2");
        Bytes mac = handle.deriveAndMac(label, Bytes.of(ctx), "a.b".getBytes(StandardCharsets.US_ASCII));
        assertEquals(32, mac.length());
      }
    }

    @Test
    void closeZeroesTheKeyAndLaterUseIsRefused() throws Exception {
      SoftwareSessionKey handle = new SoftwareSessionKey(sessionKey);
      Field f = SoftwareSessionKey.class.getDeclaredField("key");
      f.setAccessible(true);
      byte[] inside = (byte[]) f.get(handle);
      assertArrayEquals(sessionKey, inside);
      handle.close();
      handle.close();
      assertArrayEquals(new byte[32], inside, "the key bytes are zeroed");
      assertThrows(IllegalStateException.class, () -> handle.deriveKey(label, Bytes.of(ctx)));
      assertTrue(handle.toString().contains("closed"));
    }

    @Test
    void theHandleKeepsItsOwnCopy() {
      byte[] mine = sessionKey.clone();
      try (SoftwareSessionKey handle = new SoftwareSessionKey(mine)) {
        Arrays.fill(mine, (byte) 0);
        assertEquals("907bbb2d8d8a2bb719efaf67ab7bf9abaf1aeb16d1ad16746a5e7f71e888eda7",
            HexFormat.of().formatHex(handle.deriveKey(label, Bytes.of(ctx))));
      }
      assertThrows(IllegalArgumentException.class, () -> new SoftwareSessionKey(new byte[31]));
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
