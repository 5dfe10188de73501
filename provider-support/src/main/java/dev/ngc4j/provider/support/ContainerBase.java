package dev.ngc4j.provider.support;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProtectorInfo;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.KeyContainer;
import java.security.PublicKey;
import java.util.List;

/**
 * What every provider's container shares: the public data read when it was opened (id, user, public key and its
 * key id), its name in messages, and the protectors read from disk on each call.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: the public data is immutable; subclasses make their operations safe for concurrent use.
 */
public abstract class ContainerBase implements KeyContainer {
  private final ContainerId id;
  private final UserPrincipal user;
  private final PublicKey publicKey;
  private final KeyId keyId;
  private final String noun;
  private final boolean hardwareBacked;

  /**
   * Creates the container's public view.
   *
   * @param id the container
   * @param user its user
   * @param publicKey its public key
   * @param noun what a container is called in messages ("software container", "TPM container")
   * @param hardwareBacked whether the key lives in hardware
   */
  protected ContainerBase(ContainerId id, UserPrincipal user, PublicKey publicKey, String noun,
      boolean hardwareBacked) {
    this.id = id;
    this.user = user;
    this.publicKey = publicKey;
    this.keyId = KeyId.of(publicKey);
    this.noun = noun;
    this.hardwareBacked = hardwareBacked;
  }

  @Override
  public final ContainerId id() {
    return id;
  }

  @Override
  public final UserPrincipal user() {
    return user;
  }

  @Override
  public final KeyId keyId() {
    return keyId;
  }

  @Override
  public final PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public final boolean hardwareBacked() {
    return hardwareBacked;
  }

  /**
   * Returns the container's name in messages.
   *
   * @return for example "TPM container alice-1"
   */
  public final String describe() {
    return noun + " " + id;
  }

  @Override
  public final List<ProtectorInfo> protectors() throws NgcException {
    return currentProtectors().infos();
  }

  /**
   * Reads the container's protectors from disk, after checking the session is open and the container is still the
   * one that was opened.
   *
   * @return the protectors
   * @throws NgcException if the container cannot be read
   */
  protected abstract ProtectorList<?> currentProtectors() throws NgcException;

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + ", key " + keyId.shortForm() + "]";
  }
}
