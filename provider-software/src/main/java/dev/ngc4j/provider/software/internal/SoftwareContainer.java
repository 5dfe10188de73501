package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.ContainerBase;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.GestureChecks;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A software container. Public data (id, user, public key) is read once when opened; everything else is read from
 * disk, under the container's lock, on every operation, so several sessions of one JVM see the same state.
 *
 * <h2>Gesture checks</h2>
 *
 * <p>Every check follows the same order: read the attempt counter (missing or damaged: fail closed); refuse without
 * asking while locked; ask for the gesture with the attempts remaining; write the failure outcome to disk; derive
 * the protector key and unwrap the container key; on success write the reset counter. Unlocking asks for a biometric
 * first when the container has one and falls back to the PIN when the user cancels it.
 *
 * <p>Thread safety: safe for concurrent use; operations on one container are serialised, gesture prompts included.
 */
final class SoftwareContainer extends ContainerBase {
  private static final Logger log = LoggerFactory.getLogger(SoftwareContainer.class);

  private final SoftwareStore store;

  SoftwareContainer(SoftwareStore store, ContainerId id, UserPrincipal user, PublicKey publicKey) {
    super(id, user, publicKey, "software container", false);
    this.store = store;
  }

  @Override
  protected ProtectorList<ProtectorRecord> currentProtectors() throws NgcException {
    store.session().ensureOpen();
    return current().protectors;
  }

  @Override
  public LockoutState lockoutState() throws NgcException {
    store.session().ensureOpen();
    current();
    return store.session().lockout().state(store.readCounter(id()), store.session().clock().instant());
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public UnlockedKey unlock(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    store.session().ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      byte[] containerKey = verify(gestures, GesturePurpose.UNLOCK, record.protectors.unlockOrder());
      try {
        return new SoftwareUnlockedKey(keyId(), decryptPrivateKey(record, containerKey));
      } finally {
        Arrays.fill(containerKey, (byte) 0);
      }
    }
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(gestures, "gestures");
    store.session().ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      record.protectors.requireNoneLike(spec, describe());
      byte[] containerKey =
          verify(gestures, GesturePurpose.CONFIRM_CURRENT, List.of(record.protectors.confirming()));
      try {
        PinPolicy policy = record.policy.toPolicy();
        GestureRequest request = GestureChecks.newGesture(
            spec, GesturePurpose.ADD_PROTECTOR, user(), id(), SoftwareSession.PROVIDER_ID, policy);
        Gesture gesture = gestures.provide(request);
        ProtectorRecord added;
        try {
          GestureChecks.requireFits(gesture, request);
          if (gesture instanceof Pin pin) {
            GestureChecks.checkPolicy(pin, policy);
          }
          added = store.newProtector(
              record.protectors.size() + 1, gesture, store.session().clock().instant(), containerKey, id(), user());
        } finally {
          gesture.destroy();
        }
        store.writeContainer(record.withProtector(added));
        log.debug("added a {} protector to software container {}", spec.kind(), id());
        return added.info();
      } finally {
        Arrays.fill(containerKey, (byte) 0);
      }
    }
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block's duration
  public void changePin(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    store.session().ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      ProtectorRecord pinProtector = record.protectors.requirePin(describe());
      byte[] containerKey = verify(gestures, GesturePurpose.CONFIRM_CURRENT, List.of(pinProtector));
      try {
        PinPolicy policy = record.policy.toPolicy();
        GestureRequest request = GestureChecks.newGesture(
            ProtectorSpec.pin(), GesturePurpose.CHANGE, user(), id(), SoftwareSession.PROVIDER_ID, policy);
        Gesture gesture = gestures.provide(request);
        ProtectorRecord changed;
        try {
          GestureChecks.requireFits(gesture, request);
          Pin pin = (Pin) gesture;
          GestureChecks.checkPolicy(pin, policy);
          changed = store.session().keys().pinProtector(pinProtector.id(), pinProtector.created(), pin, containerKey,
              id(), user(), store.session().settings().argon2());
        } finally {
          gesture.destroy();
        }
        store.writeContainer(record.withProtector(changed));
        log.debug("changed the PIN of software container {}", id());
      } finally {
        Arrays.fill(containerKey, (byte) 0);
      }
    }
  }

  /** Reads the container file and checks it still holds this container's key (not a deleted-and-recreated one). */
  private ContainerRecord current() throws NgcException {
    ContainerRecord record = store.readContainer(id());
    if (!Arrays.equals(record.publicKey, publicKey().getEncoded())) {
      throw new ContainerNotFoundException(
          "Software container " + id() + " was deleted and created again with another key; open it again");
    }
    return record;
  }

  /**
   * Checks a gesture against the candidates in order (the next one is asked only when the user cancels) and returns
   * the container key, which the caller zeroes.
   */
  private byte[] verify(GestureSource gestures, GesturePurpose purpose, List<ProtectorRecord> candidates)
      throws NgcException {
    SoftwareSession session = store.session();
    LockoutPolicy lockout = session.lockout();
    String what = describe();
    AttemptCounter counter = store.readCounter(id());
    Instant now = session.clock().instant();
    int attemptsRemaining = lockout.attemptsRemaining(counter, now, what);

    for (int i = 0; i < candidates.size(); i++) {
      ProtectorRecord protector = candidates.get(i);
      GestureRequest request =
          protector.header.request(purpose, user(), id(), SoftwareSession.PROVIDER_ID, attemptsRemaining);
      Gesture gesture;
      try {
        gesture = gestures.provide(request);
      } catch (GestureCancelledException e) {
        if (i + 1 < candidates.size()) {
          log.debug("{} prompt cancelled for software container {}; asking for the next protector", protector.kind(),
              id());
          continue;
        }
        throw e;
      }
      try {
        GestureChecks.requireFits(gesture, request);
        // Persist the failure outcome first: a process that dies during the check has already paid the attempt.
        AttemptCounter failed = lockout.afterFailure(counter, session.clock().instant());
        store.writeCounter(failed);
        byte[] containerKey = session.keys().unwrap(protector, gesture, id(), user());
        if (containerKey == null) {
          log.debug("wrong {} for software container {}", protector.kind(), id());
          throw lockout.failure(failed, what);
        }
        try {
          store.writeCounter(AttemptCounter.fresh(id()));
        } catch (NgcException | RuntimeException e) {
          Arrays.fill(containerKey, (byte) 0);
          throw e;
        }
        return containerKey;
      } finally {
        gesture.destroy();
      }
    }
    throw new IllegalStateException("container " + id() + " has no protector to check");
  }

  private PrivateKey decryptPrivateKey(ContainerRecord record, byte[] containerKey) throws NgcException {
    byte[] pkcs8 = store.session().keys().decryptPrivateKey(containerKey, record);
    if (pkcs8 == null) {
      throw new ContainerCorruptedException(
          "File " + containerFile() + " is not usable: the private key does not decrypt with the container "
              + "key (its key or public data was modified)");
    }
    try {
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      if (!(key instanceof RSAPrivateCrtKey rsa)
          || !(publicKey() instanceof RSAPublicKey rsaPublic)
          || !rsa.getModulus().equals(rsaPublic.getModulus())) {
        throw new ContainerCorruptedException(
            "File " + containerFile() + " is not usable: its private key does not match its public key");
      }
      return key;
    } catch (GeneralSecurityException e) {
      throw new ContainerCorruptedException(
          ErrorCode.CONTAINER_CORRUPTED,
          "File " + containerFile() + " holds a private key that does not decode",
          e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private Path containerFile() {
    return store.containers().containerFile(id());
  }
}
