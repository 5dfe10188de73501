package dev.ngc4j.provider.tpm.internal.session;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The TPM hash algorithms this package can compute names and HMACs with.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
enum HashAlg {
  SHA1(0x0004, "SHA-1", 20, 64),
  SHA256(0x000B, "SHA-256", 32, 64),
  SHA384(0x000C, "SHA-384", 48, 128),
  SHA512(0x000D, "SHA-512", 64, 128);

  private final int tpmId;
  private final String jcaName;
  private final int digestLength;
  private final int blockLength;

  HashAlg(int tpmId, String jcaName, int digestLength, int blockLength) {
    this.tpmId = tpmId;
    this.jcaName = jcaName;
    this.digestLength = digestLength;
    this.blockLength = blockLength;
  }

  /**
   * Returns the algorithm with a TPM_ALG_ID.
   *
   * @throws IllegalArgumentException if it is not one of the four supported hashes
   */
  static HashAlg fromTpmId(int id) {
    for (HashAlg alg : values()) {
      if (alg.tpmId == id) {
        return alg;
      }
    }
    throw new IllegalArgumentException(
        "unsupported TPM hash algorithm 0x" + Integer.toHexString(id) + " (need SHA-1, SHA-256, SHA-384 or SHA-512)");
  }

  int tpmId() {
    return tpmId;
  }

  String jcaName() {
    return jcaName;
  }

  int digestLength() {
    return digestLength;
  }

  /** The hash's input block length, the HMAC pad length. */
  int blockLength() {
    return blockLength;
  }

  MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-1 and SHA-256; SHA-384/512 are in every JDK we support.
      throw new IllegalStateException("the Java runtime has no " + jcaName, e);
    }
  }
}
