package dev.ngc4j.core.internal.krb.pkinit;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.DomainParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * An ephemeral Diffie-Hellman key pair for one PKINIT exchange: a 256-bit private exponent (NIST SP 800-56A, enough
 * for the 112/152-bit strength of groups 14/16), the public value as an X9.42 {@code dhpublicnumber}
 * SubjectPublicKeyInfo (RFC 4556 section 3.2.3.1 and RFC 3279), and the shared secret as an octet string as long as
 * the modulus, leading zeros kept.
 *
 * <p>Thread safety: not thread-safe; one exchange owns it. {@link #destroy()} forgets the private exponent.
 */
public final class DhKeyPair implements Destroyable {
  private static final int PRIVATE_BITS = 256;

  private final DhGroup group;
  private BigInteger x;
  private final BigInteger y;
  private boolean destroyed;

  private DhKeyPair(DhGroup group, BigInteger x) {
    this.group = group;
    this.x = x;
    this.y = group.g().modPow(x, group.p());
  }

  /**
   * Generates a key pair.
   *
   * @param group the group
   * @param random the randomness
   * @return a fresh key pair
   */
  public static DhKeyPair generate(DhGroup group, SecureRandom random) {
    BigInteger x;
    do {
      x = new BigInteger(PRIVATE_BITS, random);
    } while (x.bitLength() < PRIVATE_BITS - 8);
    return new DhKeyPair(group, x);
  }

  /**
   * Returns the group.
   *
   * @return the group
   */
  public DhGroup group() {
    return group;
  }

  /**
   * Returns the public value as the DER SubjectPublicKeyInfo that goes into the AuthPack's clientPublicValue.
   *
   * @return the DER encoding
   */
  public byte[] subjectPublicKeyInfo() {
    try {
      return new SubjectPublicKeyInfo(
              new AlgorithmIdentifier(
                  X9ObjectIdentifiers.dhpublicnumber, new DomainParameters(group.p(), group.g(), group.q(), null, null)),
              new ASN1Integer(y))
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of a DH public key failed", e);
    }
  }

  /**
   * Computes the shared secret with the KDC's public value after checking that it lies in the prime-order
   * subgroup (so a KDC, or an attacker in its place, cannot force a small-subgroup secret).
   *
   * @param kdcPublic the KDC's public value
   * @return the shared secret, {@link DhGroup#modulusBytes()} long
   * @throws IllegalArgumentException when the value is outside the subgroup
   */
  public byte[] sharedSecret(BigInteger kdcPublic) {
    if (destroyed) {
      throw new IllegalStateException("the DH key pair was destroyed");
    }
    BigInteger p = group.p();
    if (kdcPublic.compareTo(BigInteger.TWO) < 0 || kdcPublic.compareTo(p.subtract(BigInteger.TWO)) > 0) {
      throw new IllegalArgumentException("the KDC's DH public value is out of range");
    }
    // For a safe prime p = 2q + 1 the subgroup of order q is exactly the quadratic residues, so y^q mod p == 1
    // exactly when the Jacobi (here Legendre) symbol (y/p) is 1: the same check as a full exponentiation, far cheaper.
    if (jacobi(kdcPublic, p) != 1) {
      throw new IllegalArgumentException("the KDC's DH public value is not in the prime-order subgroup");
    }
    byte[] z = kdcPublic.modPow(x, p).toByteArray();
    byte[] out = new byte[group.modulusBytes()];
    int start = z.length > out.length ? z.length - out.length : 0;
    System.arraycopy(z, start, out, out.length - (z.length - start), z.length - start);
    Arrays.fill(z, (byte) 0);
    return out;
  }

  /**
   * The Jacobi symbol (a/n) for odd positive n, by the binary algorithm (quadratic reciprocity).
   *
   * @param a the numerator
   * @param n the odd positive denominator
   * @return -1, 0 or 1
   */
  static int jacobi(BigInteger a, BigInteger n) {
    if (n.signum() <= 0 || !n.testBit(0)) {
      throw new IllegalArgumentException("the Jacobi symbol needs an odd positive modulus");
    }
    BigInteger x = a.mod(n);
    BigInteger m = n;
    int result = 1;
    while (x.signum() != 0) {
      int twos = x.getLowestSetBit();
      x = x.shiftRight(twos);
      int mod8 = m.intValue() & 7;
      if ((twos & 1) == 1 && (mod8 == 3 || mod8 == 5)) {
        result = -result;
      }
      if ((x.intValue() & 3) == 3 && (m.intValue() & 3) == 3) {
        result = -result;
      }
      BigInteger t = x;
      x = m.mod(t);
      m = t;
    }
    return m.equals(BigInteger.ONE) ? result : 0;
  }

  @Override
  public void destroy() {
    destroyed = true;
    x = BigInteger.ZERO;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }
}
