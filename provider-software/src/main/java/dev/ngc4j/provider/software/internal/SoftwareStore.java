package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container store: one directory per container under {@code dataDirectory/containers}, created all or nothing
 * (written into a temporary directory, then renamed into place), read with full integrity checks, deleted by an
 * atomic rename out of the namespace first.
 *
 * <p>Thread safety: safe for concurrent use; changes to one container are serialised by {@link ContainerLocks}.
 */
final class SoftwareStore implements KeyContainerStore {
  static final String CONTAINER_FILE = "container.ngc";
  static final String ATTEMPTS_FILE = "attempts.ngc";
  private static final int MAX_COUNTER_FILE_LENGTH = 4096;
  private static final Logger log = LoggerFactory.getLogger(SoftwareStore.class);

  private final SoftwareSession session;
  private final Path containersDirectory;

  SoftwareStore(SoftwareSession session, Path containersDirectory) {
    this.session = session;
    this.containersDirectory = containersDirectory;
  }

  SoftwareSession session() {
    return session;
  }

  Path directory(ContainerId id) {
    return containersDirectory.resolve(id.value());
  }

  Path containerFile(ContainerId id) {
    return directory(id).resolve(CONTAINER_FILE);
  }

  Path attemptsFile(ContainerId id) {
    return directory(id).resolve(ATTEMPTS_FILE);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // KeyContainerStore
  // ----------------------------------------------------------------------------------------------------------------

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(gestures, "gestures");
    session.ensureOpen();
    if (!(key instanceof SoftwarePooledKey pooled) || !SoftwareSession.PROVIDER_ID.equals(key.providerId())) {
      throw new IllegalArgumentException(
          "the pooled key comes from provider '" + key.providerId() + "', not from the software provider");
    }
    pooled.checkBindable();
    PolicyRecord policy = PolicyRecord.of(spec.pinPolicy());
    ContainerId id = spec.id();
    ProtectorSpec first = spec.firstProtector();

    try (ContainerLocks.Held held = ContainerLocks.lock(directory(id))) {
      if (Files.exists(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw exists(id);
      }
      GestureRequest request = new GestureRequest(
          first.kind(), GesturePurpose.CREATE, spec.user(), id, SoftwareSession.PROVIDER_ID, OptionalInt.empty(),
          first.modality(), first.kind() == GestureKind.PIN ? Optional.of(spec.pinPolicy()) : Optional.empty());
      Gesture gesture = gestures.provide(request);
      byte[] containerKey = session.keys().newContainerKey();
      try {
        requireFits(gesture, first.kind(), first.modality(), request);
        if (gesture instanceof Pin pin) {
          checkPolicy(pin, spec.pinPolicy());
        }
        KeyPair pair = pooled.claim();
        boolean bound = false;
        try {
          ContainerRecord record = newRecord(spec, policy, pair, gesture, containerKey);
          commitNewContainer(id, record);
          bound = true;
          log.debug("created software container {} (key {})", id, KeyId.of(pair.getPublic()).shortForm());
        } finally {
          if (bound) {
            pooled.bound();
          } else {
            pooled.release();
          }
        }
      } finally {
        Arrays.fill(containerKey, (byte) 0);
        gesture.destroy();
      }
      return open(id);
    }
  }

  private ContainerRecord newRecord(
      ContainerSpec spec, PolicyRecord policy, KeyPair pair, Gesture gesture, byte[] containerKey) {
    ContainerKeys keys = session.keys();
    Instant now = session.clock().instant();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    ContainerKeys.EncryptedKey encrypted;
    try {
      encrypted = keys.encryptPrivateKey(containerKey, pkcs8, spec.id(), spec.user(), spki);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    ProtectorRecord protector = newProtector(1, gesture, now, containerKey, spec.id(), spec.user());
    return new ContainerRecord(
        spec.id(), spec.user(), now, spki, policy, encrypted.nonce, encrypted.ciphertext, List.of(protector));
  }

  /** Makes a protector for a gesture already checked to fit; {@code number} makes its id unique. */
  ProtectorRecord newProtector(
      int number, Gesture gesture, Instant now, byte[] containerKey, ContainerId id, UserPrincipal user) {
    ContainerKeys keys = session.keys();
    if (gesture instanceof Pin pin) {
      return keys.pinProtector("pin-" + number, now, pin, containerKey, id, user, session.settings().argon2());
    }
    if (gesture instanceof BiometricMatch match) {
      return keys.biometricProtector("biometric-" + number, now, match, containerKey, id, user);
    }
    throw new IllegalArgumentException("unknown gesture type " + gesture.getClass().getName());
  }

  /** Writes both files into a temporary directory, then renames it into place: the commit point. */
  private void commitNewContainer(ContainerId id, ContainerRecord record) throws NgcException {
    Path temp =
        containersDirectory.resolve(OwnerOnlyFiles.TEMP_PREFIX + id.value() + "-" + OwnerOnlyFiles.randomSuffix());
    boolean committed = false;
    try {
      OwnerOnlyFiles.createDirectory(temp);
      OwnerOnlyFiles.writeNew(temp.resolve(CONTAINER_FILE), record.encode());
      OwnerOnlyFiles.writeNew(temp.resolve(ATTEMPTS_FILE), CounterRecord.fresh(id).encode());
      OwnerOnlyFiles.syncDirectory(temp);
      if (Files.exists(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw exists(id);
      }
      OwnerOnlyFiles.moveAtomically(temp, directory(id));
      committed = true;
      OwnerOnlyFiles.syncDirectory(containersDirectory);
    } catch (IOException e) {
      throw storageFailure("Could not write the new container " + id, e);
    } finally {
      if (!committed) {
        OwnerOnlyFiles.deleteQuietly(temp);
      }
    }
  }

  @Override
  public KeyContainer open(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    ContainerRecord record = readContainer(id);
    readCounter(id);
    PublicKey publicKey = decodePublicKey(containerFile(id), record.publicKey);
    return new SoftwareContainer(this, id, record.user, publicKey, KeyId.of(publicKey));
  }

  @Override
  public List<ContainerId> list() throws NgcException {
    session.ensureOpen();
    List<ContainerId> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(containersDirectory)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          ids.add(ContainerId.of(name));
        } catch (IllegalArgumentException e) {
          log.debug("ignoring {} in the container directory: not a container id", name);
        }
      }
    } catch (IOException e) {
      throw storageFailure("Could not list the containers in " + containersDirectory, e);
    }
    ids.sort(Comparator.comparing(ContainerId::value));
    return List.copyOf(ids);
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public boolean delete(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    Path dir = directory(id);
    try (ContainerLocks.Held held = ContainerLocks.lock(dir)) {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Path grave =
          containersDirectory.resolve(OwnerOnlyFiles.GRAVE_PREFIX + id.value() + "-" + OwnerOnlyFiles.randomSuffix());
      try {
        OwnerOnlyFiles.moveAtomically(dir, grave);
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        throw storageFailure("Could not delete container " + id, e);
      }
      OwnerOnlyFiles.syncDirectory(containersDirectory);
      OwnerOnlyFiles.deleteQuietly(grave);
      log.debug("deleted software container {}", id);
      return true;
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Reading and writing one container's files (callers hold the container's lock for writes)
  // ----------------------------------------------------------------------------------------------------------------

  ContainerRecord readContainer(ContainerId id) throws NgcException {
    Path file = containerFile(id);
    byte[] data = readExisting(id, file, SealedFile.MAX_FILE_LENGTH);
    ContainerRecord record = ContainerRecord.decode(file, data);
    if (!record.id.equals(id)) {
      throw SealedFile.corrupted(file, "it belongs to container " + record.id);
    }
    return record;
  }

  CounterRecord readCounter(ContainerId id) throws NgcException {
    Path file = attemptsFile(id);
    return CounterRecord.decode(file, readExisting(id, file, MAX_COUNTER_FILE_LENGTH), id);
  }

  private byte[] readExisting(ContainerId id, Path file, int maxLength) throws NgcException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw new ContainerNotFoundException("No software container " + id + " in " + containersDirectory);
    }
    try {
      return OwnerOnlyFiles.read(file, maxLength);
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw new ContainerNotFoundException("No software container " + id + " in " + containersDirectory);
      }
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " is missing; without it the container is treated as damaged (and, for the attempt "
              + "counter, as locked)",
          ErrorCode.CONTAINER_CORRUPTED.remedy(),
          e);
    } catch (OwnerOnlyFiles.FileTooLargeException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: it is too large", e);
    } catch (IOException e) {
      throw storageFailure("Could not read " + file, e);
    }
  }

  void writeContainer(ContainerRecord record) throws NgcException {
    write(record.id, containerFile(record.id), record.encode());
  }

  void writeCounter(CounterRecord counter) throws NgcException {
    write(counter.containerId(), attemptsFile(counter.containerId()), counter.encode());
  }

  private void write(ContainerId id, Path file, byte[] data) throws NgcException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw new ContainerNotFoundException("Software container " + id + " was deleted");
    }
    try {
      OwnerOnlyFiles.writeAtomically(file, data);
    } catch (IOException e) {
      throw storageFailure("Could not write " + file, e);
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Shared checks
  // ----------------------------------------------------------------------------------------------------------------

  /** Throws {@code GESTURE_NOT_ALLOWED} if the source answered with another kind or modality than asked. */
  static void requireFits(Gesture gesture, GestureKind kind, Optional<String> modality, GestureRequest request)
      throws PolicyException {
    boolean fits;
    if (kind == GestureKind.PIN) {
      fits = gesture instanceof Pin;
    } else {
      fits = gesture instanceof BiometricMatch match && modality.equals(Optional.of(match.modality()));
    }
    if (!fits) {
      throw new PolicyException(
          ErrorCode.GESTURE_NOT_ALLOWED,
          "The gesture source answered a " + kind + modality.map(m -> " (" + m + ")").orElse("") + " request for "
              + request.purpose() + " with a " + gesture.kind() + " gesture",
          "answer each gesture request with the kind and modality it asks for",
          null);
    }
  }

  static void checkPolicy(Pin pin, PinPolicy policy) throws PolicyException {
    char[] chars = pin.copyChars();
    try {
      policy.check(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  static PublicKey decodePublicKey(Path file, byte[] spki) throws ContainerCorruptedException {
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
      if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() != 2048) {
        throw SealedFile.corrupted(file, "its public key is not an RSA-2048 key");
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: its public key does not decode", e);
    }
  }

  private static NgcException exists(ContainerId id) {
    return new NgcException(ErrorCode.CONTAINER_EXISTS, "A software container named " + id + " already exists");
  }

  static NgcException storageFailure(String detail, Exception cause) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, detail + ": " + cause, cause);
  }
}
