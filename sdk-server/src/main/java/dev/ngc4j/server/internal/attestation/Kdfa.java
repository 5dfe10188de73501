package dev.ngc4j.server.internal.attestation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * KDFa with SHA-256 (TPM 2.0 Part 1 §11.4.10.2): SP 800-108 counter mode with HMAC, each block
 * {@code HMAC(key, [i]32 || label || 0x00 || contextU || contextV || [bits]32)}, the output truncated to
 * {@code bits}.
 *
 * <p>Thread safety: stateless.
 */
public final class Kdfa {
  private Kdfa() {}

  /**
   * Derives key material.
   *
   * @param key the secret key (HMAC key)
   * @param label the label without its terminating zero (one is added)
   * @param contextU the first context (may be empty)
   * @param contextV the second context (may be empty)
   * @param bits how many bits, a positive multiple of 8
   * @return {@code bits / 8} bytes; the caller clears them
   */
  public static byte[] sha256(byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
    if (bits <= 0 || bits % 8 != 0) {
      throw new IllegalArgumentException("KDFa output must be a positive multiple of 8 bits");
    }
    byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
    int length = bits / 8;
    byte[] out = new byte[length];
    byte[] block = null;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      int done = 0;
      for (int counter = 1; done < length; counter++) {
        mac.update(int32(counter));
        mac.update(labelBytes);
        mac.update((byte) 0);
        mac.update(contextU);
        mac.update(contextV);
        mac.update(int32(bits));
        block = mac.doFinal();
        int n = Math.min(block.length, length - done);
        System.arraycopy(block, 0, out, done, n);
        Arrays.fill(block, (byte) 0);
        done += n;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    } finally {
      if (block != null) {
        Arrays.fill(block, (byte) 0);
      }
    }
  }

  private static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
