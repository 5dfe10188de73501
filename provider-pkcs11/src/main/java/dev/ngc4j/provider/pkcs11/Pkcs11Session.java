package dev.ngc4j.provider.pkcs11;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProviderSession;

/**
 * A session of the PKCS#11 provider: the standard facets plus what only a token needs, filling the on-token key
 * pool with the user PIN and adopting a key pair made by another tool. {@link Pkcs11CredentialProvider#open} returns
 * one; cast the {@link ProviderSession} to reach these methods.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public interface Pkcs11Session extends ProviderSession {
  /**
   * Logs in with the token's user PIN (asked once, {@link dev.ngc4j.api.GesturePurpose#CONFIRM_CURRENT}, counted
   * like every PIN) and generates key pairs on the token until it holds {@code count} unclaimed pool entries. Private
   * keys can only be created while logged in, so this is how an administrator or the application fills the pool
   * ahead of enrolment; the provider also tops the pool up to its {@code poolSize} after every login.
   *
   * @param gestures where to get the token PIN
   * @param count the unclaimed entries wanted, 0 to 32
   * @return how many key pairs were generated now
   * @throws NgcException a wrong PIN or lockout ({@link dev.ngc4j.api.UserVerificationException}), the token
   *     blocked its PIN ({@code PIN_BLOCKED}), {@code TOKEN_REMOVED}, {@code GESTURE_CANCELLED}
   * @throws IllegalArgumentException if {@code count} is out of range
   * @since 0.1.0
   */
  int fillKeyPool(GestureSource gestures, int count) throws NgcException;

  /**
   * Returns how many unclaimed pool entries the token holds now (read without the PIN).
   *
   * @return the count
   * @throws NgcException {@code TOKEN_REMOVED}
   * @since 0.1.0
   */
  int keyPoolEntries() throws NgcException;

  /**
   * Creates a container around a key pair that already exists on the token (made, for example, with
   * {@code pkcs11-tool --keypairgen --key-type rsa:2048 --id ... --label ...}). Asks for the token PIN as
   * {@link dev.ngc4j.spi.KeyContainerStore#create} does, then checks the key: RSA-2048, CKA_SENSITIVE true,
   * CKA_EXTRACTABLE false, CKA_SIGN true, and a public key object with the same CKA_ID and modulus. Both halves are
   * relabelled {@code ngc4j:<container id>}; their CKA_ID stays. Deleting the container destroys the key pair. A key
   * the provider owns (its device or transport key, a pool entry, another container's key: labels
   * {@code ngc4j-device-key}, {@code ngc4j-transport-key}, {@code ngc4j-pool}, {@code ngc4j:...},
   * {@code ngc4j-container:...}) is refused; by label before the PIN is asked for.
   *
   * @param spec the container (its first protector must be the PIN)
   * @param key which key pair
   * @param gestures where to get the token PIN
   * @return the new container
   * @throws NgcException {@code CONTAINER_EXISTS}; {@code CONTAINER_NOT_FOUND} if no single key pair matches;
   *     {@code UNSUPPORTED} naming every check the key fails, or for a key the provider owns; and what
   *     {@code create} throws
   * @since 0.1.0
   */
  KeyContainer adoptKey(ContainerSpec spec, TokenKeySelector key, GestureSource gestures) throws NgcException;
}
