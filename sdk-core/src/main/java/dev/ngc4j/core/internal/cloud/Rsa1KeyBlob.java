package dev.ngc4j.core.internal.cloud;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Windows {@code BCRYPT_RSAPUBLIC_BLOB} ("RSA1") form of an RSA public key, as Entra ID expects it for the
 * device transport key ({@code TransportKey}), {@code kngc} and the {@code kid} hash input.
 *
 * <p>Layout: a 24-byte little-endian header (magic {@code "RSA1"}, {@code BitLength}, {@code cbPublicExp},
 * {@code cbModulus}, {@code cbPrime1 = 0}, {@code cbPrime2 = 0}, each an unsigned 32-bit integer), then the
 * public exponent and the modulus, both big-endian without leading zero bytes. For a 2048-bit key with
 * e = 65537 the blob has 283 bytes. Callers encode it in standard base64 for the wire.
 *
 * <p>Decoding is strict and fails with {@link NgcException} ({@link ErrorCode#UNSUPPORTED}) on any deviation,
 * never with an unchecked exception.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Rsa1KeyBlob {
  /** The header length in bytes. */
  static final int HEADER_BYTES = 24;
  /** The smallest modulus accepted, in bits. */
  static final int MIN_MODULUS_BITS = 2048;
  /** The largest modulus accepted, in bits; bounds the work a hostile blob can cause. */
  static final int MAX_MODULUS_BITS = 16384;
  /** The largest public exponent field accepted, in bytes. */
  static final int MAX_EXPONENT_BYTES = 8;

  private static final int MAGIC_RSA1 = 0x31415352; // "RSA1" read as a little-endian u32
  private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);
  private static final String REMEDY =
      "supply a BCRYPT_RSAPUBLIC_BLOB (\"RSA1\") of an RSA key of at least 2048 bits, without primes";

  private Rsa1KeyBlob() {}

  /**
   * Encodes an RSA public key as an "RSA1" public blob.
   *
   * @param key the public key; its modulus must have at least 2048 bits and its exponent at most 8 bytes
   * @return a fresh array with the blob
   * @throws NgcException ({@link ErrorCode#UNSUPPORTED}) if the key is outside those limits
   */
  public static byte[] encode(RSAPublicKey key) throws NgcException {
    Objects.requireNonNull(key, "key");
    BigInteger n = key.getModulus();
    BigInteger e = key.getPublicExponent();
    int bits = n.bitLength();
    if (n.signum() <= 0 || bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
      throw invalid("the RSA modulus must have between 2048 and 16384 bits");
    }
    byte[] exponent = unsigned(e);
    if (e.signum() <= 0 || exponent.length > MAX_EXPONENT_BYTES) {
      throw invalid("the RSA public exponent must be positive and at most 8 bytes long");
    }
    byte[] modulus = unsigned(n);
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + exponent.length + modulus.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC_RSA1).putInt(bits).putInt(exponent.length).putInt(modulus.length).putInt(0).putInt(0);
    out.put(exponent).put(modulus);
    return out.array();
  }

  /**
   * Decodes an "RSA1" public blob strictly: the magic must be {@code "RSA1"}, the prime lengths zero, the
   * exponent and modulus lengths must account for every remaining byte exactly, both numbers must be minimal
   * (no leading zero byte), the modulus must be odd with exactly {@code BitLength} bits (2048 to 16384), and the
   * exponent odd and at least 65537.
   *
   * @param blob the blob bytes; not modified
   * @return the public key
   * @throws NgcException ({@link ErrorCode#UNSUPPORTED}) if the blob is malformed or the key is not acceptable
   */
  public static RSAPublicKey decode(byte[] blob) throws NgcException {
    Objects.requireNonNull(blob, "blob");
    if (blob.length < HEADER_BYTES) {
      throw invalid("the RSA1 key blob is shorter than its 24-byte header");
    }
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    if (in.getInt() != MAGIC_RSA1) {
      throw invalid("the key blob does not start with the RSA1 public magic");
    }
    long bitLength = Integer.toUnsignedLong(in.getInt());
    long cbPublicExp = Integer.toUnsignedLong(in.getInt());
    long cbModulus = Integer.toUnsignedLong(in.getInt());
    long cbPrime1 = Integer.toUnsignedLong(in.getInt());
    long cbPrime2 = Integer.toUnsignedLong(in.getInt());
    if (cbPrime1 != 0 || cbPrime2 != 0) {
      throw invalid("the RSA1 public key blob declares prime lengths; a public blob must not carry primes");
    }
    if (bitLength < MIN_MODULUS_BITS || bitLength > MAX_MODULUS_BITS) {
      throw invalid("the RSA1 key blob declares a modulus outside 2048 to 16384 bits");
    }
    if (cbPublicExp == 0 || cbPublicExp > MAX_EXPONENT_BYTES) {
      throw invalid("the RSA1 key blob declares a public exponent length outside 1 to 8 bytes");
    }
    if (cbModulus != (bitLength + 7) / 8) {
      throw invalid("the RSA1 key blob's modulus length does not match its bit length");
    }
    long remaining = blob.length - (long) HEADER_BYTES;
    if (cbPublicExp + cbModulus > remaining) {
      throw invalid("the RSA1 key blob is shorter than its declared exponent and modulus");
    }
    if (cbPublicExp + cbModulus < remaining) {
      throw invalid("the RSA1 key blob has trailing bytes after the modulus");
    }
    int expStart = HEADER_BYTES;
    int modStart = expStart + (int) cbPublicExp;
    if (blob[expStart] == 0 || blob[modStart] == 0) {
      throw invalid("the RSA1 key blob's exponent or modulus has a leading zero byte");
    }
    BigInteger e = new BigInteger(1, Arrays.copyOfRange(blob, expStart, modStart));
    BigInteger n = new BigInteger(1, Arrays.copyOfRange(blob, modStart, blob.length));
    if (n.bitLength() != bitLength || !n.testBit(0)) {
      throw invalid("the RSA1 key blob's modulus does not have its declared bit length or is even");
    }
    if (!e.testBit(0) || e.compareTo(MIN_EXPONENT) < 0 || e.compareTo(n) >= 0) {
      throw invalid("the RSA1 key blob's public exponent must be odd, at least 65537 and below the modulus");
    }
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      if (key instanceof RSAPublicKey rsa) {
        return rsa;
      }
      throw invalid("the JDK did not produce an RSA public key from the RSA1 key blob");
    } catch (GeneralSecurityException ex) {
      throw new NgcException(
          ErrorCode.UNSUPPORTED, "the RSA1 key blob does not hold a usable RSA public key", REMEDY, ex);
    }
  }

  /** Returns the big-endian magnitude of a positive number without a sign byte. */
  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      return Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return bytes;
  }

  private static NgcException invalid(String detail) {
    return new NgcException(ErrorCode.UNSUPPORTED, detail, REMEDY, null);
  }
}
