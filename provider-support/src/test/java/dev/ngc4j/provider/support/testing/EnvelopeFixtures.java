package dev.ngc4j.provider.support.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code session_key_jwe} envelopes as a directory builds them (the session key wrapped with RSA-OAEP for the
 * transport key, a payload sealed with AES-256-GCM under it, the protected header as additional data), and every way
 * of getting one wrong that a provider must refuse with the same opaque exception.
 */
public final class EnvelopeFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();

  private EnvelopeFixtures() {}

  /**
   * An envelope whose key is wrapped with OAEP({@code oaepHash}, MGF1({@code mgfHash})) and which claims
   * {@code claimed}; the payload is sealed under {@code cek}, or under a random key when {@code cek} is not 32
   * bytes.
   *
   * @param recipient the key the session key is wrapped for
   * @param claimed the algorithm the header names
   * @param oaepHash the OAEP digest actually used
   * @param mgfHash the MGF1 digest actually used
   * @param cek the wrapped key
   * @return the envelope
   * @throws Exception if the JDK cannot do RSA-OAEP or AES-GCM
   */
  public static SessionKeyEnvelope wrapped(
      PublicKey recipient, KeyWrapAlgorithm claimed, String oaepHash, String mgfHash, byte[] cek) throws Exception {
    String header = "{\"enc\":\"A256GCM\",\"alg\":\"" + claimed.jweName() + "\"}";
    byte[] headerSegment = Bytes.of(header.getBytes(StandardCharsets.UTF_8)).toBase64Url()
        .getBytes(StandardCharsets.US_ASCII);
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
    rsa.init(Cipher.ENCRYPT_MODE, recipient,
        new OAEPParameterSpec(oaepHash, "MGF1", new MGF1ParameterSpec(mgfHash), PSource.PSpecified.DEFAULT));
    return seal(claimed, headerSegment, rsa.doFinal(cek), cek.length == 32 ? cek : random(32));
  }

  /**
   * An envelope with the given header and wrapped key, whose one-byte payload is sealed under {@code gcmKey}.
   *
   * @param alg the algorithm
   * @param headerSegment the protected header, as sent
   * @param wrapped the wrapped key
   * @param gcmKey the 32-byte content key
   * @return the envelope
   * @throws Exception if the JDK cannot do AES-GCM
   */
  public static SessionKeyEnvelope seal(KeyWrapAlgorithm alg, byte[] headerSegment, byte[] wrapped, byte[] gcmKey)
      throws Exception {
    byte[] iv = random(12);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(gcmKey, "AES"), new GCMParameterSpec(128, iv));
    aes.updateAAD(headerSegment);
    byte[] sealed = aes.doFinal(new byte[] {0x20});
    return new SessionKeyEnvelope(alg, Bytes.of(headerSegment), Bytes.of(wrapped), Bytes.of(iv),
        Bytes.of(Arrays.copyOf(sealed, sealed.length - 16)),
        Bytes.of(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length)));
  }

  /**
   * A copy with one field replaced: 0 header, 1 encrypted key, 2 IV, 3 ciphertext, 4 tag.
   *
   * @param e the envelope
   * @param field which field
   * @param value the new value
   * @return the copy
   */
  public static SessionKeyEnvelope with(SessionKeyEnvelope e, int field, Bytes value) {
    return new SessionKeyEnvelope(e.algorithm(),
        field == 0 ? value : e.protectedHeader(), field == 1 ? value : e.encryptedKey(),
        field == 2 ? value : e.initializationVector(), field == 3 ? value : e.ciphertext(),
        field == 4 ? value : e.authenticationTag());
  }

  /**
   * The bytes with the last bit flipped.
   *
   * @param b the bytes (not empty)
   * @return the flipped copy
   */
  public static Bytes flipped(Bytes b) {
    byte[] a = b.toByteArray();
    a[a.length - 1] ^= 1;
    return Bytes.of(a);
  }

  /**
   * Every envelope a provider must refuse, by what is wrong with it: wrong OAEP flavour or MGF1 hash, wrapped for
   * another key, a key of the wrong length, PKCS#1 v1.5 wrapping, every field tampered with, truncated or missing.
   *
   * @param good an envelope the provider accepts (RSA-OAEP with SHA-1), for the tampered copies
   * @param transport the provider's transport key
   * @param device the provider's device key (which must not unwrap)
   * @param sessionKey the session key in {@code good}
   * @return the cases, in a stable order
   * @throws Exception if the JDK cannot build them
   */
  public static Map<String, SessionKeyEnvelope> refusedEnvelopes(
      SessionKeyEnvelope good, PublicKey transport, PublicKey device, byte[] sessionKey) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PublicKey stranger = g.generateKeyPair().getPublic();
    Map<String, SessionKeyEnvelope> bad = new LinkedHashMap<>();
    bad.put("OAEP-256 content sent as RSA-OAEP",
        wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-256", "SHA-256", sessionKey));
    bad.put("RSA-OAEP content sent as RSA-OAEP-256",
        wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-1", "SHA-1", sessionKey));
    bad.put("SHA-256 with MGF1-SHA-1 (the name-only SunJCE trap)",
        wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-1", sessionKey));
    bad.put("wrapped for the device key",
        wrapped(device, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", sessionKey));
    bad.put("wrapped for a stranger",
        wrapped(stranger, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", sessionKey));
    bad.put("31-byte key", wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
        Arrays.copyOf(sessionKey, 31)));
    bad.put("33-byte key", wrapped(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1",
        Arrays.copyOf(sessionKey, 33)));
    Cipher pkcs1 = Cipher.getInstance("RSA/ECB/PKCS1Padding");
    pkcs1.init(Cipher.ENCRYPT_MODE, transport);
    bad.put("PKCS#1 v1.5 wrapping", seal(KeyWrapAlgorithm.RSA_OAEP_SHA1, good.protectedHeader().toByteArray(),
        pkcs1.doFinal(sessionKey), sessionKey));
    bad.put("tampered header", with(good, 0, flipped(good.protectedHeader())));
    bad.put("tampered encrypted key", with(good, 1, flipped(good.encryptedKey())));
    byte[] encryptedKey = good.encryptedKey().toByteArray();
    bad.put("encrypted key one byte short", with(good, 1, Bytes.of(Arrays.copyOf(encryptedKey,
        encryptedKey.length - 1))));
    byte[] longer = new byte[encryptedKey.length + 1];
    System.arraycopy(encryptedKey, 0, longer, 1, encryptedKey.length);
    bad.put("encrypted key with a leading zero", with(good, 1, Bytes.of(longer)));
    bad.put("empty encrypted key", with(good, 1, Bytes.empty()));
    bad.put("tampered IV", with(good, 2, flipped(good.initializationVector())));
    bad.put("16-byte IV", with(good, 2, Bytes.of(new byte[16])));
    bad.put("tampered ciphertext", with(good, 3, flipped(good.ciphertext())));
    bad.put("tampered tag", with(good, 4, flipped(good.authenticationTag())));
    bad.put("truncated tag", with(good, 4, Bytes.of(Arrays.copyOf(good.authenticationTag().toByteArray(), 12))));
    bad.put("missing tag", with(good, 4, Bytes.empty()));
    return bad;
  }

  /**
   * Asserts that each envelope is refused with exactly {@code expected}'s type, code and message, and no cause.
   *
   * @param keys the provider's device keys
   * @param refused the envelopes, by what is wrong with them
   * @param expected the one exception every envelope failure produces
   */
  public static void assertAllRefusedAlike(
      DeviceKeys keys, Map<String, SessionKeyEnvelope> refused, NgcException expected) {
    for (Map.Entry<String, SessionKeyEnvelope> c : refused.entrySet()) {
      Throwable t = assertThrows(Throwable.class, () -> keys.unwrapSessionKey(c.getValue()), c.getKey());
      assertSame(NgcException.class, t.getClass(), c.getKey());
      NgcException e = (NgcException) t;
      assertEquals(ErrorCode.CLOUD_ERROR, e.code(), c.getKey());
      assertEquals(expected.getMessage(), e.getMessage(), c.getKey());
      assertNull(e.getCause(), c.getKey());
    }
  }

  /**
   * Random bytes.
   *
   * @param n how many
   * @return the bytes
   */
  public static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
