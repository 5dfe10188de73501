package dev.ngc4j.examples;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.CloudAuthProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyRegistration;
import dev.ngc4j.spi.PrimaryRefreshToken;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process stand-in for the cloud directory, for the examples only. It is <b>not</b> a directory service:
 * it keeps registered public keys in memory for the life of the object and forgets them when the JVM exits. The
 * real directory (device registration, key registration, nonce and token service) arrives with {@code sdk-server}
 * and the cloud-protocol client in their own issues; until then this class shows what the service side does with
 * a registration.
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>{@link #registerKey} refuses a token without an MFA claim ({@link ErrorCode#MFA_REQUIRED}), a token
 *       issued to another user, and a key id that is not the SHA-256 of the public key
 *       ({@link ErrorCode#REGISTRATION_FAILED}); otherwise it stores the public key under user and key id;
 *   <li>{@link #unregisterKey} removes it (idempotent, as the SPI requires);
 *   <li>{@link #nonce()} returns 32 fresh random bytes;
 *   <li>{@link #registeredKey} is the lookup a relying party does before verifying a signature;
 *   <li>{@link #joinDevice}, {@link #signIn} and {@link #renew} throw {@link ErrorCode#UNSUPPORTED}.
 * </ul>
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class DemoDirectory implements CloudAuthProvider {
  private static final String CLOUD_REMEDY =
      "DemoDirectory only registers keys; device join, sign-in and PRT renewal come with the cloud-protocol"
          + " client and sdk-server (see the Providers table in README.md)";

  private final Map<Registered, PublicKey> keys = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** Creates an empty directory. */
  public DemoDirectory() {}

  /**
   * Not supported by this stand-in.
   *
   * @throws NgcException always, with {@link ErrorCode#UNSUPPORTED}
   */
  @Override
  public DeviceId joinDevice(DeviceKeys keys, AccessToken token) throws NgcException {
    throw unsupported("device join");
  }

  /**
   * Stores the public key for the user after the checks a directory makes.
   *
   * @param registration the key and the user's access token
   * @throws NgcException {@link ErrorCode#MFA_REQUIRED} without an MFA claim; {@link ErrorCode#REGISTRATION_FAILED}
   *     when the token belongs to someone else or the key id does not match the key
   */
  @Override
  public void registerKey(KeyRegistration registration) throws NgcException {
    Objects.requireNonNull(registration, "registration");
    AccessToken token = registration.token();
    if (!token.hasMfaClaim()) {
      throw new PolicyException(
          ErrorCode.MFA_REQUIRED,
          "The directory refused to register a key for " + registration.user()
              + ": the access token does not prove MFA (amr = " + token.authenticationMethods() + ")",
          null);
    }
    if (!token.subject().equals(registration.user())) {
      throw new NgcException(
          ErrorCode.REGISTRATION_FAILED,
          "The directory refused to register a key for " + registration.user() + ": the access token was issued to "
              + token.subject(),
          "sign in as " + registration.user() + " and retry",
          null);
    }
    if (!KeyId.of(registration.publicKey()).equals(registration.keyId())) {
      throw new NgcException(
          ErrorCode.REGISTRATION_FAILED,
          "The directory refused key " + registration.keyId().shortForm() + ": it is not the SHA-256 of the public key",
          null);
    }
    keys.put(new Registered(registration.user(), registration.keyId()), registration.publicKey());
  }

  /** Removes the key if it is registered; does nothing otherwise. */
  @Override
  public void unregisterKey(UserPrincipal user, KeyId keyId, AccessToken token) {
    keys.remove(new Registered(Objects.requireNonNull(user, "user"), Objects.requireNonNull(keyId, "keyId")));
  }

  /**
   * Returns 32 fresh random bytes.
   *
   * @return the nonce
   */
  @Override
  public Bytes nonce() {
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    return Bytes.of(nonce);
  }

  /**
   * Not supported by this stand-in.
   *
   * @throws NgcException always, with {@link ErrorCode#UNSUPPORTED}
   */
  @Override
  public PrimaryRefreshToken signIn(KeyContainer container, GestureSource gestures, DeviceKeys keys)
      throws NgcException {
    throw unsupported("sign-in");
  }

  /**
   * Not supported by this stand-in.
   *
   * @throws NgcException always, with {@link ErrorCode#UNSUPPORTED}
   */
  @Override
  public PrimaryRefreshToken renew(PrimaryRefreshToken prt, DeviceKeys keys) throws NgcException {
    throw unsupported("PRT renewal");
  }

  /**
   * Looks up a registered key, as a relying party does before it verifies a signature.
   *
   * @param user the user
   * @param keyId the key id the client claims
   * @return the registered public key, or empty
   */
  public Optional<PublicKey> registeredKey(UserPrincipal user, KeyId keyId) {
    return Optional.ofNullable(keys.get(new Registered(user, keyId)));
  }

  /**
   * Returns the ids of the keys registered for the user.
   *
   * @param user the user
   * @return the key ids, in no particular order
   */
  public List<KeyId> registeredKeys(UserPrincipal user) {
    Objects.requireNonNull(user, "user");
    return keys.keySet().stream().filter(r -> r.user().equals(user)).map(Registered::keyId).toList();
  }

  private static NgcException unsupported(String what) {
    return new NgcException(
        ErrorCode.UNSUPPORTED, "DemoDirectory is an in-process stand-in and does not implement " + what,
        CLOUD_REMEDY, null);
  }

  private record Registered(UserPrincipal user, KeyId keyId) {}
}
