package dev.ngc4j.provider.pkcs11.internal;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.provider.pkcs11.TokenKeySelector;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.GestureChecks;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * The container store on a token, and its key source.
 *
 * <h2>Creating a container (all or nothing)</h2>
 *
 * <ol>
 *   <li>Refuse a biometric first protector ({@code UNSUPPORTED}) and a taken id ({@code CONTAINER_EXISTS}) before
 *       asking anything.
 *   <li>Ask for the token's existing user PIN ({@link GesturePurpose#CONFIRM_CURRENT}, with the spec's PIN policy and
 *       the attempts remaining); refuse a PIN that breaks the policy before the token sees it.
 *   <li>Check the PIN (see {@link TokenAttempts}) and hold the login.
 *   <li>Relabel both halves of the pooled key pair {@code ngc4j:<id>}.
 *   <li>Create the record object: the commit point. A crash before it leaves no record, so no container; the
 *       relabelled key goes back to the pool at the next login ({@link TokenPool#tidy}).
 * </ol>
 *
 * <p>Deleting destroys the record (the commit point), then the public key, then the private key if the provider is
 * logged in; otherwise the private key is destroyed at the next login (PKCS#11 lets only a logged-in user destroy
 * private objects).
 *
 * <p>Thread safety: safe for concurrent use; creation and deletion of one id are serialised by a JVM-wide lock.
 */
final class Pkcs11Store implements KeyContainerStore {
  private static final Logger log = LoggerFactory.getLogger(Pkcs11Store.class);
  /** A test can stop a creation between relabelling the key and writing the record. */
  static volatile @Nullable Runnable afterRelabelForTests;

  private final Pkcs11ProviderSession session;
  private final SharedToken token;

  Pkcs11Store(Pkcs11ProviderSession session) {
    this.session = session;
    this.token = session.token();
  }

  Pkcs11ProviderSession session() {
    return session;
  }

  Path lockPath(ContainerId id) {
    return session.dataDirectory().resolve("tokens").resolve(TokenAttempts.safeName(token.serial()))
        .resolve("containers").resolve(id.value());
  }

  // -----------------------------------------------------------------------------------------------------------
  // Key source
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Claims an unclaimed pool entry (no login needed); if there is none and the token is logged in by this provider,
   * generates one; otherwise {@code KEY_POOL_EMPTY}.
   */
  PooledKey generate() throws NgcException {
    session.ensureOpen();
    Optional<Pkcs11PooledKey> hit = token.call("claiming a pool key", s -> {
      for (byte[] id : TokenObjects.publicKeyIds(s, TokenObjects.POOL_LABEL)) {
        if (token.claim(id)) {
          try {
            Optional<Long> pub = TokenObjects.publicKey(s, id);
            if (pub.isPresent()) {
              return Optional.of(new Pkcs11PooledKey(token, id, TokenObjects.readRsaPublic(s, pub.get())));
            }
          } catch (IllegalArgumentException e) {
            log.debug("pool entry {} has no usable public key: {}", TokenObjects.hex(id), e.getMessage());
          }
          token.unclaim(id);
        }
      }
      return Optional.empty();
    });
    if (hit.isPresent()) {
      return hit.get();
    }
    Optional<LoginHold> held = token.retain();
    if (held.isPresent()) {
      try (LoginHold hold = held.get()) {
        return token.whileLoggedInWriting(hold, "generating a key", s -> {
          byte[] id = TokenObjects.generate(s, TokenObjects.POOL_LABEL);
          token.claim(id);
          Optional<Long> pub = TokenObjects.publicKey(s, id);
          if (pub.isEmpty()) {
            token.unclaim(id);
            throw new TokenException("the generated public key cannot be found");
          }
          return new Pkcs11PooledKey(token, id, TokenObjects.readRsaPublic(s, pub.get()));
        });
      }
    }
    throw new NgcException(ErrorCode.KEY_POOL_EMPTY,
        "Token " + token.describe() + " holds no unclaimed pool key, and the provider is not logged in to generate"
            + " one (private keys can only be created with the token PIN)",
        "fill the pool with Pkcs11Session.fillKeyPool (asks for the token PIN), or unlock a container on the token"
            + " first: after each login the provider tops the pool up to its poolSize", null);
  }

  // -----------------------------------------------------------------------------------------------------------
  // KeyContainerStore
  // -----------------------------------------------------------------------------------------------------------

  @Override
  public KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(gestures, "gestures");
    session.ensureOpen();
    if (!(key instanceof Pkcs11PooledKey pooled) || !Pkcs11ProviderSession.PROVIDER_ID.equals(key.providerId())) {
      throw new IllegalArgumentException("the pooled key comes from provider '" + key.providerId()
          + "', not from the PKCS#11 provider");
    }
    if (pooled.token() != token) {
      throw new IllegalArgumentException("the pooled key lives on another token than " + token.describe());
    }
    pooled.checkBindable();
    requirePin(spec.firstProtector(), "create a container with a " + spec.firstProtector().kind() + " protector");
    return createLocked(spec, gestures, hold -> {
      pooled.claim();
      boolean bound = false;
      try {
        bind(spec, hold, pooled.ckaId(), pooled.publicKey());
        bound = true;
      } finally {
        if (bound) {
          pooled.bound();
        } else {
          pooled.release();
        }
      }
    });
  }

  KeyContainer adopt(ContainerSpec spec, TokenKeySelector selector, GestureSource gestures) throws NgcException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(gestures, "gestures");
    requirePin(spec.firstProtector(), "adopt a key for a " + spec.firstProtector().kind() + " protector");
    if (selector.label().filter(TokenObjects::reservedLabel).isPresent()) {
      throw TokenObjects.reservedForAdoption(selector.toString(), token.describe());
    }
    return createLocked(spec, gestures, hold -> {
      TokenObjects.KeyInfo found = token.whileLoggedIn(hold, "checking the key to adopt",
          s -> TokenObjects.findForAdoption(s, selector.id().orElse(null), selector.label().orElse(null),
              token.describe()));
      if (!token.claim(found.id())) {
        throw new IllegalStateException("the key " + selector + " is being bound by another call");
      }
      try {
        RSAPublicKey publicKey = token.call("reading the adopted public key",
            s -> TokenObjects.readRsaPublic(s, TokenObjects.publicKey(s, found.id()).orElseThrow()));
        bind(spec, hold, found.id(), publicKey);
      } finally {
        token.unclaim(found.id());
      }
    });
  }

  @FunctionalInterface
  private interface Binding {
    void bind(LoginHold hold) throws NgcException;
  }

  @SuppressWarnings("try") // the lock is held for the block
  private KeyContainer createLocked(ContainerSpec spec, GestureSource gestures, Binding binding) throws NgcException {
    ContainerId id = spec.id();
    try (ContainerLocks.Held held = ContainerLocks.lock(lockPath(id))) {
      if (exists(id)) {
        throw new NgcException(ErrorCode.CONTAINER_EXISTS, "PKCS#11 container " + id + " already exists on token "
            + token.describe(), ErrorCode.CONTAINER_EXISTS.remedy(), null);
      }
      try (TokenAttempts.Verified v = session.attempts().verify("token " + token.describe(),
          remaining -> new GestureRequest(GestureKind.PIN, Pkcs11Container.CREATION_PURPOSE, spec.user(), id,
              Pkcs11ProviderSession.PROVIDER_ID, OptionalInt.of(remaining), Optional.empty(),
              Optional.of(spec.pinPolicy())),
          pin -> checkTokenPinPolicy(pin, spec), gestures)) {
        binding.bind(v.hold);
      }
      log.debug("created PKCS#11 container {} on token {}", id, token.describe());
    }
    return open(id);
  }

  private void checkTokenPinPolicy(Pin pin, ContainerSpec spec) throws PolicyException {
    try {
      GestureChecks.checkPolicy(pin, spec.pinPolicy());
    } catch (PolicyException e) {
      throw new PolicyException(ErrorCode.PIN_POLICY_VIOLATION,
          "The token's user PIN breaks the organisation's PIN policy: " + e.detail(),
          "change the token PIN first (for example pkcs11-tool --login --change-pin) to one that meets the policy, "
              + "then retry", null);
    }
  }

  private void bind(ContainerSpec spec, LoginHold hold, byte[] ckaId, RSAPublicKey publicKey) throws NgcException {
    ContainerId id = spec.id();
    Instant now = session.clock().instant();
    ContainerRecord record = ContainerRecord.create(id, spec.user(), now, ckaId, publicKey.getEncoded(),
        spec.pinPolicy());
    token.whileLoggedInWriting(hold, "creating container " + id, s -> {
      long priv = token.privateKey(s, ckaId);
      TokenObjects.relabel(s, priv, ckaId, TokenObjects.KEY_LABEL_PREFIX + id.value());
      Runnable hook = afterRelabelForTests;
      if (hook != null) {
        hook.run();
      }
      try {
        TokenObjects.createRecord(s, id, record.encode());
      } catch (TokenException e) {
        try {
          TokenObjects.relabel(s, priv, ckaId, TokenObjects.POOL_LABEL);
        } catch (TokenException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      return Boolean.TRUE;
    });
  }

  static void requirePin(ProtectorSpec spec, String what) throws NgcException {
    if (spec.kind() != GestureKind.PIN) {
      throw new NgcException(ErrorCode.UNSUPPORTED,
          "The PKCS#11 provider cannot " + what + ": a PKCS#11 token is opened only by its user PIN",
          "use a PIN protector, or a provider whose capabilities include BIOMETRIC (software, TPM)", null);
    }
  }

  boolean exists(ContainerId id) throws NgcException {
    return token.call("looking up container " + id, s -> TokenObjects.records(s, id).length > 0);
  }

  @Override
  public KeyContainer open(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    ContainerRecord record = readRecord(id);
    RSAPublicKey publicKey = token.call("reading the public key of container " + id, s -> {
      Optional<Long> pub = TokenObjects.publicKey(s, record.keyId());
      if (pub.isEmpty()) {
        throw corrupted(id, "its public key object (CKA_ID " + TokenObjects.hex(record.keyId()) + ") is missing");
      }
      try {
        return TokenObjects.readRsaPublic(s, pub.get());
      } catch (IllegalArgumentException e) {
        throw corrupted(id, "its public key object is " + e.getMessage());
      }
    });
    if (!MessageDigest.isEqual(publicKey.getEncoded(), record.publicKeyInfo())) {
      throw corrupted(id, "its public key object does not hold the key the record names");
    }
    return new Pkcs11Container(this, record, publicKey);
  }

  /**
   * Reads and decodes a container's record.
   *
   * @throws NgcException {@code CONTAINER_NOT_FOUND}, {@code CONTAINER_CORRUPTED}, {@code TOKEN_REMOVED}
   */
  ContainerRecord readRecord(ContainerId id) throws NgcException {
    byte[] value = token.call("reading container " + id, s -> {
      long[] records = TokenObjects.records(s, id);
      if (records.length == 0) {
        if (!token.present()) {
          throw Ckr.removed(token.describe(), "reading container " + id, null);
        }
        throw new ContainerNotFoundException("No PKCS#11 container " + id + " on token " + token.describe());
      }
      if (records.length > 1) {
        throw corrupted(id, "the token holds " + records.length + " records for it");
      }
      return TokenObjects.value(s, records[0]);
    });
    return ContainerRecord.decode(TokenPool.where(token, id), value, id);
  }

  private ContainerCorruptedException corrupted(ContainerId id, String why) {
    return new ContainerCorruptedException(ErrorCode.CONTAINER_CORRUPTED,
        "PKCS#11 container " + id + " on token " + token.describe() + " is not usable: " + why,
        "delete the credential and provision it again", null);
  }

  @Override
  public List<ContainerId> list() throws NgcException {
    session.ensureOpen();
    List<ContainerId> ids = new ArrayList<>(new TreeSet<>(token.call("listing containers", TokenObjects::recordIds)
        .stream().map(ContainerId::value).toList()).stream().map(ContainerId::of).toList());
    return ids;
  }

  @Override
  @SuppressWarnings("try") // the lock is held for the block
  public boolean delete(ContainerId id) throws NgcException {
    Objects.requireNonNull(id, "id");
    session.ensureOpen();
    try (ContainerLocks.Held held = ContainerLocks.lock(lockPath(id))) {
      Optional<byte[]> deleted = token.callWriting("deleting container " + id, s -> {
        long[] records = TokenObjects.records(s, id);
        if (records.length == 0) {
          return Optional.<byte[]>empty();
        }
        byte[] found = null;
        try {
          found = ContainerRecord.decode(TokenPool.where(token, id), TokenObjects.value(s, records[0]), id).keyId();
        } catch (ContainerCorruptedException e) {
          log.debug("deleting damaged container {}: {}", id, e.detail());
        }
        for (long r : records) {
          s.destroyObject(r);
        }
        if (found != null) {
          Optional<Long> pub = TokenObjects.publicKey(s, found);
          if (pub.isPresent()) {
            s.destroyObject(pub.get());
          }
        }
        return Optional.of(found == null ? new byte[0] : found);
      });
      if (deleted.isEmpty()) {
        return false;
      }
      byte[] keyId = deleted.get();
      if (keyId.length > 0) {
        destroyPrivate(id, keyId);
      }
      log.debug("deleted PKCS#11 container {}", id);
      return true;
    }
  }

  private void destroyPrivate(ContainerId id, byte[] keyId) throws NgcException {
    Optional<LoginHold> held = token.retain();
    if (held.isEmpty()) {
      log.debug("the private key of container {} is destroyed at the next login", id);
      return;
    }
    try (LoginHold hold = held.get()) {
      token.whileLoggedInWriting(hold, "destroying the key of container " + id, s -> {
        long h = token.privateKey(s, keyId);
        s.destroyObject(h);
        token.forgetHandle(keyId);
        return Boolean.TRUE;
      });
    } catch (ContainerCorruptedException e) {
      log.debug("the private key of container {} was already gone", id);
    }
  }

  KeyId keyIdOf(RSAPublicKey key) {
    return KeyId.of(key);
  }

  static boolean sameSession(Session a, Session b) {
    return a.getSessionHandle() == b.getSessionHandle();
  }
}
