package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ContainerDirectory;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.ContainerStoreBase;
import dev.ngc4j.provider.support.FramedFile;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.provider.support.StoredPinPolicy;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container store: one directory per container under {@code dataDirectory/containers} (a
 * {@link ContainerDirectory}: created all or nothing, read with full integrity checks, deleted by an atomic rename
 * out of the namespace first), holding a {@link ContainerRecord} and the attempt counter.
 *
 * <p>The steps of creation, listing, deletion and the record and counter files are {@link ContainerStoreBase}'s; this
 * class binds the key and opens containers.
 *
 * <p>Thread safety: safe for concurrent use; changes to one container are serialised by {@link ContainerLocks}.
 */
final class SoftwareStore extends ContainerStoreBase<SoftwareSession, ContainerRecord, SoftwarePooledKey> {
  /** The magic of this provider's attempt counter files. */
  static final String ATTEMPTS_MAGIC = "NGC4JSWA";
  private static final Logger log = LoggerFactory.getLogger(SoftwareStore.class);

  SoftwareStore(SoftwareSession session, ContainerDirectory containers) {
    super(session, containers, ContainerRecord.MAX_FILE_LENGTH, ContainerRecord::decode);
  }

  /** The container directory of a data directory's {@code containers} directory (which exists). */
  static ContainerDirectory containerDirectory(Path containersDirectory) {
    return new ContainerDirectory(
        containersDirectory, "software container", ATTEMPTS_MAGIC, ContainerDirectory.Disposal.DELETE);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // KeyContainerStore
  // ----------------------------------------------------------------------------------------------------------------

  @Override
  protected SoftwarePooledKey checkCreate(ContainerSpec spec, PooledKey key) {
    SoftwarePooledKey pooled = ownKey(key, SoftwarePooledKey.class);
    pooled.checkBindable();
    return pooled;
  }

  /** Encrypts the pooled private key under a new container key, which the gesture's protector wraps. */
  @Override
  protected void bind(ContainerSpec spec, SoftwarePooledKey pooled, Gesture gesture) throws NgcException {
    byte[] containerKey = session().keys().newContainerKey();
    try {
      KeyPair pair = pooled.claim();
      boolean bound = false;
      try {
        ContainerRecord record = newRecord(spec, StoredPinPolicy.of(spec.pinPolicy()), pair, gesture, containerKey);
        containers().create(spec.id(), record.encode(), Map.of());
        bound = true;
        log.debug("created software container {} (key {})", spec.id(), KeyId.of(pair.getPublic()).shortForm());
      } finally {
        if (bound) {
          pooled.bound();
        } else {
          pooled.release();
        }
      }
    } finally {
      Arrays.fill(containerKey, (byte) 0);
    }
  }

  private ContainerRecord newRecord(
      ContainerSpec spec, StoredPinPolicy policy, KeyPair pair, Gesture gesture, byte[] containerKey) {
    ContainerKeys keys = session().keys();
    Instant now = session().clock().instant();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    ContainerKeys.EncryptedKey encrypted;
    try {
      encrypted = keys.encryptPrivateKey(containerKey, pkcs8, spec.id(), spec.user(), spki);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
    ProtectorRecord protector = newProtector(1, gesture, now, containerKey, spec.id(), spec.user());
    return new ContainerRecord(spec.id(), spec.user(), now, spki, policy, encrypted.nonce, encrypted.ciphertext,
        ProtectorList.of(List.of(protector)));
  }

  /** Makes a protector for a gesture already checked to fit; {@code number} makes its id unique. */
  ProtectorRecord newProtector(
      int number, Gesture gesture, Instant now, byte[] containerKey, ContainerId id, UserPrincipal user) {
    ContainerKeys keys = session().keys();
    if (gesture instanceof Pin pin) {
      return keys.pinProtector("pin-" + number, now, pin, containerKey, id, user, session().settings().argon2());
    }
    if (gesture instanceof BiometricMatch match) {
      return keys.biometricProtector("biometric-" + number, now, match, containerKey, id, user);
    }
    throw new IllegalArgumentException("unknown gesture type " + gesture.getClass().getName());
  }

  @Override
  public KeyContainer open(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session().ensureOpen();
    ContainerRecord record = readContainer(id);
    readCounter(id);
    PublicKey publicKey = decodePublicKey(containers().containerFile(id), record.publicKey);
    return new SoftwareContainer(this, id, record.user, publicKey);
  }

  static PublicKey decodePublicKey(Path file, byte[] spki) throws ContainerCorruptedException {
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
      if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() != 2048) {
        throw FramedFile.corrupted(file, "its public key is not an RSA-2048 key");
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED, "File " + file + " is not usable: its public key does not decode", e);
    }
  }
}
