package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * Makes RSA-2048 key pairs (public exponent 65537) in memory with the JDK's default provider.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class SoftwareKeySource implements PooledKeySource {
  private final SoftwareSession session;
  private final SecureRandom random;

  SoftwareKeySource(SoftwareSession session, SecureRandom random) {
    this.session = session;
    this.random = random;
  }

  @Override
  public PooledKey generate() throws NgcException {
    session.ensureOpen();
    if (Thread.currentThread().isInterrupted()) {
      throw new NgcException(ErrorCode.INTERRUPTED, "Key generation was interrupted before it started");
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), random);
      return new SoftwarePooledKey(SoftwareSession.PROVIDER_ID, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new NgcException(
          ErrorCode.PROVIDER_UNAVAILABLE, "This JDK cannot generate RSA-2048 keys", "use a standard JDK", e);
    }
  }
}
