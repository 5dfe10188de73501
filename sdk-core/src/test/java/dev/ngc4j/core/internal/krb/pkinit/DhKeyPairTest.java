package dev.ngc4j.core.internal.krb.pkinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ephemeral Diffie-Hellman of PKINIT: groups, public value encoding, shared secret and peer value checks. */
final class DhKeyPairTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The public value y from a DhKeyPair's SubjectPublicKeyInfo. */
  private static BigInteger publicValue(DhKeyPair pair) throws Exception {
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.subjectPublicKeyInfo());
    return ASN1Integer.getInstance(spki.parsePublicKey()).getPositiveValue();
  }

  /** The shared secret as a KDC computes it: y^b mod p, left-padded to the modulus length (RFC 4556 3.2.3.1). */
  private static byte[] padded(BigInteger z, int length) {
    byte[] magnitude = z.toByteArray();
    byte[] out = new byte[length];
    int skip = magnitude.length > length ? magnitude.length - length : 0;
    System.arraycopy(magnitude, skip, out, length - (magnitude.length - skip), magnitude.length - skip);
    return out;
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void agreesWithTheOtherSideComputedByModPow(DhGroup group) throws Exception {
    DhKeyPair client = DhKeyPair.generate(group, RANDOM);
    BigInteger kdcPrivate = new BigInteger(256, RANDOM).setBit(255);
    BigInteger kdcPublic = group.g().modPow(kdcPrivate, group.p());

    byte[] clientSecret = client.sharedSecret(kdcPublic);
    BigInteger kdcSide = publicValue(client).modPow(kdcPrivate, group.p());

    assertEquals(group.modulusBytes(), clientSecret.length);
    assertArrayEquals(padded(kdcSide, group.modulusBytes()), clientSecret);
    assertEquals(kdcSide, new BigInteger(1, clientSecret));
  }

  @Test
  void twoKeyPairsInTheSameGroupAgree() throws Exception {
    DhKeyPair a = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);
    DhKeyPair b = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);

    byte[] ab = a.sharedSecret(publicValue(b));
    byte[] ba = b.sharedSecret(publicValue(a));

    assertArrayEquals(ab, ba);
    assertNotEquals(publicValue(a), publicValue(b));
    DhKeyPair c = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);
    assertFalse(java.util.Arrays.equals(ab, a.sharedSecret(publicValue(c))), "another peer, another secret");
  }

  @Test
  void privateExponentIsFreshEachTime() throws Exception {
    assertNotEquals(
        publicValue(DhKeyPair.generate(DhGroup.MODP_2048, RANDOM)),
        publicValue(DhKeyPair.generate(DhGroup.MODP_2048, RANDOM)));
  }

  /**
   * Finds a peer value g^k whose shared secret y^k has at least {@code zeroBytes} leading zero bytes: the secrets
   * y^1, y^2, ... are walked by multiplying by y, so no private exponent is needed, and a secret below
   * 2^(bits - 8 * zeroBytes) comes up after about 256^zeroBytes steps.
   */
  private static BigInteger[] peerWithSmallSecret(DhKeyPair pair, int zeroBytes) throws Exception {
    DhGroup group = pair.group();
    BigInteger p = group.p();
    BigInteger y = publicValue(pair);
    BigInteger limit = BigInteger.ONE.shiftLeft(group.modulusBytes() * 8 - 8 * zeroBytes);
    BigInteger secret = y;
    for (int k = 1; k < 200_000; k++) {
      if (secret.compareTo(limit) < 0) {
        return new BigInteger[] {group.g().modPow(BigInteger.valueOf(k), p), secret};
      }
      secret = secret.multiply(y).mod(p);
    }
    throw new AssertionError("no small secret found");
  }

  @Test
  void secretKeepsLeadingZerosToTheModulusLength() throws Exception {
    DhKeyPair pair = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);
    BigInteger[] found = peerWithSmallSecret(pair, 1);
    BigInteger peer = found[0];
    BigInteger expected = found[1];

    byte[] secret = pair.sharedSecret(peer);

    assertEquals(256, secret.length);
    assertEquals(0, secret[0]);
    assertEquals(expected, new BigInteger(1, secret));
    assertArrayEquals(padded(expected, 256), secret);
  }

  @Test
  void secretWithTheTopBitSetIsNotLengthenedBySignByte() throws Exception {
    DhKeyPair pair = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);
    BigInteger p = pair.group().p();
    BigInteger y = publicValue(pair);
    BigInteger secret = y;
    int k = 1;
    while (secret.bitLength() != 2048) {
      secret = secret.multiply(y).mod(p);
      k++;
    }
    byte[] out = pair.sharedSecret(pair.group().g().modPow(BigInteger.valueOf(k), p));
    assertEquals(256, out.length);
    assertTrue(out[0] < 0, "top bit set");
    assertEquals(secret, new BigInteger(1, out));
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void refusesPeerValuesOutOfRange(DhGroup group) {
    DhKeyPair pair = DhKeyPair.generate(group, RANDOM);
    BigInteger p = group.p();
    for (BigInteger bad : new BigInteger[] {
      BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p, p.add(BigInteger.TWO), BigInteger.valueOf(-2)
    }) {
      assertThrows(IllegalArgumentException.class, () -> pair.sharedSecret(bad), bad.toString(16));
    }
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void refusesPeerValueOutsideThePrimeOrderSubgroup(DhGroup group) {
    DhKeyPair pair = DhKeyPair.generate(group, RANDOM);
    BigInteger p = group.p();
    // p = 3 mod 4, so -1 is a quadratic non-residue and -4 = -(2^2) lies outside the subgroup of squares.
    BigInteger outside = p.subtract(BigInteger.valueOf(4));
    assertNotEquals(BigInteger.ONE, outside.modPow(group.q(), p), "test value must be outside the subgroup");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pair.sharedSecret(outside));
    PkiFixture.assertMentions(e, "subgroup");
    // a value inside the subgroup and in range is accepted
    assertEquals(group.modulusBytes(), pair.sharedSecret(BigInteger.valueOf(4)).length);
  }

  @Test
  void destroyedPairComputesNoSecret() throws Exception {
    DhKeyPair pair = DhKeyPair.generate(DhGroup.MODP_2048, RANDOM);
    BigInteger peer = DhGroup.MODP_2048.g().modPow(BigInteger.valueOf(12345), DhGroup.MODP_2048.p());
    pair.sharedSecret(peer);
    assertFalse(pair.isDestroyed());

    pair.destroy();

    assertTrue(pair.isDestroyed());
    assertThrows(IllegalStateException.class, () -> pair.sharedSecret(peer));
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void publicKeyIsX942DhPublicNumberWithPgqAndTheInteger(DhGroup group) throws Exception {
    DhKeyPair pair = DhKeyPair.generate(group, RANDOM);
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.subjectPublicKeyInfo());

    assertEquals("1.2.840.10046.2.1", spki.getAlgorithm().getAlgorithm().getId());
    ASN1Sequence domain = ASN1Sequence.getInstance(spki.getAlgorithm().getParameters());
    assertEquals(3, domain.size(), "DomainParameters: p, g, q and nothing else");
    assertEquals(group.p(), ASN1Integer.getInstance(domain.getObjectAt(0)).getValue());
    assertEquals(group.g(), ASN1Integer.getInstance(domain.getObjectAt(1)).getValue());
    assertEquals(group.q(), ASN1Integer.getInstance(domain.getObjectAt(2)).getValue());

    ASN1Primitive key = spki.parsePublicKey();
    BigInteger y = ASN1Integer.getInstance(key).getValue();
    assertTrue(y.signum() > 0 && y.compareTo(group.p()) < 0);
    assertEquals(BigInteger.ONE, y.modPow(group.q(), group.p()), "y lies in the prime-order subgroup");
    assertEquals(0, spki.getPublicKeyData().getPadBits());
    // DER: re-encoding what was parsed gives the same bytes
    assertArrayEquals(pair.subjectPublicKeyInfo(), spki.getEncoded("DER"));
  }

  @Test
  void groupsAreTheRfc3526SafePrimes() {
    assertEquals(14, DhGroup.MODP_2048.number());
    assertEquals(16, DhGroup.MODP_4096.number());
    assertEquals(256, DhGroup.MODP_2048.modulusBytes());
    assertEquals(512, DhGroup.MODP_4096.modulusBytes());
    for (DhGroup group : DhGroup.values()) {
      BigInteger p = group.p();
      assertEquals(group.modulusBytes() * 8, p.bitLength());
      assertEquals(BigInteger.TWO, group.g());
      assertEquals(p.subtract(BigInteger.ONE).shiftRight(1), group.q());
      // g = 2 generates the subgroup of order q that sharedSecret's membership check relies on
      assertEquals(BigInteger.ONE, group.g().modPow(group.q(), p));
      // RFC 3526: the top and bottom 64 bits of every MODP prime are all ones
      BigInteger ones = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
      assertEquals(ones, p.shiftRight(p.bitLength() - 64));
      assertEquals(ones, p.and(ones));
    }
  }

  @Test
  void subgroupOrderOfGroup14IsPrime() {
    // p is a safe prime, so the subgroup check is complete; the 4096-bit q is left out to keep the test fast
    assertTrue(DhGroup.MODP_2048.q().isProbablePrime(20));
    assertTrue(DhGroup.MODP_2048.p().isProbablePrime(20));
  }

  @Test
  void ofFindsGroups14And16() {
    assertEquals(Optional.of(DhGroup.MODP_2048),
        DhGroup.of(DHStandardGroups.rfc3526_2048.getP(), DHStandardGroups.rfc3526_2048.getG()));
    assertEquals(Optional.of(DhGroup.MODP_4096),
        DhGroup.of(DHStandardGroups.rfc3526_4096.getP(), DHStandardGroups.rfc3526_4096.getG()));
  }

  @Test
  void ofRefusesSmallerOrUnknownGroups() {
    // RFC 2409 Oakley group 2, the 1024-bit MODP group a downgrading KDC might name
    assertEquals(Optional.empty(),
        DhGroup.of(DHStandardGroups.rfc2409_1024.getP(), DHStandardGroups.rfc2409_1024.getG()));
    assertEquals(Optional.empty(),
        DhGroup.of(DHStandardGroups.rfc3526_1536.getP(), DHStandardGroups.rfc3526_1536.getG()));
    // the right prime with another generator
    assertEquals(Optional.empty(), DhGroup.of(DhGroup.MODP_2048.p(), BigInteger.valueOf(5)));
  }
}
