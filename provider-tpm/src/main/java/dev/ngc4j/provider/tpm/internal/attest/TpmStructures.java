package dev.ngc4j.provider.tpm.internal.attest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import tss.TpmBuffer;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;

/**
 * The TPM structures this package builds or checks: the AK template, RSA keys out of {@code TPMT_PUBLIC}s, and the
 * checks a verifier makes on a TPM2_Certify statement (the same rules as the service's verifier: magic
 * TPM_GENERATED_VALUE, type TPM_ST_ATTEST_CERTIFY, extraData = the qualifying data, certified name = {@code 0x000B
 * || SHA-256(pubArea)}, RSASSA-SHA256 signature over the exact TPMS_ATTEST bytes). Names are hashed with the JDK:
 * TSS.Java's own hashing would load its BouncyCastle-based crypto class, which this provider keeps off the class
 * path.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class TpmStructures {
  /** sign|restricted|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA. */
  static final int AK_ATTRIBUTES = 0x00050472;
  /** TPM_GENERATED_VALUE. */
  static final int TPM_GENERATED = 0xFF544347;
  /** TPM_ST_ATTEST_CERTIFY. */
  static final int ST_ATTEST_CERTIFY = 0x8017;
  static final int ALG_SHA256 = 0x000B;
  static final int ALG_RSASSA = 0x0014;
  static final int ALG_RSA = 0x0001;
  static final int ALG_NULL = 0x0010;
  /** The largest qualifying data TPM2_Certify takes here (TPM2B_DATA holds a TPMT_HA; SHA-512 is 64 bytes). */
  static final int MAX_QUALIFYING_DATA = 64;
  private static final int RSA_BITS = 2048;
  private static final int DECRYPT = 0x00020000;
  private static final int RESTRICTED = 0x00010000;
  private static final int FIXED_TPM = 0x00000002;

  private TpmStructures() {}

  /** The AK template: restricted RSA-2048 signing key, RSASSA-SHA256, SHA-256 names, empty policy. */
  static TPMT_PUBLIC akTemplate() {
    return new TPMT_PUBLIC(
        TPM_ALG_ID.SHA256,
        new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.restricted, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA),
        new byte[0],
        new TPMS_RSA_PARMS(new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL),
            new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), RSA_BITS, 0),
        new TPM2B_PUBLIC_KEY_RSA());
  }

  /** Parses exactly one TPMT_PUBLIC. */
  static TPMT_PUBLIC parsePublic(byte[] publicArea) {
    TpmBuffer buf = new TpmBuffer(publicArea);
    TPMT_PUBLIC pub;
    try {
      pub = TPMT_PUBLIC.fromTpm(buf);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the public area does not parse as a TPMT_PUBLIC", e);
    }
    if (!buf.isOk() || buf.curPos() != publicArea.length) {
      throw new IllegalArgumentException("the public area is not exactly one TPMT_PUBLIC");
    }
    return pub;
  }

  /**
   * Checks that a public area is an AK as this package makes them: RSA-2048, SHA-256 names, exactly the AK
   * attributes, empty policy, RSASSA-SHA256, no symmetric algorithm.
   *
   * @throws IllegalArgumentException saying what does not fit
   */
  static RSAPublicKey checkAk(byte[] publicArea) {
    TPMT_PUBLIC pub = parsePublic(publicArea);
    if (pub.nameAlg == null || pub.nameAlg.toInt() != ALG_SHA256) {
      throw new IllegalArgumentException("the AK's name algorithm is not SHA-256");
    }
    if (pub.objectAttributes == null || pub.objectAttributes.toInt() != AK_ATTRIBUTES) {
      throw new IllegalArgumentException("the AK's attributes are not those of a restricted signing key");
    }
    if (pub.authPolicy != null && pub.authPolicy.length != 0) {
      throw new IllegalArgumentException("the AK has an authorisation policy");
    }
    if (!(pub.parameters instanceof TPMS_RSA_PARMS rsa)) {
      throw new IllegalArgumentException("the AK is not an RSA key");
    }
    if (rsa.schemeScheme() == null || rsa.schemeScheme().toInt() != ALG_RSASSA) {
      throw new IllegalArgumentException("the AK's scheme is not RSASSA");
    }
    if (!(rsa.scheme instanceof TPMS_SIG_SCHEME_RSASSA scheme) || scheme.hashAlg == null
        || scheme.hashAlg.toInt() != ALG_SHA256) {
      throw new IllegalArgumentException("the AK's scheme does not sign with SHA-256");
    }
    RSAPublicKey key = rsaKey(pub);
    if (key.getModulus().bitLength() != RSA_BITS) {
      throw new IllegalArgumentException("the AK is not RSA-2048");
    }
    return key;
  }

  /**
   * Checks that a public area is an RSA storage-type EK: RSA, restricted, decrypt, fixedTPM.
   *
   * @throws IllegalArgumentException saying what does not fit
   */
  static RSAPublicKey checkRsaEk(byte[] publicArea) {
    TPMT_PUBLIC pub = parsePublic(publicArea);
    int attributes = pub.objectAttributes == null ? 0 : pub.objectAttributes.toInt();
    int required = RESTRICTED | DECRYPT | FIXED_TPM;
    if ((attributes & required) != required) {
      throw new IllegalArgumentException("the key is not a restricted decryption key fixed to its TPM (attributes 0x"
          + Integer.toHexString(attributes) + ")");
    }
    return rsaKey(pub);
  }

  /** The RSA key of any RSA public area (exponent 0 means 65537). */
  static RSAPublicKey rsaKey(byte[] publicArea) {
    return rsaKey(parsePublic(publicArea));
  }

  private static RSAPublicKey rsaKey(TPMT_PUBLIC pub) {
    if (!(pub.parameters instanceof TPMS_RSA_PARMS rsa) || !(pub.unique instanceof TPM2B_PUBLIC_KEY_RSA modulus)
        || modulus.buffer == null || modulus.buffer.length == 0) {
      throw new IllegalArgumentException("the public area is not an RSA key");
    }
    long e = rsa.exponent & 0xFFFF_FFFFL;
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
          new RSAPublicKeySpec(new BigInteger(1, modulus.buffer), BigInteger.valueOf(e == 0 ? 65537 : e)));
    } catch (GeneralSecurityException ex) {
      throw new IllegalArgumentException("the modulus is not a valid RSA key", ex);
    }
  }

  /** Whether two keys are the same RSA key (modulus and exponent). */
  static boolean sameRsaKey(PublicKey a, PublicKey b) {
    return a instanceof RSAPublicKey x && b instanceof RSAPublicKey y
        && x.getModulus().equals(y.getModulus()) && x.getPublicExponent().equals(y.getPublicExponent());
  }

  /**
   * Checks a TPM2_Certify statement as a verifier would.
   *
   * @param certInfo the marshalled TPMS_ATTEST
   * @param pubArea the certified key's marshalled TPMT_PUBLIC
   * @param signature the raw RSASSA signature
   * @param qualifyingData what extraData must be
   * @param akKey the AK's public key
   * @throws IllegalArgumentException saying which check failed
   */
  static void checkStatement(byte[] certInfo, byte[] pubArea, byte[] signature, byte[] qualifyingData,
      PublicKey akKey) {
    Attest attest = Attest.parse(certInfo);
    if (attest.magic != TPM_GENERATED) {
      throw new IllegalArgumentException("certInfo's magic is 0x" + Integer.toHexString(attest.magic)
          + ", not TPM_GENERATED_VALUE");
    }
    if (attest.type != ST_ATTEST_CERTIFY) {
      throw new IllegalArgumentException("certInfo's type is 0x" + Integer.toHexString(attest.type)
          + ", not TPM_ST_ATTEST_CERTIFY");
    }
    if (!MessageDigest.isEqual(attest.extraData, qualifyingData)) {
      throw new IllegalArgumentException("certInfo's extraData is not the qualifying data");
    }
    if (!MessageDigest.isEqual(attest.name, AttestationFiles.sha256Name(pubArea))) {
      throw new IllegalArgumentException("certInfo's certified name is not 0x000B || SHA-256(pubArea)");
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(akKey);
      verifier.update(certInfo);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("the signature over certInfo does not verify with the AK's key");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the signature over certInfo cannot be checked: " + e.getMessage(), e);
    }
  }

  /** The fields of a certify TPMS_ATTEST that the checks use, parsed strictly (nothing may follow). */
  static final class Attest {
    final int magic;
    final int type;
    final byte[] extraData;
    final byte[] name;

    private Attest(int magic, int type, byte[] extraData, byte[] name) {
      this.magic = magic;
      this.type = type;
      this.extraData = extraData;
      this.name = name;
    }

    static Attest parse(byte[] b) {
      int[] pos = {0};
      int magic = u32(b, pos);
      int type = u16(b, pos);
      sized(b, pos); // qualifiedSigner
      byte[] extraData = sized(b, pos);
      skip(b, pos, 8 + 4 + 4 + 1); // clockInfo: clock, resetCount, restartCount, safe
      skip(b, pos, 8); // firmwareVersion
      if (type != ST_ATTEST_CERTIFY) {
        return new Attest(magic, type, extraData, new byte[0]);
      }
      byte[] name = sized(b, pos);
      sized(b, pos); // qualifiedName
      if (pos[0] != b.length) {
        throw new IllegalArgumentException("certInfo has " + (b.length - pos[0]) + " bytes after its last field");
      }
      return new Attest(magic, type, extraData, name);
    }

    private static void skip(byte[] b, int[] pos, int n) {
      if (b.length - pos[0] < n) {
        throw new IllegalArgumentException("certInfo is truncated");
      }
      pos[0] += n;
    }

    private static int u16(byte[] b, int[] pos) {
      skip(b, pos, 2);
      return ((b[pos[0] - 2] & 0xFF) << 8) | (b[pos[0] - 1] & 0xFF);
    }

    private static int u32(byte[] b, int[] pos) {
      skip(b, pos, 4);
      int p = pos[0] - 4;
      return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static byte[] sized(byte[] b, int[] pos) {
      int n = u16(b, pos);
      skip(b, pos, n);
      return Arrays.copyOfRange(b, pos[0] - n, pos[0]);
    }
  }
}
