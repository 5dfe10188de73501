package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.server.internal.util.Base64Strict;
import dev.ngc4j.server.internal.util.Malformed;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (BouncyCastle's lightweight implementation) for the test identity source's passwords
 * and MFA codes, in the PHC string format {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded standard
 * base64). The default cost is OWASP's minimum Argon2id setting (19 MiB, 2 passes, 1 lane); at most two hashes
 * run at once, which bounds the memory a burst of sign-ins can take.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class PasswordHasher {
  private static final int MEMORY_KIB = 19 * 1024;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final int MAX_MEMORY_KIB = 256 * 1024;
  private static final int MAX_ITERATIONS = 10;
  private static final Semaphore CONCURRENT = new Semaphore(2, true);
  private static final String DUMMY = hashBytes(new byte[] {0});

  private PasswordHasher() {}

  /**
   * Hashes a secret given as characters.
   *
   * @param secret the secret; not modified
   * @return the PHC string
   */
  public static String hash(char[] secret) {
    byte[] utf8 = utf8(secret);
    try {
      return hashBytes(utf8);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }

  /**
   * Hashes a secret given as UTF-8 bytes.
   *
   * @param secret the secret; not modified
   * @return the PHC string
   */
  public static String hashBytes(byte[] secret) {
    byte[] salt = new byte[SALT_BYTES];
    Jca.RANDOM.nextBytes(salt);
    byte[] hash = argon2(secret, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    String encoded = "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
        + unpadded(salt) + "$" + unpadded(hash);
    Arrays.fill(hash, (byte) 0);
    return encoded;
  }

  /**
   * Checks a secret against a PHC string in constant time. A malformed or out-of-bounds string never matches.
   *
   * @param secret the UTF-8 secret; not modified
   * @param encoded the PHC string
   * @return whether the secret matches
   */
  public static boolean verify(byte[] secret, String encoded) {
    String[] parts = encoded.split("\\$", -1);
    try {
      if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
        return false;
      }
      String[] params = parts[3].split(",", -1);
      if (params.length != 3
          || !params[0].startsWith("m=") || !params[1].startsWith("t=") || !params[2].startsWith("p=")) {
        return false;
      }
      int m = Integer.parseInt(params[0].substring(2));
      int t = Integer.parseInt(params[1].substring(2));
      int p = Integer.parseInt(params[2].substring(2));
      if (m < 8 || m > MAX_MEMORY_KIB || t < 1 || t > MAX_ITERATIONS || p != 1) {
        return false;
      }
      byte[] salt = Base64Strict.decodeStd(repad(parts[4]));
      byte[] expected = Base64Strict.decodeStd(repad(parts[5]));
      if (salt.length < 8 || expected.length < 16 || expected.length > 64) {
        return false;
      }
      byte[] actual = argon2(secret, salt, m, t, p, expected.length);
      boolean equal = MessageDigest.isEqual(actual, expected);
      Arrays.fill(actual, (byte) 0);
      return equal;
    } catch (NumberFormatException | Malformed e) {
      return false;
    }
  }

  /**
   * Spends the time of one verification without a stored hash, so that an unknown user takes as long as a wrong
   * password.
   *
   * @param secret the presented secret
   */
  public static void verifyDummy(byte[] secret) {
    verify(secret, DUMMY);
  }

  /**
   * Encodes characters as UTF-8 into a fresh array the caller clears; intermediate buffers are cleared.
   *
   * @param chars the characters
   * @return the bytes
   */
  public static byte[] utf8(char[] chars) {
    try {
      ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(chars));
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      buffer.clear();
      while (buffer.hasRemaining()) {
        buffer.put((byte) 0);
      }
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the secret is not valid Unicode text");
    }
  }

  private static byte[] argon2(byte[] secret, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib)
        .withIterations(iterations)
        .withParallelism(lanes)
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    CONCURRENT.acquireUninterruptibly();
    try {
      generator.generateBytes(secret, out);
    } finally {
      CONCURRENT.release();
    }
    return out;
  }

  private static String unpadded(byte[] bytes) {
    String s = Base64Strict.std(bytes);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    return s.substring(0, end);
  }

  private static String repad(String s) {
    return s + "=".repeat((4 - s.length() % 4) % 4);
  }
}
