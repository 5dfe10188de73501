package dev.ngc4j.core.internal.krb.pkinit;

import dev.ngc4j.api.KeyId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.UnlockedKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A test double for an unlocked key container, backed by a {@link KeyPair} in memory: it signs with RSASSA-PKCS1-v1_5
 * and SHA-256, or throws the container failure it was given.
 */
final class KeyPairUnlockedKey implements UnlockedKey {
  private final KeyPair keys;
  private final @Nullable NgcException failure;
  private final AtomicInteger signatures = new AtomicInteger();
  private volatile boolean closed;

  private KeyPairUnlockedKey(KeyPair keys, @Nullable NgcException failure) {
    this.keys = keys;
    this.failure = failure;
  }

  /** A container that signs with this key pair. */
  static KeyPairUnlockedKey of(KeyPair keys) {
    return new KeyPairUnlockedKey(keys, null);
  }

  /** A container (of this key pair) whose every signature fails with {@code failure}. */
  static KeyPairUnlockedKey failing(KeyPair keys, NgcException failure) {
    return new KeyPairUnlockedKey(keys, failure);
  }

  /** How many signatures were asked for. */
  int signatures() {
    return signatures.get();
  }

  @Override
  public KeyId keyId() {
    return KeyId.of(keys.getPublic());
  }

  @Override
  public byte[] sign(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    signatures.incrementAndGet();
    NgcException fail = failure;
    if (fail != null) {
      throw fail;
    }
    if (algorithm != SignatureAlgorithm.RSA_PKCS1_SHA256) {
      throw new IllegalArgumentException("the PKINIT signer must ask for RS256, not " + algorithm);
    }
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
