package dev.ngc4j.provider.tpm.internal;

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
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.provider.tpm.internal.attest.TpmAttestor;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TPM container store: one directory per container under {@code dataDirectory/containers} (a
 * {@link ContainerDirectory} with {@link ContainerDirectory.Disposal#OVERWRITE}: made all or nothing, read with
 * integrity checks, deleted by an atomic rename out of the namespace followed by overwriting its files, and a
 * replaced container file overwritten too, so an old PIN's blob does not survive a PIN change).
 *
 * <p>The steps of creation, listing, deletion and the record and counter files are {@link ContainerStoreBase}'s; this
 * class binds the key and opens containers.
 *
 * <p>Thread safety: safe for concurrent use; changes to one container are serialised by {@link ContainerLocks}.
 */
final class TpmStore extends ContainerStoreBase<TpmSession, ContainerRecord, TpmPooledKey> {
  /** The magic of this provider's attempt counter files. */
  static final String ATTEMPTS_MAGIC = "NGC4JTPA";
  private static final Logger log = LoggerFactory.getLogger(TpmStore.class);

  TpmStore(TpmSession session, ContainerDirectory containers) {
    super(session, containers, ContainerRecord.MAX_FILE_LENGTH, ContainerRecord::decode);
  }

  /** The container directory of a data directory's {@code containers} directory. */
  static ContainerDirectory containerDirectory(Path containersDirectory) {
    return new ContainerDirectory(
        containersDirectory, "TPM container", ATTEMPTS_MAGIC, ContainerDirectory.Disposal.OVERWRITE);
  }

  // -------------------------------------------------------------------------------------------------------------
  // KeyContainerStore
  // -------------------------------------------------------------------------------------------------------------

  @Override
  protected TpmPooledKey checkCreate(ContainerSpec spec, PooledKey key) throws NgcException {
    TpmPooledKey pooled = ownKey(key, TpmPooledKey.class);
    if (!pooled.madeUnder(session().srkName())) {
      throw new IllegalArgumentException("the pooled key was made under another TPM's storage root key");
    }
    pooled.checkBindable();
    if (spec.attestationChallenge().isPresent()) {
      TpmAttestor.checkChallenge(spec.attestationChallenge().get());
    }
    return pooled;
  }

  /**
   * Gives the pooled key the first protector's blob (TPM2_ObjectChangeAuth from its throwaway authValue), certifies
   * it if the spec asks for attestation, and writes the container with the statement.
   */
  @Override
  protected void bind(ContainerSpec spec, TpmPooledKey pooled, Gesture gesture) throws NgcException {
    ContainerId id = spec.id();
    TpmPooledKey.Claim claim = pooled.claim();
    boolean bound = false;
    try {
      byte[] keyPublic = claim.blob.publicArea();
      Instant now = session().clock().instant();
      ContainerRecord.Protector protector;
      try {
        protector = newProtector(1, gesture, now, claim.blob, claim.auth, id, spec.user(), keyPublic);
      } catch (AuthFailure e) {
        throw e.lockout()
            ? session().tpmLockout("the TPM")
            : new NgcException(ErrorCode.PROVIDER_UNAVAILABLE,
                "The TPM refused the pooled key's own authorisation value (" + TpmRc.hex(e.responseCode()) + ")",
                "take another key from the pool", e);
      }
      ContainerRecord record = new ContainerRecord(id, spec.user(), now, session().srkName(), keyPublic,
          spec.pinPolicy(), ProtectorList.of(List.of(protector)));
      // Attest while the gesture is at hand: TPM2_Certify with the pooled blob and its throwaway authValue, which
      // stay valid until bound() destroys them (the same key, so the same name, as the protector's blob).
      byte @Nullable [] certified = null;
      if (spec.attestationChallenge().isPresent()) {
        byte[] pooledPrivate = claim.blob.privateArea();
        try {
          certified = session().tpmAttestor().certifyNewKey(
              keyPublic, pooledPrivate, claim.auth, spec.attestationChallenge().get());
        } finally {
          Arrays.fill(pooledPrivate, (byte) 0);
        }
      }
      containers().create(id, record.encode(),
          certified == null ? Map.of() : Map.of(TpmAttestor.CERTIFIED_KEY_FILE, certified));
      bound = true;
      log.debug("created TPM container {} (key {})", id, KeyId.of(pooled.publicKey()).shortForm());
    } finally {
      if (bound) {
        pooled.bound();
      } else {
        pooled.release();
      }
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
    TpmKeys keys = session().keys();
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

  @Override
  public KeyContainer open(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session().ensureOpen();
    ContainerRecord record = readContainer(id);
    readCounter(id);
    if (!MessageDigest.isEqual(record.srkName(), session().srkName())) {
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
          "File " + containers().containerFile(id) + " is not usable: its key's public area is wrong ("
              + e.getMessage() + ")", e);
    }
    return new TpmContainer(this, id, record.user, publicKey, record.keyPublic());
  }
}
