package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The key pool on a token, and the tidying of leftovers, both done while the provider holds the login.
 *
 * <ul>
 *   <li>{@link #topUp}: after every successful C_Login the token's background thread takes its own hold, tidies, and
 *       generates key pairs until {@code poolSize} unclaimed pool entries exist, then lets the hold go.
 *   <li>{@link #tidy}: a private key labelled {@code ngc4j:<id>} whose container has no record naming its CKA_ID (and
 *       that no creation in this process has claimed) is left over from an interrupted creation (its public half
 *       still exists: both go back to the pool) or from a deletion made without the login (its public half is gone:
 *       it is destroyed).
 * </ul>
 *
 * <p>Thread safety: stateless; every call runs under a login hold.
 */
final class TokenPool {
  private static final Logger log = LoggerFactory.getLogger(TokenPool.class);

  private TokenPool() {}

  /** The background top-up after a login; closes the hold. */
  static void topUp(SharedToken token, LoginHold hold) {
    try (hold) {
      tidy(token, hold);
      int made = fillTo(token, hold, token.poolSize());
      if (made > 0) {
        log.debug("generated {} pool key(s) on token {}", made, token.describe());
      }
    } catch (NgcException | RuntimeException e) {
      log.debug("topping up the key pool of token {} failed: {}", token.describe(), e.toString());
    }
  }

  /** Counts the unclaimed pool entries (no login needed). */
  static int unclaimed(SharedToken token) throws NgcException {
    return token.call("counting pool entries", s -> {
      int n = 0;
      for (byte[] id : TokenObjects.publicKeyIds(s, TokenObjects.POOL_LABEL)) {
        if (!token.claimed(id)) {
          n++;
        }
      }
      return n;
    });
  }

  /** Generates pool entries until {@code target} unclaimed ones exist; returns how many were made. */
  static int fillTo(SharedToken token, LoginHold hold, int target) throws NgcException {
    int made = 0;
    while (unclaimed(token) < target) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      token.whileLoggedInWriting(hold, "generating a pool key", s -> TokenObjects.generate(s, TokenObjects.POOL_LABEL));
      made++;
    }
    return made;
  }

  /** Returns leftovers to the pool or destroys them (see the class documentation). */
  static void tidy(SharedToken token, LoginHold hold) throws NgcException {
    token.whileLoggedInWriting(hold, "tidying leftover keys", s -> {
      for (TokenObjects.KeyInfo key : TokenObjects.privateKeys(s)) {
        if (!key.label().startsWith(TokenObjects.KEY_LABEL_PREFIX) || key.id().length == 0
            || token.claimed(key.id())) {
          continue;
        }
        ContainerId id;
        try {
          id = ContainerId.of(key.label().substring(TokenObjects.KEY_LABEL_PREFIX.length()));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (recordNames(token, s, id, key.id())) {
          continue;
        }
        Optional<Long> pub = TokenObjects.publicKey(s, key.id());
        if (pub.isPresent()) {
          log.debug("returning the key of an interrupted creation of container {} to the pool", id);
          TokenObjects.relabel(s, key.handle(), key.id(), TokenObjects.POOL_LABEL);
        } else {
          log.debug("destroying the private key of deleted container {}", id);
          s.destroyObject(key.handle());
          token.forgetHandle(key.id());
        }
      }
      return Boolean.TRUE;
    });
  }

  private static boolean recordNames(SharedToken token, Session s, ContainerId id, byte[] keyId)
      throws org.xipki.pkcs11.wrapper.TokenException {
    long[] records = TokenObjects.records(s, id);
    if (records.length != 1) {
      return records.length > 1; // ambiguous: leave it alone
    }
    try {
      ContainerRecord r = ContainerRecord.decode(where(token, id), TokenObjects.value(s, records[0]), id);
      return Arrays.equals(r.keyId(), keyId);
    } catch (ContainerCorruptedException e) {
      return true; // leave a damaged container's key alone
    }
  }

  /** A pseudo path naming a container's record object, for messages. */
  static Path where(SharedToken token, ContainerId id) {
    return Path.of("pkcs11-token-" + TokenAttempts.safeName(token.serial()), TokenObjects.recordLabel(id));
  }

  /** Whether a private key with this CKA_ID exists (for tests). */
  static boolean hasPrivateKey(Session s, byte[] id) throws org.xipki.pkcs11.wrapper.TokenException {
    return s.findObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).id(id), 1).length == 1;
  }

  static List<byte[]> poolIds(Session s) throws org.xipki.pkcs11.wrapper.TokenException {
    return TokenObjects.publicKeyIds(s, TokenObjects.POOL_LABEL);
  }
}
