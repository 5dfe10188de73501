package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.server.internal.crypto.Jca;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;

/**
 * A parsed RSA {@code TPMT_PUBLIC} (TPM 2.0 Part 2 §12.2.4), read strictly from its marshalled form without a size
 * prefix: type, nameAlg, objectAttributes, authPolicy, {@code TPMS_RSA_PARMS} (symmetric, scheme, keyBits,
 * exponent) and the modulus in {@code unique}. The exact bytes are kept, so that the object's name is computed
 * over what the TPM marshalled.
 *
 * <p>Thread safety: immutable; accessors return copies.
 */
public final class TpmPublicArea {
  /** The largest RSA modulus a TPM2B_PUBLIC_KEY_RSA holds (MAX_RSA_KEY_BYTES). */
  private static final int MAX_RSA_BYTES = 512;
  private static final int MAX_DIGEST = 64;

  private final byte[] encoded;
  private final int nameAlg;
  private final int attributes;
  private final byte[] authPolicy;
  private final int symmetricAlg;
  private final int symmetricKeyBits;
  private final int symmetricMode;
  private final int scheme;
  private final int schemeHash;
  private final int keyBits;
  private final int exponent;
  private final byte[] modulus;

  private TpmPublicArea(
      byte[] encoded, int nameAlg, int attributes, byte[] authPolicy, int symmetricAlg, int symmetricKeyBits,
      int symmetricMode, int scheme, int schemeHash, int keyBits, int exponent, byte[] modulus) {
    this.encoded = encoded;
    this.nameAlg = nameAlg;
    this.attributes = attributes;
    this.authPolicy = authPolicy;
    this.symmetricAlg = symmetricAlg;
    this.symmetricKeyBits = symmetricKeyBits;
    this.symmetricMode = symmetricMode;
    this.scheme = scheme;
    this.schemeHash = schemeHash;
    this.keyBits = keyBits;
    this.exponent = exponent;
    this.modulus = modulus;
  }

  /**
   * Returns the {@code type} of a marshalled TPMT_PUBLIC without parsing the rest.
   *
   * @param encoded the bytes
   * @return the TPMI_ALG_PUBLIC value
   * @throws TpmFormatException if there are fewer than two bytes
   */
  public static int peekType(byte[] encoded) throws TpmFormatException {
    return new TpmReader(encoded, "TPMT_PUBLIC").u16("type");
  }

  /**
   * Parses a marshalled RSA TPMT_PUBLIC; every byte must belong to it.
   *
   * @param encoded the bytes (copied)
   * @return the parsed area
   * @throws TpmFormatException if it is not an RSA public area, is truncated, or has bytes left over
   */
  public static TpmPublicArea parse(byte[] encoded) throws TpmFormatException {
    byte[] copy = encoded.clone();
    TpmReader r = new TpmReader(copy, "TPMT_PUBLIC");
    int type = r.u16("type");
    if (type != Tpm.ALG_RSA) {
      throw new TpmFormatException("TPMT_PUBLIC type is " + Tpm.alg(type) + ", not RSA");
    }
    int nameAlg = r.u16("nameAlg");
    int attributes = r.u32("objectAttributes");
    byte[] authPolicy = r.sized(MAX_DIGEST, "authPolicy");
    int symAlg = r.u16("parameters.symmetric.algorithm");
    int symBits = 0;
    int symMode = Tpm.ALG_NULL;
    if (symAlg != Tpm.ALG_NULL) {
      symBits = r.u16("parameters.symmetric.keyBits");
      symMode = r.u16("parameters.symmetric.mode");
    }
    int scheme = r.u16("parameters.scheme.scheme");
    int schemeHash = Tpm.ALG_NULL;
    switch (scheme) {
      case Tpm.ALG_NULL, Tpm.ALG_RSAES -> {
        // no details
      }
      case Tpm.ALG_RSASSA, Tpm.ALG_RSAPSS, Tpm.ALG_OAEP -> schemeHash = r.u16("parameters.scheme.details.hashAlg");
      default -> throw new TpmFormatException("TPMT_PUBLIC has an unknown RSA scheme " + Tpm.alg(scheme));
    }
    int keyBits = r.u16("parameters.keyBits");
    int exponent = r.u32("parameters.exponent");
    byte[] modulus = r.sized(MAX_RSA_BYTES, "unique.rsa");
    r.end();
    return new TpmPublicArea(
        copy, nameAlg, attributes, authPolicy, symAlg, symBits, symMode, scheme, schemeHash, keyBits, exponent,
        modulus);
  }

  /**
   * Returns the object's name: {@code nameAlg || H(exact TPMT_PUBLIC bytes)}.
   *
   * @return the name
   * @throws TpmFormatException if nameAlg is not SHA-256 (the only one the service computes)
   */
  public byte[] name() throws TpmFormatException {
    if (nameAlg != Tpm.ALG_SHA256) {
      throw new TpmFormatException("TPMT_PUBLIC nameAlg is " + Tpm.alg(nameAlg) + ", not SHA256");
    }
    byte[] digest = Jca.sha256(encoded);
    byte[] name = new byte[2 + digest.length];
    name[0] = (byte) (nameAlg >> 8);
    name[1] = (byte) nameAlg;
    System.arraycopy(digest, 0, name, 2, digest.length);
    return name;
  }

  /** Returns the exact marshalled bytes. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** Returns nameAlg. */
  public int nameAlg() {
    return nameAlg;
  }

  /** Returns objectAttributes. */
  public int attributes() {
    return attributes;
  }

  /** Returns authPolicy. */
  public byte[] authPolicy() {
    return authPolicy.clone();
  }

  /** Returns parameters.symmetric.algorithm. */
  public int symmetricAlg() {
    return symmetricAlg;
  }

  /** Returns parameters.symmetric.keyBits (0 when the algorithm is NULL). */
  public int symmetricKeyBits() {
    return symmetricKeyBits;
  }

  /** Returns parameters.symmetric.mode (NULL when the algorithm is NULL). */
  public int symmetricMode() {
    return symmetricMode;
  }

  /** Returns parameters.scheme.scheme. */
  public int scheme() {
    return scheme;
  }

  /** Returns parameters.scheme.details.hashAlg (NULL when the scheme has none). */
  public int schemeHash() {
    return schemeHash;
  }

  /** Returns parameters.keyBits. */
  public int keyBits() {
    return keyBits;
  }

  /** Returns parameters.exponent as marshalled (0 means 65537). */
  public int exponent() {
    return exponent;
  }

  /** Returns the public exponent, 0 mapped to 65537. */
  public BigInteger exponentValue() {
    return exponent == 0 ? BigInteger.valueOf(65537) : BigInteger.valueOf(exponent & 0xffffffffL);
  }

  /** Returns the modulus. */
  public BigInteger modulus() {
    return new BigInteger(1, modulus);
  }

  /** Returns the length in bytes of {@code unique} (the marshalled modulus). */
  public int modulusLength() {
    return modulus.length;
  }

  /**
   * Returns whether this area holds exactly the given RSA key (modulus and exponent).
   *
   * @param key the key
   * @return true if both match
   */
  public boolean holds(RSAPublicKey key) {
    return modulus().equals(key.getModulus()) && exponentValue().equals(key.getPublicExponent());
  }

  @Override
  public String toString() {
    return "TPMT_PUBLIC[nameAlg=" + Tpm.alg(nameAlg) + ", attributes=" + Tpm.attributeNames(attributes)
        + ", keyBits=" + keyBits + ", scheme=" + Tpm.alg(scheme) + "]";
  }

  /** Content equality of the marshalled bytes. */
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof TpmPublicArea other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }
}
