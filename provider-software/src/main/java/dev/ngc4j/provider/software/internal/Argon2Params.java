package dev.ngc4j.provider.software.internal;

/**
 * Argon2id cost parameters, stored with every PIN protector so that later changes of the defaults never break
 * existing containers.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param memoryKiB memory in KiB, at least 8 per lane, at most 1 GiB
 * @param iterations passes over memory, at least 1
 * @param parallelism lanes, 1 to 64
 */
record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /** The most memory a protector may use (1 GiB); more is no interactive unlock, and in a file means damage. */
  static final int MAX_MEMORY_KIB = 1024 * 1024;
  /** The most passes a stored protector may ask for. */
  static final int MAX_ITERATIONS = 1024;
  /** The most lanes a stored protector may ask for. */
  static final int MAX_PARALLELISM = 64;

  Argon2Params {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("Argon2 parallelism must be 1 to " + MAX_PARALLELISM);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("Argon2 iterations must be 1 to " + MAX_ITERATIONS);
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "Argon2 memory must be at least 8 KiB per lane and at most " + MAX_MEMORY_KIB + " KiB");
    }
  }
}
