package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.ByteWriter;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives the TPM authorisation values (authValue) of a container's objects from its gestures, with HKDF-SHA256
 * (RFC 5869) to exactly {@value #LENGTH} bytes, the size of the SHA-256 name algorithm's digest (the most the TPM
 * accepts):
 *
 * <pre>
 * authValue = HKDF-SHA256(IKM  = the PIN as UTF-8, or the biometric secret,
 *                         salt = 32 random bytes stored with the protector (new on every PIN change),
 *                         info = label | user principal | container id | modality | name of the user key)
 * </pre>
 *
 * <p>The label separates PIN and biometric values; the user, container and key name bind the value to one key of
 * one container of one user, and the key name (which only this TPM's storage root key can load) binds it to the
 * device. A fast KDF is enough here: the value is never stored, the blobs it opens are useless outside this TPM,
 * and guesses are rate-limited by the TPM's dictionary-attack logic, not by the KDF's cost.
 *
 * <p>The TPM ignores trailing zero bytes of an authValue (it strips them when the object is created and when a
 * password is checked, and HMAC sessions key with the stripped value). So that the value is the same whichever way
 * it is used, a derived value never ends in zero: a last byte of 0 becomes 1 (changing one value in 256 by one bit).
 *
 * <p>Every intermediate (PIN bytes, secret, PRK) is zeroed before returning; the caller zeroes the result.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
final class AuthValues {
  /** Length of every authValue: the SHA-256 digest size. */
  static final int LENGTH = 32;
  /** Length of the per-protector salt. */
  static final int SALT_LENGTH = 32;

  private static final String PIN_LABEL = "ngc4j/tpm/pin-auth/v1";
  private static final String BIOMETRIC_LABEL = "ngc4j/tpm/biometric-auth/v1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthValues() {}

  /** The authValue of a PIN protector. The PIN is read, not destroyed. */
  static byte[] fromPin(Pin pin, byte[] salt, UserPrincipal user, ContainerId id, byte[] keyName) {
    byte[] ikm = pin.toUtf8();
    try {
      return derive(ikm, salt, info(PIN_LABEL, user, id, "", keyName));
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** The authValue of the sealed object of a biometric protector. The match is read, not destroyed. */
  static byte[] fromBiometric(BiometricMatch match, byte[] salt, UserPrincipal user, ContainerId id, byte[] keyName) {
    byte[] ikm = match.copySecret();
    try {
      return derive(ikm, salt, info(BIOMETRIC_LABEL, user, id, match.modality(), keyName));
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** A random authValue (pool keys' throwaway values, the key values sealed for biometric protectors). */
  static byte[] random() {
    byte[] v = new byte[LENGTH];
    RANDOM.nextBytes(v);
    fixTrailingZero(v);
    return v;
  }

  static byte[] salt() {
    byte[] s = new byte[SALT_LENGTH];
    RANDOM.nextBytes(s);
    return s;
  }

  /** HKDF-SHA256 extract-and-expand to {@value #LENGTH} bytes (one expand block). */
  static byte[] derive(byte[] ikm, byte[] salt, byte[] info) {
    byte[] prk;
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(salt.length == 0 ? new byte[LENGTH] : salt, "HmacSHA256"));
      prk = extract.doFinal(ikm);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    }
    try {
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update(info);
      expand.update((byte) 1);
      byte[] okm = expand.doFinal();
      fixTrailingZero(okm);
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no HmacSHA256", e);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  private static void fixTrailingZero(byte[] v) {
    if (v[v.length - 1] == 0) {
      v[v.length - 1] = 1;
    }
  }

  private static byte[] info(String label, UserPrincipal user, ContainerId id, String modality, byte[] keyName) {
    return new ByteWriter().str(label).str(user.upn()).str(id.value()).str(modality).bytes(keyName).toByteArray();
  }
}
