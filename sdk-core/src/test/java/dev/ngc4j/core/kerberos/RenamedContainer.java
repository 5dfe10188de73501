package dev.ngc4j.core.kerberos;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.UnlockedKey;
import java.security.PublicKey;
import java.util.List;

/** A real container presented under another user's name: how a client would try to sign in as someone else. */
final class RenamedContainer implements KeyContainer {
  private final KeyContainer real;
  private final UserPrincipal user;

  RenamedContainer(KeyContainer real, UserPrincipal user) {
    this.real = real;
    this.user = user;
  }

  @Override
  public ContainerId id() {
    return real.id();
  }

  @Override
  public UserPrincipal user() {
    return user;
  }

  @Override
  public KeyId keyId() {
    return real.keyId();
  }

  @Override
  public PublicKey publicKey() {
    return real.publicKey();
  }

  @Override
  public boolean hardwareBacked() {
    return real.hardwareBacked();
  }

  @Override
  public List<ProtectorInfo> protectors() throws NgcException {
    return real.protectors();
  }

  @Override
  public LockoutState lockoutState() throws NgcException {
    return real.lockoutState();
  }

  @Override
  public UnlockedKey unlock(GestureSource gestures) throws NgcException {
    return real.unlock(gestures);
  }

  @Override
  public ProtectorInfo addProtector(ProtectorSpec spec, GestureSource gestures) throws NgcException {
    return real.addProtector(spec, gestures);
  }

  @Override
  public void changePin(GestureSource gestures) throws NgcException {
    real.changePin(gestures);
  }
}
