package dev.ngc4j.server.internal.crypto;

import dev.ngc4j.server.internal.util.Base64Strict;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The service side of {@code session_key_jwe}, on the sign-in hot path: the same output as
 * {@code StrictJwe.encrypt(plaintext, sessionKey, transportKey, RSA_OAEP)} (header
 * {@code {"enc":"A256GCM","alg":"RSA-OAEP"}}, the session key wrapped with RSA-OAEP using SHA-1 and MGF1-SHA-1
 * given as an explicit {@link OAEPParameterSpec}, A256GCM content with a 12-byte IV), but with one cached
 * {@link Cipher} of each kind per thread instead of two provider look-ups per sign-in. Tests check that
 * {@code StrictJwe.decrypt} reads what this produces.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class SessionKeyJwe {
  private static final String HEADER_SEGMENT =
      Base64Strict.url("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}".getBytes(StandardCharsets.UTF_8));
  private static final byte[] AAD = HEADER_SEGMENT.getBytes(StandardCharsets.US_ASCII);
  private static final OAEPParameterSpec OAEP_SHA1 =
      new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);
  private static final Provider OAEP_PROVIDER = cipher("RSA/ECB/OAEPPadding", null).getProvider();
  private static final Provider GCM_PROVIDER = cipher("AES/GCM/NoPadding", null).getProvider();
  private static final ThreadLocal<Cipher> OAEP =
      ThreadLocal.withInitial(() -> cipher("RSA/ECB/OAEPPadding", OAEP_PROVIDER));
  private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding", GCM_PROVIDER));

  private SessionKeyJwe() {}

  private static Cipher cipher(String transformation, @org.jspecify.annotations.Nullable Provider provider) {
    try {
      return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + transformation, e);
    }
  }

  /**
   * Encrypts {@code plaintext} under {@code sessionKey} and wraps the session key for the transport key.
   *
   * @param plaintext the content (Entra sends one byte)
   * @param sessionKey the 32-byte session key
   * @param transportKey the device's transport key
   * @return the compact JWE
   * @throws GeneralSecurityException if the key is refused
   */
  public static String encrypt(byte[] plaintext, byte[] sessionKey, RSAPublicKey transportKey)
      throws GeneralSecurityException {
    if (sessionKey.length != 32) {
      throw new IllegalArgumentException("the session key must be 32 bytes");
    }
    Cipher rsa = OAEP.get();
    rsa.init(Cipher.ENCRYPT_MODE, transportKey, OAEP_SHA1, Jca.RANDOM);
    byte[] wrapped = rsa.doFinal(sessionKey);
    byte[] iv = new byte[Jca.GCM_IV_BYTES];
    Jca.RANDOM.nextBytes(iv);
    Cipher aes = GCM.get();
    SecretKeySpec key = new SecretKeySpec(sessionKey, "AES");
    aes.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Jca.GCM_TAG_BYTES * 8, iv));
    aes.updateAAD(AAD);
    byte[] sealed = aes.doFinal(plaintext);
    int ctLength = sealed.length - Jca.GCM_TAG_BYTES;
    String jwe = HEADER_SEGMENT
        + '.' + Base64Strict.url(wrapped)
        + '.' + Base64Strict.url(iv)
        + '.' + Base64Strict.url(Arrays.copyOf(sealed, ctLength))
        + '.' + Base64Strict.url(Arrays.copyOfRange(sealed, ctLength, sealed.length));
    Arrays.fill(sealed, (byte) 0);
    return jwe;
  }
}
