package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.support.testing.EnvelopeFixtures;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The envelope checks around a provider's unwrap, with the JDK's RSA-OAEP standing in for the provider: authentic
 * envelopes hand over exactly the session key, every broken one fails alike, and every copy is zeroed.
 */
class SessionKeyEnvelopesTest {
  private static KeyPair transport;
  private static KeyPair device;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    transport = g.generateKeyPair();
    device = g.generateKeyPair();
  }

  /** A handle that remembers (a copy of) the key it was given. */
  static final class KeptKey implements SessionKeyHandle {
    private final byte[] key;

    KeptKey(byte[] key) {
      this.key = key;
    }

    @Override
    public byte[] deriveKey(Bytes label, Bytes context) {
      return key.clone();
    }

    @Override
    public void close() {}
  }

  /** A DeviceKeys whose unwrap is the JDK's RSA-OAEP with explicit parameters. */
  static final class JdkDeviceKeys implements DeviceKeys {
    final List<byte[]> handedOver = new ArrayList<>();

    @Override
    public PublicKey deviceKey() {
      return device.getPublic();
    }

    @Override
    public byte[] signWithDeviceKey(SignatureAlgorithm algorithm, byte[] message) throws NgcException {
      SessionKeyEnvelopes.requireRs256(algorithm, "test provider");
      return new byte[0];
    }

    @Override
    public PublicKey transportKey() {
      return transport.getPublic();
    }

    @Override
    public SessionKeyHandle unwrapSessionKey(SessionKeyEnvelope envelope) throws NgcException {
      return SessionKeyEnvelopes.open(envelope, new SecureRandom(), JdkDeviceKeys::oaep, SessionKeyEnvelopes::jdkGcm,
          key -> {
            handedOver.add(key);
            return new KeptKey(key.clone());
          });
    }

    static byte @Nullable [] oaep(KeyWrapAlgorithm algorithm, byte[] encryptedKey) {
      try {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, transport.getPrivate(), new OAEPParameterSpec(algorithm.hash(), "MGF1",
            new MGF1ParameterSpec(algorithm.hash()), PSource.PSpecified.DEFAULT));
        return c.doFinal(encryptedKey);
      } catch (GeneralSecurityException | RuntimeException e) {
        return null;
      }
    }
  }

  @Test
  void anAuthenticEnvelopeHandsOverExactlyTheSessionKeyAndTheCopyIsZeroedAfterwards() throws Exception {
    JdkDeviceKeys keys = new JdkDeviceKeys();
    for (KeyWrapAlgorithm alg : KeyWrapAlgorithm.values()) {
      byte[] sessionKey = EnvelopeFixtures.random(32);
      SessionKeyEnvelope e = EnvelopeFixtures.wrapped(transport.getPublic(), alg, alg.hash(), alg.hash(), sessionKey);
      try (SessionKeyHandle h = keys.unwrapSessionKey(e)) {
        assertArrayEquals(sessionKey, h.deriveKey(Bytes.empty(), Bytes.empty()), alg.name());
      }
    }
    assertEquals(2, keys.handedOver.size());
    for (byte[] given : keys.handedOver) {
      assertArrayEquals(new byte[32], given, "the array handed to keep() is zeroed after it returns");
    }
  }

  @Test
  void everyBrokenEnvelopeFailsAlikeAndNothingIsHandedOver() throws Exception {
    JdkDeviceKeys keys = new JdkDeviceKeys();
    byte[] sessionKey = EnvelopeFixtures.random(32);
    SessionKeyEnvelope good = EnvelopeFixtures.wrapped(
        transport.getPublic(), KeyWrapAlgorithm.RSA_OAEP_SHA1, "SHA-1", "SHA-1", sessionKey);
    Map<String, SessionKeyEnvelope> refused =
        EnvelopeFixtures.refusedEnvelopes(good, transport.getPublic(), device.getPublic(), sessionKey);
    assertTrue(refused.size() >= 15, "the fixture covers every field");
    EnvelopeFixtures.assertAllRefusedAlike(keys, refused, SessionKeyEnvelopes.unwrapFailure());
    assertEquals(List.of(), keys.handedOver);
    keys.unwrapSessionKey(good).close();
    assertEquals(1, keys.handedOver.size(), "the fixture's good envelope is accepted");
  }

  @Test
  void theProvidersOwnFailuresKeepTheirExceptions() throws Exception {
    SessionKeyEnvelope good = EnvelopeFixtures.wrapped(
        transport.getPublic(), KeyWrapAlgorithm.RSA_OAEP_SHA256, "SHA-256", "SHA-256", EnvelopeFixtures.random(32));
    NgcException unavailable = new NgcException(ErrorCode.PROVIDER_UNAVAILABLE, "the TPM went away");
    assertSame(unavailable, assertThrows(NgcException.class, () -> SessionKeyEnvelopes.open(good, new SecureRandom(),
        (alg, key) -> {
          throw unavailable;
        }, SessionKeyEnvelopes::jdkGcm, key -> key)));
    NgcException importFailed = new NgcException(ErrorCode.PROVIDER_UNAVAILABLE, "no room in the TPM");
    assertSame(importFailed, assertThrows(NgcException.class, () -> SessionKeyEnvelopes.open(good, new SecureRandom(),
        JdkDeviceKeys::oaep, SessionKeyEnvelopes::jdkGcm, key -> {
          throw importFailed;
        })));
  }

  @Test
  void theDeviceKeySignsRs256Only() throws Exception {
    JdkDeviceKeys keys = new JdkDeviceKeys();
    keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[1]);
    NgcException e = assertThrows(NgcException.class,
        () -> keys.signWithDeviceKey(SignatureAlgorithm.RSA_PSS_SHA256, new byte[1]));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.detail().startsWith("The test provider's device key signs with RS256"), e.detail());
  }

  @Test
  void theKdfInputIsCounterLabelZeroContextAndLengthAndAClosedHandleIsRefused() {
    byte[] input = SessionKeyEnvelopes.kdfInput(Bytes.of(new byte[] {'L', 'a'}), Bytes.of(new byte[] {7}), false);
    assertArrayEquals(new byte[] {0, 0, 0, 1, 'L', 'a', 0, 7, 0, 0, 1, 0}, input);
    assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 0}, SessionKeyEnvelopes.kdfInput(new byte[0], new byte[0]));
    IllegalStateException closed = assertThrows(IllegalStateException.class,
        () -> SessionKeyEnvelopes.kdfInput(Bytes.of(new byte[1]), Bytes.of(new byte[1]), true));
    assertEquals("this session key handle is closed", closed.getMessage());
  }
}
