package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.ContainerDirectory;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import dev.ngc4j.provider.support.testing.ByteSearch;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.TestBiometricModality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk guarantees: integrity checks, fail-closed counters, permissions, no clear keys, leftovers. */
class ContainerStorageTest {
  static final ProviderSettings FAST = new ProviderSettings(1024, 1, 1, 5, Duration.ofSeconds(60));
  static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  static final ContainerId ID = ContainerId.of("alice-1");
  static final char[] PIN = "314159".toCharArray();
  static final char[] NEW_PIN = "271828".toCharArray();

  private Path data;
  private MutableClock clock;
  private SoftwareSession session;

  @BeforeEach
  void open(@TempDir Path temp) throws Exception {
    data = temp.resolve("software");
    clock = MutableClock.create();
    session = SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST);
  }

  @AfterEach
  void close() {
    session.close();
  }

  private KeyContainer create() throws NgcException {
    return session.containers().create(
        new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()),
        session.keySource().generate(),
        ScriptedGestures.create().pin(PIN));
  }

  private Path containerFile() {
    return data.resolve("containers").resolve(ID.value()).resolve(ContainerDirectory.CONTAINER_FILE);
  }

  private Path attemptsFile() {
    return data.resolve("containers").resolve(ID.value()).resolve(ContainerDirectory.ATTEMPTS_FILE);
  }

  private static ContainerCorruptedException assertCorrupted(Path file, Call call) {
    ContainerCorruptedException e = assertThrows(ContainerCorruptedException.class, call::run);
    assertEquals(ErrorCode.CONTAINER_CORRUPTED, e.code());
    assertTrue(e.detail().contains(String.valueOf(file.getFileName())), e::getMessage);
    return e;
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  private static List<Path> allFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
  }

  @Nested
  class DamagedContainerFiles {
    @Test
    void aFlippedByteAnywhereIsDetectedAndTheFileIsLeftUntouched() throws Exception {
      KeyContainer handle = create();
      byte[] original = Files.readAllBytes(containerFile());
      int[] offsets = {0, 7, 9, 12, 20, original.length / 3, original.length / 2, original.length - 40,
          original.length - 1};
      for (int offset : offsets) {
        byte[] damaged = original.clone();
        damaged[offset] ^= 0x01;
        Files.write(containerFile(), damaged);

        assertCorrupted(containerFile(), () -> session.containers().open(ID));
        assertCorrupted(containerFile(), () -> handle.unlock(ScriptedGestures.create()));
        assertCorrupted(containerFile(), handle::protectors);
        assertArrayEquals(damaged, Files.readAllBytes(containerFile()), "a read must not rewrite the file");
        assertEquals(List.of(ID), session.containers().list(), "a damaged container is still listed");
      }
      Files.write(containerFile(), original);
      handle.unlock(ScriptedGestures.create().pin(PIN)).close();
    }

    @Test
    void aTruncatedOrEmptyFileIsDetected() throws Exception {
      create();
      byte[] original = Files.readAllBytes(containerFile());
      for (int length : new int[] {0, 5, 13, 46, original.length / 2, original.length - 1}) {
        byte[] truncated = Arrays.copyOf(original, length);
        Files.write(containerFile(), truncated);
        assertCorrupted(containerFile(), () -> session.containers().open(ID));
        assertArrayEquals(truncated, Files.readAllBytes(containerFile()));
      }
      byte[] longer = Arrays.copyOf(original, original.length + 1);
      Files.write(containerFile(), longer);
      assertCorrupted(containerFile(), () -> session.containers().open(ID));
    }

    @Test
    void aMissingContainerFileIsCorruptionNotAbsence() throws Exception {
      create();
      Files.delete(containerFile());
      assertCorrupted(containerFile(), () -> session.containers().open(ID));
      assertFalse(Files.exists(containerFile()));
    }

    @Test
    void aFileFromAFutureFormatIsRefusedWithItsVersion() throws Exception {
      create();
      byte[] original = Files.readAllBytes(containerFile());
      byte[] body = FramedFile.open(containerFile(), original, ContainerRecord.MAGIC, 1).body();
      byte[] future = FramedFile.seal(ContainerRecord.MAGIC, 2, body);
      Files.write(containerFile(), future);
      ContainerCorruptedException e = assertCorrupted(containerFile(), () -> session.containers().open(ID));
      assertTrue(e.detail().contains("version 2"), e::getMessage);
      assertArrayEquals(future, Files.readAllBytes(containerFile()));
    }

    @Test
    void aResealedFileWithAnotherPublicKeyDoesNotDecrypt() throws Exception {
      create();
      ContainerRecord record = ContainerRecord.decode(containerFile(), Files.readAllBytes(containerFile()));
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] otherKey = generator.generateKeyPair().getPublic().getEncoded();
      ContainerRecord swapped = new ContainerRecord(record.id, record.user, record.created, otherKey, record.policy,
          record.keyNonce, record.encryptedKey, record.protectors);
      Files.write(containerFile(), swapped.encode());

      KeyContainer reopened = session.containers().open(ID);
      assertCorrupted(containerFile(), () -> reopened.unlock(ScriptedGestures.create().pin(PIN)));
    }
  }

  @Nested
  class TheAttemptCounter {
    @Test
    void aMissingCounterFailsClosedWithoutAskingForAGesture() throws Exception {
      KeyContainer handle = create();
      Files.delete(attemptsFile());
      ScriptedGestures nothing = ScriptedGestures.create();
      assertCorrupted(attemptsFile(), () -> handle.unlock(nothing));
      assertCorrupted(attemptsFile(), () -> handle.changePin(nothing));
      assertCorrupted(attemptsFile(), handle::lockoutState);
      assertCorrupted(attemptsFile(), () -> session.containers().open(ID));
      assertEquals(List.of(), nothing.requests());
      assertFalse(Files.exists(attemptsFile()), "a missing counter must never be recreated as reset");

      assertTrue(session.containers().delete(ID), "the remedy works: a damaged container can be deleted");
      assertEquals(List.of(), session.containers().list());
    }

    @Test
    void aDamagedCounterFailsClosedAndIsLeftUntouched() throws Exception {
      KeyContainer handle = create();
      byte[] damaged = Files.readAllBytes(attemptsFile());
      damaged[damaged.length / 2] ^= 0x40;
      Files.write(attemptsFile(), damaged);
      assertCorrupted(attemptsFile(), () -> handle.unlock(ScriptedGestures.create()));
      assertArrayEquals(damaged, Files.readAllBytes(attemptsFile()));
    }

    @Test
    void aCounterCopiedFromAnotherContainerIsRefused() throws Exception {
      KeyContainer handle = create();
      session.containers().create(
          new ContainerSpec(ContainerId.of("bob-1"), ALICE, ProtectorSpec.pin(), PinPolicy.defaults()),
          session.keySource().generate(), ScriptedGestures.create().pin(PIN));
      Path bobs = data.resolve("containers").resolve("bob-1").resolve(ContainerDirectory.ATTEMPTS_FILE);
      Files.copy(bobs, attemptsFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ContainerCorruptedException e = assertCorrupted(attemptsFile(), handle::lockoutState);
      assertTrue(e.detail().contains("another container"), e::getMessage);
    }

    @Test
    void theAttemptIsPaidBeforeTheGestureIsChecked(@TempDir Path other) throws Exception {
      create();
      session.close();
      RuntimeException crash = new IllegalStateException("simulated crash during the PIN check");
      KeyDerivation crashing = new KeyDerivation() {
        @Override
        public byte[] fromPin(byte[] pin, byte[] salt, Argon2Params params, byte[] secret, byte[] binding) {
          throw crash;
        }

        @Override
        public byte[] fromBiometric(byte[] secret, byte[] salt, byte[] deviceSecret, byte[] binding) {
          throw crash;
        }
      };
      try (SoftwareSession dying = SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST, crashing)) {
        KeyContainer container = dying.containers().open(ID);
        RuntimeException thrown =
            assertThrows(RuntimeException.class, () -> container.unlock(ScriptedGestures.create().pin(PIN)));
        assertEquals(crash, thrown);
      }
      session = SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST);
      KeyContainer container = session.containers().open(ID);
      assertEquals(4, container.lockoutState().attemptsRemaining(), "the interrupted check still cost an attempt");
      container.unlock(ScriptedGestures.create().pin(PIN)).close();
      assertEquals(5, container.lockoutState().attemptsRemaining());
    }

    @Test
    void theCounterIsWrittenAtomicallyAndReadBackExactly() throws Exception {
      KeyContainer handle = create();
      assertThrows(NgcException.class, () -> handle.unlock(ScriptedGestures.create().pin(NEW_PIN)));
      AttemptCounter counter =
          AttemptCounter.decode(attemptsFile(), Files.readAllBytes(attemptsFile()), SoftwareStore.ATTEMPTS_MAGIC, ID);
      assertEquals(new AttemptCounter(ID, 1, 0, null), counter);
    }
  }

  @Nested
  class Confidentiality {
    @Test
    void filesAndDirectoriesAreOwnerOnly() throws Exception {
      KeyContainer container = create();
      container.changePin(ScriptedGestures.create().pin(PIN).pin(NEW_PIN));
      TestBiometricModality face = TestBiometricModality.withId("face");
      container.addProtector(ProtectorSpec.biometric("face"), ScriptedGestures.create().pin(NEW_PIN).biometric(face));
      try (Stream<Path> all = Files.walk(data)) {
        for (Path p : all.toList()) {
          String expected = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
          assertEquals(expected,
              PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)),
              () -> p + " is not owner-only");
        }
      }
    }

    @Test
    void thePrivateKeyAndThePinNeverAppearInClearOnDisk() throws Exception {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) pair.getPrivate();
      List<byte[]> secrets = new ArrayList<>();
      secrets.add(privateKey.getEncoded());
      secrets.add(privateKey.getPrivateExponent().toByteArray());
      secrets.add(privateKey.getPrimeP().toByteArray());
      secrets.add(privateKey.getPrimeQ().toByteArray());
      secrets.add(new String(PIN).getBytes(StandardCharsets.UTF_8));
      secrets.add(new String(NEW_PIN).getBytes(StandardCharsets.UTF_8));

      KeyContainer container = session.containers().create(
          new ContainerSpec(ID, ALICE, ProtectorSpec.pin(), PinPolicy.defaults()),
          new SoftwarePooledKey(SoftwareSession.PROVIDER_ID, pair),
          ScriptedGestures.create().pin(PIN));
      container.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[] {1}, ScriptedGestures.create().pin(PIN));
      container.changePin(ScriptedGestures.create().pin(PIN).pin(NEW_PIN));
      assertThrows(NgcException.class, () -> container.unlock(ScriptedGestures.create().pin(PIN)));

      List<Path> files = allFiles(data);
      assertTrue(files.size() >= 3, files::toString);
      for (Path file : files) {
        byte[] content = Files.readAllBytes(file);
        for (byte[] secret : secrets) {
          assertFalse(ByteSearch.contains(content, secret), () -> file + " contains secret material in clear");
        }
      }
      assertTrue(ByteSearch.contains(Files.readAllBytes(containerFile()), pair.getPublic().getEncoded()),
          "the check is meaningful: the public key is stored in clear");
    }
  }

  @Nested
  class Leftovers {
    @Test
    void noTemporaryFilesRemainAfterNormalOperations() throws Exception {
      KeyContainer container = create();
      container.changePin(ScriptedGestures.create().pin(PIN).pin(NEW_PIN));
      assertThrows(NgcException.class, () -> container.unlock(ScriptedGestures.create().pin(PIN)));
      session.containers().delete(ID);
      try (Stream<Path> all = Files.walk(data)) {
        List<Path> stray = all.filter(p -> String.valueOf(p.getFileName()).startsWith(".")).toList();
        assertEquals(List.of(), stray);
      }
    }

    @Test
    void leftoversOfInterruptedOperationsAreNeverContainersAndAreCleanedUp() throws Exception {
      create();
      Path containers = data.resolve("containers");
      Path grave = containers.resolve(OwnerOnlyFiles.GRAVE_PREFIX + "old-1-0011223344556677");
      Path oldTemp = containers.resolve(OwnerOnlyFiles.TEMP_PREFIX + "old-2-8899aabbccddeeff");
      Path freshTemp = containers.resolve(OwnerOnlyFiles.TEMP_PREFIX + "new-3-0123456789abcdef");
      Path oldTempFile = containers.resolve(ID.value()).resolve(OwnerOnlyFiles.TEMP_PREFIX + "container.ngc-00");
      for (Path dir : List.of(grave, oldTemp, freshTemp)) {
        Files.createDirectory(dir);
        Files.write(dir.resolve(ContainerDirectory.CONTAINER_FILE), Files.readAllBytes(containerFile()));
      }
      Files.write(oldTempFile, new byte[] {1, 2, 3});
      FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
      Files.setLastModifiedTime(oldTemp, hourAgo);
      Files.setLastModifiedTime(oldTempFile, hourAgo);
      assertEquals(List.of(ID), session.containers().list());

      session.close();
      session = SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST);
      assertEquals(List.of(ID), session.containers().list());
      assertFalse(Files.exists(grave));
      assertFalse(Files.exists(oldTemp));
      assertFalse(Files.exists(oldTempFile));
      assertTrue(Files.exists(freshTemp), "a young temporary directory may belong to a running creation");
    }
  }

  @Nested
  class TheDeviceSecret {
    @Test
    void isCreatedOnceAndReused() throws Exception {
      Path file = data.resolve(SoftwareSession.DEVICE_SECRET_FILE);
      byte[] first = Files.readAllBytes(file);
      session.close();
      session = SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST);
      assertArrayEquals(first, Files.readAllBytes(file));
    }

    @Test
    void aMissingSecretNextToContainersFailsClosed() throws Exception {
      create();
      session.close();
      Files.delete(data.resolve(SoftwareSession.DEVICE_SECRET_FILE));
      ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
          () -> SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST));
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertFalse(Files.exists(data.resolve(SoftwareSession.DEVICE_SECRET_FILE)));
    }

    @Test
    void aDamagedSecretFailsClosed() throws Exception {
      create();
      session.close();
      Path file = data.resolve(SoftwareSession.DEVICE_SECRET_FILE);
      byte[] damaged = Files.readAllBytes(file);
      damaged[20] ^= 1;
      Files.write(file, damaged);
      assertThrows(ProviderUnavailableException.class,
          () -> SoftwareSession.open(new ProviderContext(data, clock, Map.of()), FAST));
      assertArrayEquals(damaged, Files.readAllBytes(file));
    }
  }
}
