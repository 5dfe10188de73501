package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;

import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.support.ContainerBase;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.GestureChecks;
import dev.ngc4j.provider.support.ProtectorList;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * A container on a token. Its public data (id, user, public key) is read when it is opened; its record is read from
 * the token again on every operation, so a container deleted meanwhile is noticed.
 *
 * <p>The gesture is the token's user PIN, shared by every container on the token: {@link #unlock} checks it (see
 * {@link TokenAttempts}) and hands out a key that holds the login; {@link #changePin} runs C_SetPIN, which changes the
 * PIN of every container on the token. A PKCS#11 token has no biometric: adding one is {@code UNSUPPORTED}.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class Pkcs11Container extends ContainerBase {
  /** The purpose of the PIN request at creation: the token PIN exists already. */
  static final GesturePurpose CREATION_PURPOSE = GesturePurpose.CONFIRM_CURRENT;
  private static final Logger log = LoggerFactory.getLogger(Pkcs11Container.class);

  private final Pkcs11Store store;
  private final byte[] ckaId;

  Pkcs11Container(Pkcs11Store store, ContainerRecord record, RSAPublicKey publicKey) {
    super(record.id(), record.header().user(), publicKey, "PKCS#11 container", store.session().token().hardwareSlot());
    this.store = store;
    this.ckaId = record.keyId();
  }

  private ContainerRecord current() throws NgcException {
    store.session().ensureOpen();
    ContainerRecord record = store.readRecord(id());
    if (!Arrays.equals(record.keyId(), ckaId)) {
      throw new ContainerNotFoundException(describe() + " was deleted and created again with another key; open it"
          + " again");
    }
    return record;
  }

  @Override
  protected ProtectorList<?> currentProtectors() throws NgcException {
    return current().protectors();
  }

  @Override
  public LockoutState lockoutState() throws NgcException {
    current();
    return store.session().attempts().state();
  }

  @Override
  public UnlockedKey unlock(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    ContainerRecord record = current();
    TokenAttempts.Verified v = verify(record, GesturePurpose.UNLOCK, gestures);
    v.pin.destroy();
    return new Pkcs11UnlockedKey(keyId(), ckaId, v.hold);
  }

  private TokenAttempts.Verified verify(ContainerRecord record, GesturePurpose purpose, GestureSource gestures)
      throws NgcException {
    return store.session().attempts().verify(describe(),
        remaining -> record.protectors().confirming().header().request(purpose, user(), id(),
            Pkcs11ProviderSession.PROVIDER_ID, remaining),
        pin -> { }, gestures);
  }

  @Override
  public ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(gestures, "gestures");
    ContainerRecord record = current();
    Pkcs11Store.requirePin(spec, "add a " + spec.kind() + spec.modality().map(m -> " (" + m + ")").orElse("")
        + " protector");
    record.protectors().requireNoneLike(spec, describe());
    throw new IllegalStateException("unreachable: a token container has exactly one PIN protector");
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public void changePin(GestureSource gestures) throws NgcException {
    Objects.requireNonNull(gestures, "gestures");
    SharedToken token = store.session().token();
    try (ContainerLocks.Held held = ContainerLocks.lock(store.lockPath(id()))) {
      ContainerRecord record = current();
      PinPolicy policy = record.policy().toPolicy();
      try (TokenAttempts.Verified v = verify(record, GesturePurpose.CONFIRM_CURRENT, gestures)) {
        GestureRequest request = GestureChecks.newGesture(ProtectorSpec.pin(), GesturePurpose.CHANGE, user(), id(),
            Pkcs11ProviderSession.PROVIDER_ID, policy);
        Gesture gesture = gestures.provide(request);
        try {
          GestureChecks.requireFits(gesture, request);
          Pin newPin = (Pin) gesture;
          GestureChecks.checkPolicy(newPin, policy);
          store.session().attempts().checkLength(newPin);
          char[] oldChars = v.pin.copyChars();
          char[] newChars = newPin.copyChars();
          try {
            setPin(token, oldChars, newChars);
            token.pinChanged(newChars);
          } finally {
            Arrays.fill(oldChars, '\0');
            Arrays.fill(newChars, '\0');
          }
        } finally {
          gesture.destroy();
        }
      }
      log.debug("changed the user PIN of token {} through container {}", token.describe(), id());
    }
  }

  private void setPin(SharedToken token, char[] oldPin, char[] newPin) throws NgcException {
    try {
      token.callRawWriting("changing the PIN", s -> {
        s.setPIN(oldPin, newPin);
        return Boolean.TRUE;
      });
    } catch (TokenException e) {
      switch (Ckr.loginOutcome(Ckr.code(e))) {
        case PIN_BLOCKED -> throw UserVerificationException.pinBlocked("token " + token.describe());
        case PIN_MALFORMED -> throw new NgcException(ErrorCode.PIN_POLICY_VIOLATION,
            "Token " + token.describe() + " refused the new PIN's length or characters", 
            "choose a PIN the token accepts", e);
        case WRONG_PIN -> throw new NgcException(ErrorCode.WRONG_GESTURE,
            "Token " + token.describe() + " refused the current PIN at C_SetPIN although it was just verified;"
                + " the PIN was changed elsewhere", "retry with the token's current PIN", e);
        default -> throw token.failure("changing the PIN", e);
      }
    }
  }

  boolean tokenBlocked() throws NgcException {
    return (store.session().token().flags() & CKF_USER_PIN_LOCKED) != 0;
  }
}
