package dev.ngc4j.server.internal.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that hands every call to a DRBG ({@code SecureRandom.getInstance("DRBG")}, NIST SP 800-90A
 * Hash_DRBG seeded from the operating system) owned by the calling thread. The JDK's default on Linux,
 * {@code NativePRNG}, serialises every caller on one lock; on the sign-in path each request draws randomness four
 * times (session key, OAEP seed, two GCM IVs), so with several request threads that lock was contended.
 *
 * <p>Thread safety: safe for concurrent use; no state is shared between threads.
 */
final class PerThreadRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private static final ThreadLocal<SecureRandom> LOCAL = ThreadLocal.withInitial(PerThreadRandom::drbg);

  PerThreadRandom() {
    super(new byte[0]); // never used: every method below goes to the thread's own DRBG
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks the DRBG SecureRandom", e);
    }
  }

  @Override
  public void nextBytes(byte[] bytes) {
    LOCAL.get().nextBytes(bytes);
  }

  @Override
  public byte[] generateSeed(int numBytes) {
    return LOCAL.get().generateSeed(numBytes);
  }

  @Override
  public void setSeed(long seed) {
    // SecureRandom's constructor calls this before LOCAL exists; extra seed material is never needed here.
  }

  @Override
  public void setSeed(byte[] seed) {
    LOCAL.get().setSeed(seed);
  }

  @Override
  public String getAlgorithm() {
    return "DRBG (per thread)";
  }
}
