package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.provider.support.testing.ByteSearch;
import dev.ngc4j.provider.support.testing.DeviceKeysChecks;
import dev.ngc4j.provider.support.testing.EnvelopeFixtures;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The software provider's device key, transport key and session-key handles. */
class SoftwareDeviceKeysTest {
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
      open().close();
      assertFalse(Files.exists(dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE)), "nothing before first use");
      DeviceKeysChecks.assertKeysAreMadeOnceAndKept(dir, SoftwareDeviceKeysTest.this::open);
      assertTrue(Files.exists(dir.resolve(SoftwareDeviceKeys.MACHINE_KEY_FILE)));
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
      byte[] machineKey = FramedFile.open(machineFile, Files.readAllBytes(machineFile),
          SoftwareDeviceKeys.MACHINE_KEY_MAGIC, 1).body();
      byte[] file = Files.readAllBytes(keyFile);
      ByteReader r = new ByteReader(FramedFile.open(keyFile, file, SoftwareDeviceKeys.KEY_MAGIC, 1).body());
      assertEquals(1, r.u8());
      byte[] spki = r.bytes();
      byte[] nonce = r.bytes(12);
      byte[] encrypted = r.bytes();
      r.expectEnd();
      byte[] aad = new ByteWriter().raw("NGC4JSWK".getBytes(StandardCharsets.US_ASCII)).u16(1).u8(1).bytes(spki)
          .toByteArray();
      byte[] pkcs8 = Aead.open(machineKey, nonce, aad, encrypted);
      assertNotNull(pkcs8, "the private key decrypts with the machine key and the documented associated data");
      assertFalse(ByteSearch.contains(file, Arrays.copyOfRange(pkcs8, pkcs8.length - 64, pkcs8.length)),
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
    void aDamagedOrSwappedKeyFileIsRefusedAndNotReplaced() throws Exception {
      DeviceKeysChecks.assertSwappedOrDamagedKeyFileIsRefused(dir, SoftwareDeviceKeysTest.this::open);
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
    void signsRs256WithTheDeviceKeyAndRefusesEveryOtherAlgorithm() throws Exception {
      try (SoftwareSession s = open()) {
        DeviceKeysChecks.assertSignsRs256Only(keysOf(s));
      }
    }
  }

  @Nested
  class Unwrapping {
    static final byte[] SESSION_KEY = sequence(32, 0x10);

    /** What a directory sends: the session key wrapped with OAEP(hash, MGF1(mgfHash)) and a GCM-sealed payload. */
    static SessionKeyEnvelope envelope(
        PublicKey recipient, KeyWrapAlgorithm claimed, String oaepHash, String mgfHash, byte[] cek) throws Exception {
      return EnvelopeFixtures.wrapped(recipient, claimed, oaepHash, mgfHash, cek);
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
      try (SoftwareSession s = open()) {
        DeviceKeys keys = keysOf(s);
        PublicKey transport = keys.transportKey();
        SessionKeyEnvelope good = envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", SESSION_KEY);
        try (SessionKeyHandle ok = keys.unwrapSessionKey(good)) {
          assertNotNull(ok, "the untampered envelope unwraps");
        }
        EnvelopeFixtures.assertAllRefusedAlike(keys,
            EnvelopeFixtures.refusedEnvelopes(good, transport, keys.deviceKey(), SESSION_KEY),
            SessionKeyEnvelopes.unwrapFailure());
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
}
