package dev.ngc4j.server.internal.attestation;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;

/**
 * A software stand-in for the TPM side, for tests only: an RSA EK, an AK and a user key with their TPMT_PUBLIC
 * marshalled as a TPM would (the templates of docs/tpm.md), TPM2_ActivateCredential's math, and TPM2_Certify
 * (a TPMS_ATTEST marshalled here and signed by the AK). KDFa here is BouncyCastle's SP 800-108 counter-mode
 * generator, independent of the service's implementation.
 */
final class SoftTpm {
  /** The standard EK policy: PolicySecret(TPM_RH_ENDORSEMENT). */
  static final byte[] EK_POLICY =
      HexFormat.of().parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
  /** The AK's attributes in provider-tpm: sign|restricted|fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA. */
  static final int AK_ATTRIBUTES = 0x00050472;
  /** The standard EK's attributes. */
  static final int EK_ATTRIBUTES = 0x000300B2;

  final KeyPair ek = rsa();
  final KeyPair ak = rsa();
  final KeyPair user = rsa();

  static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- TPMT_PUBLIC ---------------------------------------------------------------------------------------

  /** The fields of an RSA TPMT_PUBLIC, changeable before {@link #marshal}. */
  static final class PublicTemplate {
    int type = Tpm.ALG_RSA;
    int nameAlg = Tpm.ALG_SHA256;
    int attributes;
    byte[] authPolicy = new byte[0];
    int symAlg = Tpm.ALG_NULL;
    int symBits = 128;
    int symMode = Tpm.ALG_CFB;
    int scheme = Tpm.ALG_RSASSA;
    int schemeHash = Tpm.ALG_SHA256;
    int keyBits = 2048;
    int exponent = 0;
    byte[] modulus;
    byte[] trailing = new byte[0];

    PublicTemplate(RSAPublicKey key, int attributes) {
      this(unsigned(key.getModulus(), 256), attributes);
    }

    PublicTemplate(byte[] modulus, int attributes) {
      this.attributes = attributes;
      this.modulus = modulus.clone();
    }

    /** The fields of a parsed RSA area (for editing a captured one). */
    static PublicTemplate from(TpmPublicArea area) {
      PublicTemplate t = new PublicTemplate(unsigned(area.modulus(), area.modulusLength()), area.attributes());
      t.nameAlg = area.nameAlg();
      t.authPolicy = area.authPolicy();
      t.symAlg = area.symmetricAlg();
      t.symBits = area.symmetricKeyBits();
      t.symMode = area.symmetricMode();
      t.scheme = area.scheme();
      t.schemeHash = area.schemeHash();
      t.keyBits = area.keyBits();
      t.exponent = area.exponent();
      return t;
    }

    byte[] marshal() {
      TpmWriter w = new TpmWriter().u16(type).u16(nameAlg).u32(attributes).sized(authPolicy).u16(symAlg);
      if (symAlg != Tpm.ALG_NULL) {
        w.u16(symBits).u16(symMode);
      }
      w.u16(scheme);
      if (scheme == Tpm.ALG_RSASSA || scheme == Tpm.ALG_RSAPSS || scheme == Tpm.ALG_OAEP) {
        w.u16(schemeHash);
      }
      return w.u16(keyBits).u32(exponent).sized(modulus).bytes(trailing).toByteArray();
    }
  }

  static PublicTemplate userTemplate(RSAPublicKey key) {
    return new PublicTemplate(key, Tpm.USER_KEY_ATTRIBUTES);
  }

  static PublicTemplate akTemplate(RSAPublicKey key) {
    return new PublicTemplate(key, AK_ATTRIBUTES);
  }

  static PublicTemplate ekTemplate(RSAPublicKey key) {
    PublicTemplate t = new PublicTemplate(key, EK_ATTRIBUTES);
    t.authPolicy = EK_POLICY.clone();
    t.symAlg = Tpm.ALG_AES;
    t.symBits = 128;
    t.symMode = Tpm.ALG_CFB;
    t.scheme = Tpm.ALG_NULL;
    return t;
  }

  byte[] ekPublic() {
    return ekTemplate((RSAPublicKey) ek.getPublic()).marshal();
  }

  byte[] akPublic() {
    return akTemplate((RSAPublicKey) ak.getPublic()).marshal();
  }

  byte[] userPublic() {
    return userTemplate((RSAPublicKey) user.getPublic()).marshal();
  }

  static byte[] name(byte[] publicArea) {
    byte[] digest = sha256(publicArea);
    byte[] name = new byte[34];
    name[1] = 0x0B;
    System.arraycopy(digest, 0, name, 2, 32);
    return name;
  }

  // ---- TPMS_ATTEST ---------------------------------------------------------------------------------------

  /** The fields of a TPMS_ATTEST for TPM2_Certify, changeable before {@link #marshal}. */
  static final class Attest {
    int magic = Tpm.GENERATED_VALUE;
    int type = Tpm.ST_ATTEST_CERTIFY;
    byte[] qualifiedSigner;
    byte[] extraData;
    long clock = 123_456_789L;
    int resetCount = 0x1234;
    int restartCount = 0x5678;
    int safe = 1;
    long firmwareVersion = 0x2019102300000000L;
    byte[] name;
    byte[] qualifiedName;
    byte[] trailing = new byte[0];

    Attest(byte[] signerName, byte[] extraData, byte[] certifiedName) {
      this.qualifiedSigner = signerName.clone();
      this.extraData = extraData.clone();
      this.name = certifiedName.clone();
      this.qualifiedName = certifiedName.clone();
    }

    /** Reads every field of a marshalled certify TPMS_ATTEST (for editing a captured one). */
    static Attest parse(byte[] encoded) throws TpmFormatException {
      TpmReader r = new TpmReader(encoded, "TPMS_ATTEST");
      int magic = r.u32("magic");
      int type = r.u16("type");
      byte[] signer = r.sized(66, "qualifiedSigner");
      byte[] extra = r.sized(66, "extraData");
      Attest a = new Attest(signer, extra, new byte[0]);
      a.magic = magic;
      a.type = type;
      a.clock = r.u64("clock");
      a.resetCount = r.u32("resetCount");
      a.restartCount = r.u32("restartCount");
      a.safe = r.u8("safe");
      a.firmwareVersion = r.u64("firmwareVersion");
      a.name = r.sized(66, "name");
      a.qualifiedName = r.sized(66, "qualifiedName");
      r.end();
      return a;
    }

    byte[] marshal() {
      return new TpmWriter().u32(magic).u16(type).sized(qualifiedSigner).sized(extraData).u64(clock)
          .u32(resetCount).u32(restartCount).u8(safe).u64(firmwareVersion).sized(name).sized(qualifiedName)
          .bytes(trailing).toByteArray();
    }
  }

  /** TPM2_Certify of the user key with the AK: the TPMS_ATTEST. */
  Attest certify(byte[] certifiedPublic, byte[] qualifyingData) {
    return new Attest(name(akPublic()), qualifyingData, name(certifiedPublic));
  }

  /** The AK's RSASSA signature over certInfo. */
  byte[] sign(byte[] certInfo) {
    return sign(ak.getPrivate(), "SHA256withRSA", certInfo);
  }

  static byte[] sign(PrivateKey key, String algorithm, byte[] data) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- TPM2_ActivateCredential ---------------------------------------------------------------------------

  /**
   * TPM2_ActivateCredential's math with this TPM's EK: decrypts the seed, checks the integrity HMAC over
   * encIdentity and the AK name, decrypts the credential.
   *
   * @throws IllegalStateException as the TPM would fail (TPM_RC_INTEGRITY, TPM_RC_SIZE, ...)
   */
  byte[] activateCredential(byte[] akName, byte[] credentialBlob, byte[] encryptedSecret) {
    try {
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.DECRYPT_MODE, ek.getPrivate(), new OAEPParameterSpec("SHA-256", "MGF1",
          MGF1ParameterSpec.SHA256, new PSource.PSpecified("IDENTITY\0".getBytes(StandardCharsets.US_ASCII))));
      byte[] seed = oaep.doFinal(encryptedSecret);
      int hmacSize = ((credentialBlob[0] & 0xff) << 8) | (credentialBlob[1] & 0xff);
      if (hmacSize != 32 || credentialBlob.length < 2 + 32 + 2) {
        throw new IllegalStateException("TPM_RC_SIZE: integrity HMAC size " + hmacSize);
      }
      byte[] integrity = Arrays.copyOfRange(credentialBlob, 2, 34);
      byte[] encIdentity = Arrays.copyOfRange(credentialBlob, 34, credentialBlob.length);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(kdfa(seed, "INTEGRITY", new byte[0], new byte[0], 256), "HmacSHA256"));
      mac.update(encIdentity);
      mac.update(akName);
      if (!MessageDigest.isEqual(mac.doFinal(), integrity)) {
        throw new IllegalStateException("TPM_RC_INTEGRITY");
      }
      Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
      cfb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kdfa(seed, "STORAGE", akName, new byte[0], 128), "AES"),
          new IvParameterSpec(new byte[16]));
      byte[] plain = cfb.doFinal(encIdentity);
      int size = ((plain[0] & 0xff) << 8) | (plain[1] & 0xff);
      if (size != plain.length - 2) {
        throw new IllegalStateException("TPM_RC_SIZE: credential size " + size);
      }
      return Arrays.copyOfRange(plain, 2, plain.length);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("activation failed: " + e, e);
    }
  }

  /** KDFa with BouncyCastle's SP 800-108 counter-mode KDF: PRF input [i]32 || label || 0 || u || v || [bits]32. */
  static byte[] kdfa(byte[] key, String label, byte[] u, byte[] v, int bits) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = new TpmWriter().bytes(l).u8(0).bytes(u).bytes(v).u32(bits).toByteArray();
    KDFCounterBytesGenerator kdf = new KDFCounterBytesGenerator(new HMac(new SHA256Digest()));
    kdf.init(new KDFCounterParameters(key, null, suffix, 32));
    byte[] out = new byte[bits / 8];
    kdf.generateBytes(out, 0, out.length);
    return out;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] unsigned(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int n = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - n, out, length - n, n);
    return out;
  }
}
