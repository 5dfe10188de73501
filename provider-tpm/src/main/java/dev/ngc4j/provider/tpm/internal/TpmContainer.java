package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.ContainerBase;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.GestureChecks;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TPM container. Public data (id, user, public key) is read when it is opened; protectors and the attempt counter
 * are read from disk, under the container's lock, on every operation.
 *
 * <h2>Checking a gesture</h2>
 *
 * <ol>
 *   <li>Read the attempt counter (missing or damaged: fail closed); while the provider's lockout lasts, refuse
 *       without asking. While the TPM itself is in dictionary-attack lockout, refuse without asking too, with the
 *       TPM's time to wait.
 *   <li>Ask for the gesture with the attempts remaining (a biometric first if there is one; the PIN if the user
 *       cancels it).
 *   <li>Write the counter as if the gesture were wrong, then let the TPM judge: for a PIN, derive the authValue and
 *       authorise a TPM2_ObjectChangeAuth to the same value on the PIN's blob (0.2 ms, result discarded); for a
 *       biometric, derive the sealed object's authValue and unseal the key's authValue. TPM_RC_AUTH_FAIL leaves the
 *       failure counted; TPM_RC_LOCKOUT restores the counter (the TPM did not look at the value) and reports the
 *       TPM's lockout; success resets the counter.
 * </ol>
 *
 * <p>Thread safety: safe for concurrent use; operations on one container are serialised, prompts included.
 */
final class TpmContainer extends ContainerBase {
  private static final Logger log = LoggerFactory.getLogger(TpmContainer.class);

  private final TpmStore store;
  private final byte[] keyPublic;

  TpmContainer(TpmStore store, ContainerId id, UserPrincipal user, RSAPublicKey publicKey, byte[] keyPublic) {
    super(id, user, publicKey, "TPM container", true);
    this.store = store;
    this.keyPublic = keyPublic.clone();
  }

  TpmStore store() {
    return store;
  }

  @Override
  protected ProtectorList<ContainerRecord.Protector> currentProtectors() throws NgcException {
    store.session().ensureOpen();
    return current().protectors;
  }

  /**
   * Returns the provider's lockout state of this container; when the container itself is not locked but the TPM
   * is in dictionary-attack lockout, reports locked with the TPM's time to wait.
   */
  @Override
  public LockoutState lockoutState() throws NgcException {
    TpmSession session = store.session();
    session.ensureOpen();
    current();
    LockoutPolicy policy = session.lockout();
    LockoutState state = policy.state(store.readCounter(id()), session.clock().instant());
    if (state.lockedOut()) {
      return state;
    }
    TpmKeys.DaState da = session.keys().dictionaryAttackState();
    if (da.inLockout()) {
      return new LockoutState(0, policy.maxAttempts(),
          da.timeToWait().map(d -> session.clock().instant().plus(d)), true);
    }
    return state;
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public UnlockedKey unlock(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    store.session().ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      Verified v = verify(gestures, GesturePurpose.UNLOCK, record.protectors.unlockOrder());
      return new TpmUnlockedKey(this, keyId(), v.blob, v.auth);
    }
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(gestures, "gestures");
    TpmSession session = store.session();
    session.ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      record.protectors.requireNoneLike(spec, describe());
      Verified v = verify(gestures, GesturePurpose.CONFIRM_CURRENT, List.of(record.protectors.confirming()));
      try {
        PinPolicy policy = record.policy;
        GestureRequest request =
            GestureChecks.newGesture(spec, GesturePurpose.ADD_PROTECTOR, user(), id(), TpmSession.PROVIDER_ID, policy);
        Gesture gesture = gestures.provide(request);
        ContainerRecord.Protector added;
        try {
          GestureChecks.requireFits(gesture, request);
          if (gesture instanceof Pin pin) {
            GestureChecks.checkPolicy(pin, policy);
          }
          added = store.newProtector(record.protectors.size() + 1, gesture, session.clock().instant(), v.blob,
              v.auth, id(), user(), keyPublic);
        } catch (AuthFailure e) {
          throw refusedAfterVerification(e);
        } finally {
          gesture.destroy();
        }
        store.writeContainer(record.with(added));
        log.debug("added a {} protector to TPM container {}", spec.kind(), id());
        return added.info();
      } finally {
        v.destroy();
      }
    }
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public void changePin(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    TpmSession session = store.session();
    session.ensureOpen();
    try (ContainerLocks.Held held = store.containers().lock(id())) {
      ContainerRecord record = current();
      ContainerRecord.Protector pinProtector = record.protectors.requirePin(describe());
      Verified v = verify(gestures, GesturePurpose.CONFIRM_CURRENT, List.of(pinProtector));
      try {
        PinPolicy policy = record.policy;
        GestureRequest request =
            GestureChecks.newGesture(ProtectorSpec.pin(), GesturePurpose.CHANGE, user(), id(), TpmSession.PROVIDER_ID,
                policy);
        Gesture gesture = gestures.provide(request);
        ContainerRecord.Protector changed;
        try {
          GestureChecks.requireFits(gesture, request);
          Pin pin = (Pin) gesture;
          GestureChecks.checkPolicy(pin, policy);
          byte[] salt = AuthValues.salt();
          byte[] newAuth = AuthValues.fromPin(pin, salt, user(), id(), KeyBlob.nameOf(keyPublic));
          try {
            byte[] newPrivate = store.session().keys().changeAuth(v.blob, v.auth, newAuth);
            try {
              changed = ContainerRecord.Protector.pin(pinProtector.id(), pinProtector.created(), salt, newPrivate);
            } finally {
              Arrays.fill(newPrivate, (byte) 0);
            }
          } finally {
            Arrays.fill(newAuth, (byte) 0);
          }
        } catch (AuthFailure e) {
          throw refusedAfterVerification(e);
        } finally {
          gesture.destroy();
        }
        // The old PIN blob is in the replaced file, which is overwritten and removed: with it goes the only copy
        // of the blob the old PIN opens.
        store.writeContainer(record.with(changed));
        log.debug("changed the PIN of TPM container {}", id());
      } finally {
        v.destroy();
      }
    }
  }

  /** Reads the container file and checks it still holds this container's key (not a re-created one). */
  private ContainerRecord current() throws NgcException {
    ContainerRecord record = store.readContainer(id());
    if (!Arrays.equals(record.keyPublic(), keyPublic)) {
      throw new ContainerNotFoundException(
          describe() + " was deleted and created again with another key; open it again");
    }
    return record;
  }

  /** A verified protector: the user() key's blob it holds and that blob's authValue; destroy when done. */
  private static final class Verified {
    final KeyBlob blob;
    final byte[] auth;

    Verified(KeyBlob blob, byte[] auth) {
      this.blob = blob;
      this.auth = auth;
    }

    void destroy() {
      blob.destroy();
      Arrays.fill(auth, (byte) 0);
    }
  }

  /**
   * Asks for a gesture for the candidates in order (the next one only when the user cancels) and has the TPM check
   * it; returns the verified protector's key blob and authValue.
   */
  private Verified verify(GestureSource gestures, GesturePurpose purpose, List<ContainerRecord.Protector> candidates)
      throws NgcException {
    TpmSession session = store.session();
    LockoutPolicy policy = session.lockout();
    AttemptCounter before = store.readCounter(id());
    int remaining = policy.attemptsRemaining(before, session.clock().instant(), describe());
    if (session.keys().dictionaryAttackState().inLockout()) {
      throw session.tpmLockout(describe());
    }
    for (int i = 0; i < candidates.size(); i++) {
      ContainerRecord.Protector protector = candidates.get(i);
      GestureRequest request = protector.header.request(purpose, user(), id(), TpmSession.PROVIDER_ID, remaining);
      Gesture gesture;
      try {
        gesture = gestures.provide(request);
      } catch (GestureCancelledException e) {
        if (i + 1 < candidates.size()) {
          log.debug("{} prompt cancelled for TPM container {}; asking for the next protector", protector.kind(), id());
          continue;
        }
        throw e;
      } catch (NgcException e) {
        if (e.code() == ErrorCode.WRONG_GESTURE) {
          // A modality that rejected the sample: a failed attempt, although the TPM never saw it.
          AttemptCounter failed = policy.afterFailure(before, session.clock().instant());
          store.writeCounter(failed);
          throw policy.failure(failed, describe());
        }
        throw e;
      }
      try {
        GestureChecks.requireFits(gesture, request);
        // Pay the attempt before the TPM sees the value: a process that dies now has used it up.
        AttemptCounter failed = policy.afterFailure(before, session.clock().instant());
        store.writeCounter(failed);
        Verified v;
        try {
          v = check(protector, gesture);
        } catch (AuthFailure e) {
          if (e.lockout()) {
            store.writeCounter(before);
            throw session.tpmLockout(describe());
          }
          log.debug("wrong {} for TPM container {} ({})", protector.kind(), id(), TpmRc.hex(e.responseCode()));
          throw policy.failure(failed, describe());
        } catch (ProviderUnavailableException e) {
          throw e; // the TPM may have seen the value: the attempt stays paid
        } catch (NgcException | RuntimeException e) {
          store.writeCounter(before); // refused before any authorisation (damaged blob): not an attempt
          throw e;
        }
        try {
          store.writeCounter(AttemptCounter.fresh(id()));
        } catch (NgcException | RuntimeException e) {
          v.destroy();
          throw e;
        }
        return v;
      } finally {
        gesture.destroy();
      }
    }
    throw new IllegalStateException(describe() + " has no protector to check");
  }

  /** Has the TPM check one gesture against one protector. */
  private Verified check(ContainerRecord.Protector protector, Gesture gesture) throws NgcException, AuthFailure {
    TpmKeys keys = store.session().keys();
    byte[] keyName = KeyBlob.nameOf(keyPublic);
    KeyBlob blob = protector.key(keyPublic);
    boolean ok = false;
    try {
      if (protector.kind() == GestureKind.PIN && gesture instanceof Pin pin) {
        byte[] auth = AuthValues.fromPin(pin, protector.salt(), user(), id(), keyName);
        try {
          keys.verifyAuth(blob, auth);
          ok = true;
          return new Verified(blob, auth);
        } finally {
          if (!ok) {
            Arrays.fill(auth, (byte) 0);
          }
        }
      }
      if (protector.kind() == GestureKind.BIOMETRIC && gesture instanceof BiometricMatch match) {
        byte[] sealAuth = AuthValues.fromBiometric(match, protector.salt(), user(), id(), keyName);
        KeyBlob sealed = protector.sealed();
        try {
          byte[] keyAuth = keys.unseal(sealed, sealAuth);
          ok = true;
          return new Verified(blob, keyAuth);
        } finally {
          Arrays.fill(sealAuth, (byte) 0);
          sealed.destroy();
        }
      }
      throw new IllegalArgumentException("the gesture does not fit protector " + protector.id());
    } finally {
      if (!ok) {
        blob.destroy();
      }
    }
  }

  /** The TPM refused a value it accepted a moment ago: only its dictionary-attack lockout explains that. */
  private NgcException refusedAfterVerification(AuthFailure e) throws NgcException {
    if (e.lockout()) {
      return store.session().tpmLockout(describe());
    }
    return new NgcException(ErrorCode.CONTAINER_CORRUPTED,
        "The TPM refused an authorisation value of " + describe() + " right after accepting it ("
            + TpmRc.hex(e.responseCode()) + ")",
        "retry; if it persists, delete the credential and provision it again", e);
  }

  /** The exception for the TPM's own dictionary-attack lockout, with its time to wait. */
  UserVerificationException tpmLockout() throws NgcException {
    return store.session().tpmLockout(describe());
  }
}
