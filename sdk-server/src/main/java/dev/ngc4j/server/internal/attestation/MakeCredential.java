package dev.ngc4j.server.internal.attestation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * TPM2_MakeCredential done in software (TPM 2.0 Part 1 §24 "Credential Protection", Annex B.10.3 for RSA) for an
 * RSA EK with nameAlg SHA-256 and AES-128-CFB as its symmetric algorithm, the standard EK template:
 *
 * <ol>
 *   <li>a random 32-byte seed, encrypted to the EK with RSA-OAEP (SHA-256, MGF1-SHA-256, label
 *       {@code "IDENTITY\0"}): the {@code TPM2B_ENCRYPTED_SECRET};
 *   <li>{@code symKey = KDFa(SHA256, seed, "STORAGE", akName, "", 128)};
 *   <li>{@code encIdentity = AES-128-CFB(symKey, IV 0)(TPM2B_DIGEST credential)};
 *   <li>{@code hmacKey = KDFa(SHA256, seed, "INTEGRITY", "", "", 256)},
 *       {@code integrityHMAC = HMAC-SHA256(hmacKey, encIdentity || akName)};
 *   <li>the {@code TPM2B_ID_OBJECT} buffer is {@code TPM2B_DIGEST(integrityHMAC) || encIdentity}.
 * </ol>
 *
 * <p>TPM2_ActivateCredential on the TPM holding both the EK and the AK named {@code akName} returns the credential.
 *
 * <p>Thread safety: stateless.
 */
public final class MakeCredential {
  static final byte[] IDENTITY_LABEL = "IDENTITY\0".getBytes(StandardCharsets.US_ASCII);
  static final int SEED_BYTES = 32;
  static final int SYMMETRIC_KEY_BITS = 128;
  private static final int AES_BLOCK = 16;

  private MakeCredential() {}

  /** The two blobs for TPM2_ActivateCredential. Immutable; accessors return copies. */
  public static final class Blobs {
    private final byte[] credentialBlob;
    private final byte[] encryptedSecret;

    Blobs(byte[] credentialBlob, byte[] encryptedSecret) {
      this.credentialBlob = credentialBlob;
      this.encryptedSecret = encryptedSecret;
    }

    /** Returns the buffer of the {@code TPM2B_ID_OBJECT} (without its size): TPM2B_DIGEST(hmac) || encIdentity. */
    public byte[] credentialBlob() {
      return credentialBlob.clone();
    }

    /** Returns the buffer of the {@code TPM2B_ENCRYPTED_SECRET} (without its size). */
    public byte[] encryptedSecret() {
      return encryptedSecret.clone();
    }
  }

  /**
   * Makes the credential blobs.
   *
   * @param ek the EK's RSA key (2048 bits, nameAlg SHA-256, AES-128-CFB symmetric: the caller checked its template)
   * @param akName the AK's name ({@code 0x000B || SHA-256(TPMT_PUBLIC)})
   * @param credential the secret the TPM will return, 1 to 32 bytes (not modified)
   * @param random the randomness for the seed and OAEP
   * @return the blobs
   * @throws GeneralSecurityException if the JDK refuses the key or an algorithm
   */
  public static Blobs make(RSAPublicKey ek, byte[] akName, byte[] credential, SecureRandom random)
      throws GeneralSecurityException {
    if (credential.length == 0 || credential.length > 32) {
      throw new IllegalArgumentException("the credential must be 1 to 32 bytes");
    }
    byte[] seed = new byte[SEED_BYTES];
    byte[] symKey = null;
    byte[] hmacKey = null;
    byte[] plain = new byte[2 + credential.length];
    try {
      random.nextBytes(seed);
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.ENCRYPT_MODE, ek, new OAEPParameterSpec(
          "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(IDENTITY_LABEL)), random);
      byte[] encryptedSecret = oaep.doFinal(seed);

      symKey = Kdfa.sha256(seed, "STORAGE", akName, new byte[0], SYMMETRIC_KEY_BITS);
      plain[0] = (byte) (credential.length >> 8);
      plain[1] = (byte) credential.length;
      System.arraycopy(credential, 0, plain, 2, credential.length);
      Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
      cfb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(symKey, "AES"), new IvParameterSpec(new byte[AES_BLOCK]));
      byte[] encIdentity = cfb.doFinal(plain);

      hmacKey = Kdfa.sha256(seed, "INTEGRITY", new byte[0], new byte[0], Tpm.SHA256_BYTES * 8);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
      mac.update(encIdentity);
      mac.update(akName);
      byte[] integrity = mac.doFinal();

      byte[] blob = new byte[2 + integrity.length + encIdentity.length];
      blob[0] = (byte) (integrity.length >> 8);
      blob[1] = (byte) integrity.length;
      System.arraycopy(integrity, 0, blob, 2, integrity.length);
      System.arraycopy(encIdentity, 0, blob, 2 + integrity.length, encIdentity.length);
      return new Blobs(blob, encryptedSecret);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(plain, (byte) 0);
      if (symKey != null) {
        Arrays.fill(symKey, (byte) 0);
      }
      if (hmacKey != null) {
        Arrays.fill(hmacKey, (byte) 0);
      }
    }
  }
}
