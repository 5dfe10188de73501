package dev.ngc4j.provider.tpm.internal;

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
import dev.ngc4j.provider.tpm.internal.attest.TpmAttestor;
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
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TPM container store: one directory per container under {@code dataDirectory/containers}, made all or
 * nothing (written into a temporary directory, then renamed into place), read with integrity checks, and deleted
 * by an atomic rename out of the namespace followed by overwriting its files.
 *
 * <p>Thread safety: safe for concurrent use; changes to one container are serialised by {@link ContainerLocks}.
 */
final class TpmStore implements KeyContainerStore {
  static final String CONTAINER_FILE = "container.ngc";
  static final String ATTEMPTS_FILE = "attempts.ngc";
  private static final int MAX_ATTEMPTS_FILE = 4096;
  private static final Logger log = LoggerFactory.getLogger(TpmStore.class);

  private final TpmSession session;
  private final Path root;

  TpmStore(TpmSession session, Path root) {
    this.session = session;
    this.root = root;
  }

  TpmSession session() {
    return session;
  }

  Path directory(ContainerId id) {
    return root.resolve(id.value());
  }

  Path containerFile(ContainerId id) {
    return directory(id).resolve(CONTAINER_FILE);
  }

  Path attemptsFile(ContainerId id) {
    return directory(id).resolve(ATTEMPTS_FILE);
  }

  // -------------------------------------------------------------------------------------------------------------
  // KeyContainerStore
  // -------------------------------------------------------------------------------------------------------------

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(gestures, "gestures");
    session.ensureOpen();
    if (!(key instanceof TpmPooledKey pooled) || !TpmSession.PROVIDER_ID.equals(key.providerId())) {
      throw new IllegalArgumentException(
          "the pooled key comes from provider '" + key.providerId() + "', not from the TPM provider");
    }
    if (!pooled.madeUnder(session.srkName())) {
      throw new IllegalArgumentException("the pooled key was made under another TPM's storage root key");
    }
    pooled.checkBindable();
    if (spec.attestationChallenge().isPresent()) {
      TpmAttestor.checkChallenge(spec.attestationChallenge().get());
    }
    ContainerId id = spec.id();
    ProtectorSpec first = spec.firstProtector();
    try (ContainerLocks.Held held = ContainerLocks.lock(directory(id))) {
      if (Files.exists(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw exists(id);
      }
      GestureRequest request = new GestureRequest(
          first.kind(), GesturePurpose.CREATE, spec.user(), id, TpmSession.PROVIDER_ID, OptionalInt.empty(),
          first.modality(), first.kind() == GestureKind.PIN ? Optional.of(spec.pinPolicy()) : Optional.empty());
      Gesture gesture = gestures.provide(request);
      try {
        requireFits(gesture, first.kind(), first.modality(), request);
        if (gesture instanceof Pin pin) {
          checkPolicy(pin, spec.pinPolicy());
        }
        TpmPooledKey.Claim claim = pooled.claim();
        boolean bound = false;
        try {
          byte[] keyPublic = claim.blob.publicArea();
          Instant now = session.clock().instant();
          ContainerRecord.Protector protector;
          try {
            protector = newProtector(1, gesture, now, claim.blob, claim.auth, id, spec.user(), keyPublic);
          } catch (AuthFailure e) {
            throw e.lockout()
                ? session.tpmLockout("the TPM")
                : new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "The TPM refused the pooled key's own authorisation value (" + TpmRc.hex(e.responseCode()) + ")",
                    "take another key from the pool", e);
          }
          ContainerRecord record = new ContainerRecord(
              id, spec.user(), now, session.srkName(), keyPublic, spec.pinPolicy(), List.of(protector));
          // Attest while the gesture is at hand: TPM2_Certify with the pooled blob and its throwaway authValue, which
          // stay valid until bound() destroys them (the same key, so the same name, as the protector's blob).
          byte @Nullable [] certified = null;
          if (spec.attestationChallenge().isPresent()) {
            byte[] pooledPrivate = claim.blob.privateArea();
            try {
              certified = session.tpmAttestor().certifyNewKey(
                  keyPublic, pooledPrivate, claim.auth, spec.attestationChallenge().get());
            } finally {
              Arrays.fill(pooledPrivate, (byte) 0);
            }
          }
          commit(id, record, certified);
          bound = true;
          log.debug("created TPM container {} (key {})", id, KeyId.of(pooled.publicKey()).shortForm());
        } finally {
          if (bound) {
            pooled.bound();
          } else {
            pooled.release();
          }
        }
      } finally {
        gesture.destroy();
      }
      return open(id);
    }
  }

  /**
   * Makes a protector for a gesture already checked to fit, from a blob of the user key and its current authValue
   * (the pooled key's throwaway value at creation, or a verified protector's value when adding one): a new private
   * blob of the same key via TPM2_ObjectChangeAuth, and for a biometric the sealed object holding that blob's
   * random authValue.
   */
  ContainerRecord.Protector newProtector(int number, Gesture gesture, Instant now, KeyBlob source, byte[] sourceAuth,
      ContainerId id, UserPrincipal user, byte[] keyPublic) throws NgcException, AuthFailure {
    TpmKeys keys = session.keys();
    byte[] keyName = KeyBlob.nameOf(keyPublic);
    byte[] salt = AuthValues.salt();
    if (gesture instanceof Pin pin) {
      byte[] auth = AuthValues.fromPin(pin, salt, user, id, keyName);
      try {
        byte[] keyPrivate = keys.changeAuth(source, sourceAuth, auth);
        try {
          return ContainerRecord.Protector.pin("pin-" + number, now, salt, keyPrivate);
        } finally {
          Arrays.fill(keyPrivate, (byte) 0);
        }
      } finally {
        Arrays.fill(auth, (byte) 0);
      }
    }
    if (gesture instanceof BiometricMatch match) {
      byte[] keyAuth = AuthValues.random();
      byte[] sealAuth = AuthValues.fromBiometric(match, salt, user, id, keyName);
      try {
        byte[] keyPrivate = keys.changeAuth(source, sourceAuth, keyAuth);
        try {
          KeyBlob sealed = keys.seal(sealAuth, keyAuth);
          try {
            return ContainerRecord.Protector.biometric(
                "biometric-" + number, match.modality(), now, salt, keyPrivate, sealed);
          } finally {
            sealed.destroy();
          }
        } finally {
          Arrays.fill(keyPrivate, (byte) 0);
        }
      } finally {
        Arrays.fill(keyAuth, (byte) 0);
        Arrays.fill(sealAuth, (byte) 0);
      }
    }
    throw new IllegalArgumentException("unknown gesture type " + gesture.getClass().getName());
  }

  /**
   * Writes the files (and the attestation statement, if any) into a temporary directory, then renames it into
   * place: the commit point.
   */
  private void commit(ContainerId id, ContainerRecord record, byte @Nullable [] certified) throws NgcException {
    Path temp = root.resolve(AtomicFiles.TEMP + id.value() + "-" + AtomicFiles.suffix());
    boolean committed = false;
    try {
      AtomicFiles.mkdir(temp);
      AtomicFiles.writeNew(temp.resolve(CONTAINER_FILE), record.encode());
      AtomicFiles.writeNew(temp.resolve(ATTEMPTS_FILE), Attempts.fresh(id).encode());
      if (certified != null) {
        AtomicFiles.writeNew(temp.resolve(TpmAttestor.CERTIFIED_KEY_FILE), certified);
      }
      AtomicFiles.syncDirectory(temp);
      if (Files.exists(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw exists(id);
      }
      AtomicFiles.move(temp, directory(id));
      committed = true;
      AtomicFiles.syncDirectory(root);
    } catch (IOException e) {
      throw storageFailure("Could not write the new TPM container " + id, e);
    } finally {
      if (!committed) {
        AtomicFiles.shredTreeQuietly(temp);
      }
    }
  }

  @Override
  public KeyContainer open(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    ContainerRecord record = readContainer(id);
    readAttempts(id);
    if (!MessageDigest.isEqual(record.srkName(), session.srkName())) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "TPM container " + id + " was made under another storage root key: the TPM was cleared, or the data "
              + "directory comes from another device",
          "delete the credential and provision it again on this device",
          null);
    }
    RSAPublicKey publicKey;
    try {
      publicKey = TpmKeys.rsaPublicKey(record.keyPublic());
    } catch (IllegalArgumentException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + containerFile(id) + " is not usable: its key's public area is wrong (" + e.getMessage() + ")", e);
    }
    return new TpmContainer(this, id, record.user, publicKey, KeyId.of(publicKey), record.keyPublic());
  }

  @Override
  public List<ContainerId> list() throws NgcException {
    session.ensureOpen();
    List<ContainerId> ids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = String.valueOf(entry.getFileName());
        if (name.startsWith(".") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try {
          ids.add(ContainerId.of(name));
        } catch (IllegalArgumentException e) {
          log.debug("ignoring {} in the TPM container directory: not a container id", name);
        }
      }
    } catch (IOException e) {
      throw storageFailure("Could not list the TPM containers in " + root, e);
    }
    ids.sort(Comparator.comparing(ContainerId::value));
    return List.copyOf(ids);
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public boolean delete(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    Path dir = directory(id);
    try (ContainerLocks.Held held = ContainerLocks.lock(dir)) {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      Path grave = root.resolve(AtomicFiles.GRAVE + id.value() + "-" + AtomicFiles.suffix());
      try {
        AtomicFiles.move(dir, grave);
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        throw storageFailure("Could not delete TPM container " + id, e);
      }
      AtomicFiles.syncDirectory(root);
      AtomicFiles.shredTreeQuietly(grave);
      log.debug("deleted TPM container {}", id);
      return true;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Files of one container (writers hold the container's lock)
  // -------------------------------------------------------------------------------------------------------------

  ContainerRecord readContainer(ContainerId id) throws NgcException {
    Path file = containerFile(id);
    ContainerRecord record = ContainerRecord.decode(file, readExisting(id, file, FramedFile.MAX_LENGTH));
    if (!record.id.equals(id)) {
      throw FramedFile.corrupted(file, "it belongs to container " + record.id);
    }
    return record;
  }

  Attempts readAttempts(ContainerId id) throws NgcException {
    Path file = attemptsFile(id);
    return Attempts.decode(file, readExisting(id, file, MAX_ATTEMPTS_FILE), id);
  }

  /** Replaces the container file; the replaced file (with the blobs it held) is overwritten and removed. */
  void writeContainer(ContainerRecord record) throws NgcException {
    requireExists(record.id);
    try {
      AtomicFiles.replaceAndShred(containerFile(record.id), record.encode());
    } catch (IOException e) {
      throw storageFailure("Could not write " + containerFile(record.id), e);
    }
  }

  void writeAttempts(Attempts attempts) throws NgcException {
    requireExists(attempts.id());
    try {
      AtomicFiles.replace(attemptsFile(attempts.id()), attempts.encode());
    } catch (IOException e) {
      throw storageFailure("Could not write " + attemptsFile(attempts.id()), e);
    }
  }

  private void requireExists(ContainerId id) throws ContainerNotFoundException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw new ContainerNotFoundException("TPM container " + id + " was deleted");
    }
  }

  private byte[] readExisting(ContainerId id, Path file, int max) throws NgcException {
    if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
      throw new ContainerNotFoundException("No TPM container " + id + " in " + root);
    }
    try {
      return AtomicFiles.read(file, max);
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(directory(id), LinkOption.NOFOLLOW_LINKS)) {
        throw new ContainerNotFoundException("No TPM container " + id + " in " + root);
      }
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + file + " is missing; the container is treated as damaged (a missing attempt counter as locked)",
          ErrorCode.CONTAINER_CORRUPTED.remedy(), e);
    } catch (AtomicFiles.TooLargeException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: it is too large", e);
    } catch (IOException e) {
      throw storageFailure("Could not read " + file, e);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Shared checks
  // -------------------------------------------------------------------------------------------------------------

  /** {@code GESTURE_NOT_ALLOWED} if the source answered with another kind or modality than asked. */
  static void requireFits(Gesture gesture, GestureKind kind, Optional<String> modality, GestureRequest request)
      throws PolicyException {
    boolean fits = kind == GestureKind.PIN
        ? gesture instanceof Pin
        : gesture instanceof BiometricMatch match && modality.equals(Optional.of(match.modality()));
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

  private static NgcException exists(ContainerId id) {
    return new NgcException(ErrorCode.CONTAINER_EXISTS, "A TPM container named " + id + " already exists");
  }

  static NgcException storageFailure(String detail, Exception cause) {
    return new NgcException(ErrorCode.STORAGE_FAILURE, detail + ": " + cause, cause);
  }
}
