package dev.ngc4j.provider.software.internal;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Argon2id (version 0x13) for PINs and HKDF-SHA256 for biometric secrets, both from BouncyCastle's lightweight API.
 *
 * <p>PIN: {@code Argon2id(password = PIN UTF-8, salt = protector salt, secret = device secret,
 * additional = binding, m, t, p) -> 32 bytes}. Biometric: {@code HKDF-SHA256(IKM = released secret || device
 * secret, salt = protector salt, info = binding) -> 32 bytes}. Every intermediate buffer this class owns is zeroed.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class StandardKeyDerivation implements KeyDerivation {
  static final StandardKeyDerivation INSTANCE = new StandardKeyDerivation();

  private StandardKeyDerivation() {}

  @Override
  public byte[] fromPin(byte[] pinUtf8, byte[] salt, Argon2Params params, byte[] deviceSecret, byte[] binding) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(salt)
        .withSecret(deviceSecret)
        .withAdditional(binding)
        .withMemoryAsKB(params.memoryKiB())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .build();
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(parameters);
      byte[] out = new byte[Aead.KEY_LENGTH];
      generator.generateBytes(pinUtf8, out);
      return out;
    } finally {
      parameters.clear();
    }
  }

  @Override
  public byte[] fromBiometric(byte[] secret, byte[] salt, byte[] deviceSecret, byte[] binding) {
    byte[] ikm = new byte[secret.length + deviceSecret.length];
    try {
      System.arraycopy(secret, 0, ikm, 0, secret.length);
      System.arraycopy(deviceSecret, 0, ikm, secret.length, deviceSecret.length);
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(ikm, salt, binding));
      byte[] out = new byte[Aead.KEY_LENGTH];
      hkdf.generateBytes(out, 0, out.length);
      return out;
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }
}
