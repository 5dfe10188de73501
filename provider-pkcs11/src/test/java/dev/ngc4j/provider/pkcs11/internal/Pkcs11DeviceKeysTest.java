package dev.ngc4j.provider.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_DECRYPT;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_KEY_TYPE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_PRIVATE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SIGN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_TOKEN;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_UNWRAP;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKO_PRIVATE_KEY;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_ATTRIBUTE_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_OBJECT_HANDLE_INVALID;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.provider.support.SessionKeyEnvelopes;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The device key, the transport key and the PRT session key on a SoftHSM2 token, with no user PIN anywhere: the
 * keys' attributes, reopening, derived keys equal to the software provider's for the same session key, every
 * tampered envelope refused with the one typed error, RSA-OAEP-256 refused naming the mechanism.
 */
class Pkcs11DeviceKeysTest {
  private static final String PIN = "314159";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String HEADER = Base64.getUrlEncoder().withoutPadding().encodeToString(
      "{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}".getBytes(StandardCharsets.US_ASCII));

  @TempDir
  Path dir;

  private static Pkcs11Session open(Path data, TestTokens.Token token) throws NgcException {
    return Pkcs11CredentialProvider.builder().library(SoftHsm.LIBRARY.toString()).tokenLabel(token.label())
        .poolSize(0).build().open(new ProviderContext(data, Clock.systemUTC(), Map.of()));
  }

  /** A session_key_jwe's parts made with the JDK: key wrapped to {@code transport}, a GCM tag under {@code gcmKey}. */
  static SessionKeyEnvelope envelope(PublicKey transport, KeyWrapAlgorithm alg, byte[] sessionKey, byte[] gcmKey)
      throws Exception {
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(Cipher.ENCRYPT_MODE, transport, new OAEPParameterSpec(alg.hash(), "MGF1",
        alg == KeyWrapAlgorithm.RSA_OAEP_SHA1 ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256,
        PSource.PSpecified.DEFAULT));
    byte[] wrapped = oaep.doFinal(sessionKey);
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(gcmKey, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(header);
    byte[] sealed = gcm.doFinal("{\"session\":\"prt\"}".getBytes(StandardCharsets.UTF_8));
    return new SessionKeyEnvelope(alg, Bytes.of(header), Bytes.of(wrapped), Bytes.of(iv),
        Bytes.of(Arrays.copyOf(sealed, sealed.length - 16)),
        Bytes.of(Arrays.copyOfRange(sealed, sealed.length - 16, sealed.length)));
  }

  static SessionKeyEnvelope envelope(PublicKey transport, byte[] sessionKey) throws Exception {
    return envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, sessionKey, sessionKey);
  }

  private static byte[] randomKey(int length) {
    byte[] k = new byte[length];
    RANDOM.nextBytes(k);
    return k;
  }

  private static long sessionObjects(Session s) throws Exception {
    return s.findAllObjectsSingle(new AttributeVector().token(false)).length;
  }

  @Test
  void theDeviceKeySignsWithoutThePinAndTheSignatureVerifies() throws Exception {
    TestTokens.Token token = TestTokens.create("devkey", PIN);
    try (Pkcs11Session s = open(dir, token)) {
      DeviceKeys keys = s.deviceKeys().orElseThrow();
      byte[] message = "device request".getBytes(StandardCharsets.UTF_8);
      byte[] signature = keys.signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, message);
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(keys.deviceKey());
      v.update(message);
      assertTrue(v.verify(signature));
      NgcException pss = assertThrows(NgcException.class,
          () -> keys.signWithDeviceKey(SignatureAlgorithm.RSA_PSS_SHA256, message));
      assertEquals(ErrorCode.UNSUPPORTED, pss.code());
      assertNotEquals(keys.deviceKey(), keys.transportKey());
      assertFalse(s.containers().list().iterator().hasNext(), "no container was needed");
    }
  }

  @Test
  void theKeysAreSensitiveUnextractablePublicObjectsWithOneFunctionEach() throws Exception {
    TestTokens.Token token = TestTokens.create("devattrs", PIN);
    try (Pkcs11Session s = open(dir, token)) {
      s.deviceKeys().orElseThrow().deviceKey();
      s.deviceKeys().orElseThrow().transportKey();
    }
    Session raw = TestTokens.rawSession(token);
    try {
      for (String label : List.of(Pkcs11DeviceKeys.DEVICE_LABEL, Pkcs11DeviceKeys.TRANSPORT_LABEL)) {
        long[] found = raw.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY).label(label));
        assertEquals(1, found.length, "one private key labelled " + label + ", visible without the PIN");
        AttributeVector a = raw.getAttrValues(found[0], CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE,
            CKA_SIGN, CKA_UNWRAP, CKA_DECRYPT);
        assertEquals(true, a.token());
        assertEquals(false, a.private_());
        assertEquals(true, a.sensitive());
        assertEquals(false, a.extractable());
        assertEquals(label.equals(Pkcs11DeviceKeys.DEVICE_LABEL), a.sign());
        assertEquals(label.equals(Pkcs11DeviceKeys.TRANSPORT_LABEL), a.unwrap());
        assertEquals(false, a.decrypt());
      }
    } finally {
      raw.closeSession();
    }
  }

  @Test
  void theKeysAreFoundAgainAfterReopeningAndNotRecreated() throws Exception {
    TestTokens.Token token = TestTokens.create("devreopen", PIN);
    PublicKey device;
    PublicKey transport;
    try (Pkcs11Session s = open(dir, token)) {
      device = s.deviceKeys().orElseThrow().deviceKey();
      transport = s.deviceKeys().orElseThrow().transportKey();
    }
    try (Pkcs11Session s = open(dir.resolve("other-data-directory"), token)) {
      assertEquals(device, s.deviceKeys().orElseThrow().deviceKey());
      assertEquals(transport, s.deviceKeys().orElseThrow().transportKey());
      byte[] sig = s.deviceKeys().orElseThrow().signWithDeviceKey(SignatureAlgorithm.RSA_PKCS1_SHA256, new byte[3]);
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(device);
      v.update(new byte[3]);
      assertTrue(v.verify(sig));
    }
    Session raw = TestTokens.rawSession(token);
    try {
      assertEquals(1, raw.findAllObjectsSingle(new AttributeVector().class_(CKO_PRIVATE_KEY)
          .label(Pkcs11DeviceKeys.DEVICE_LABEL)).length);
    } finally {
      raw.closeSession();
    }
  }

  @Test
  void derivedKeysEqualTheSoftwareProvidersForTheSameSessionKey() throws Exception {
    TestTokens.Token token = TestTokens.create("devderive", PIN);
    byte[] sessionKey = randomKey(32);
    try (Pkcs11Session p11 = open(dir.resolve("p11"), token);
        ProviderSession sw = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("sw"),
            Clock.systemUTC(), Map.of()))) {
      DeviceKeys p11Keys = p11.deviceKeys().orElseThrow();
      DeviceKeys swKeys = sw.deviceKeys().orElseThrow();
      try (SessionKeyHandle onToken = p11Keys.unwrapSessionKey(envelope(p11Keys.transportKey(), sessionKey));
          SessionKeyHandle inSoftware = swKeys.unwrapSessionKey(envelope(swKeys.transportKey(), sessionKey))) {
        List<Bytes[]> inputs = List.of(
            new Bytes[] {Bytes.of("AzureAD-SecureConversation".getBytes(StandardCharsets.US_ASCII)),
                Bytes.of(randomKey(24))},
            new Bytes[] {Bytes.of(new byte[0]), Bytes.of(new byte[0])},
            new Bytes[] {Bytes.of(randomKey(100)), Bytes.of(randomKey(1))});
        for (Bytes[] in : inputs) {
          byte[] expected = jdkDerive(sessionKey, in[0].toByteArray(), in[1].toByteArray());
          assertArrayEquals(expected, onToken.deriveKey(in[0], in[1]), "the token's HMAC is SP 800-108's");
          assertArrayEquals(expected, inSoftware.deriveKey(in[0], in[1]), "the software provider agrees");
          assertArrayEquals(inSoftware.deriveAndMac(in[0], in[1], new byte[] {1, 2}).toByteArray(),
              onToken.deriveAndMac(in[0], in[1], new byte[] {1, 2}).toByteArray());
        }
      }
    }
  }

  private static byte[] jdkDerive(byte[] key, byte[] label, byte[] context) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(new byte[] {0, 0, 0, 1});
    mac.update(label);
    mac.update((byte) 0);
    mac.update(context);
    return mac.doFinal(new byte[] {0, 0, 1, 0});
  }

  @Test
  void theSessionKeyIsASensitiveUnextractableSessionObjectDestroyedOnClose() throws Exception {
    TestTokens.Token token = TestTokens.create("devattr", PIN);
    try (Pkcs11Session s = open(dir, token)) {
      DeviceKeys keys = s.deviceKeys().orElseThrow();
      SessionKeyHandle handle = keys.unwrapSessionKey(envelope(keys.transportKey(), randomKey(32)));
      long object = assertInstanceOf(Pkcs11SessionKey.class, handle).objectHandle();
      Session raw = TestTokens.rawSession(token);
      try {
        AttributeVector a = raw.getAttrValues(object, CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE,
            CKA_KEY_TYPE, CKA_SIGN, CKA_DECRYPT);
        assertEquals(false, a.token(), "a session object, gone with the session");
        assertEquals(true, a.sensitive());
        assertEquals(false, a.extractable());
        assertEquals(CKK_GENERIC_SECRET, a.keyType());
        assertEquals(true, a.sign());
        assertEquals(false, a.decrypt());
        try {
          assertNull(raw.getAttrValues(object, CKA_VALUE).value(), "the token does not reveal CKA_VALUE");
        } catch (PKCS11Exception e) {
          assertEquals(CKR_ATTRIBUTE_SENSITIVE, e.getErrorCode());
        }
        assertEquals(1, sessionObjects(raw), "only the kept key; the AES key and the substitute are destroyed");
        handle.close();
        handle.close();
        PKCS11Exception gone = assertThrows(PKCS11Exception.class, () -> raw.getAttrValues(object, CKA_TOKEN));
        assertEquals(CKR_OBJECT_HANDLE_INVALID, gone.getErrorCode());
        assertEquals(0, sessionObjects(raw));
        assertThrows(IllegalStateException.class, () -> handle.deriveKey(Bytes.of(new byte[1]), Bytes.of(
            new byte[1])));
      } finally {
        raw.closeSession();
      }
    }
  }

  @Test
  void everyTamperedEnvelopeIsTheSameCloudErrorAsInTheSoftwareProviderAndLeavesNothing() throws Exception {
    TestTokens.Token token = TestTokens.create("devtamper", PIN);
    try (Pkcs11Session s = open(dir, token)) {
      DeviceKeys keys = s.deviceKeys().orElseThrow();
      PublicKey transport = keys.transportKey();
      byte[] key = randomKey(32);
      SessionKeyEnvelope good = envelope(transport, key);
      byte[] badTag = good.authenticationTag().toByteArray();
      badTag[3] ^= 1;
      byte[] badCiphertext = good.ciphertext().toByteArray();
      badCiphertext[0] ^= 1;
      byte[] badWrap = good.encryptedKey().toByteArray();
      badWrap[17] ^= 1;
      byte[] long48 = randomKey(48);
      byte[] k16 = randomKey(16);
      byte[] k24 = randomKey(24);
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      List<SessionKeyEnvelope> bad = List.of(
          withTag(good, badTag),
          new SessionKeyEnvelope(good.algorithm(), good.protectedHeader(), good.encryptedKey(),
              good.initializationVector(), Bytes.of(badCiphertext), good.authenticationTag()),
          new SessionKeyEnvelope(good.algorithm(), Bytes.of("eyJhbGciOiJub25lIn0".getBytes(
              StandardCharsets.US_ASCII)), good.encryptedKey(), good.initializationVector(), good.ciphertext(),
              good.authenticationTag()),
          new SessionKeyEnvelope(good.algorithm(), good.protectedHeader(), Bytes.of(badWrap),
              good.initializationVector(), good.ciphertext(), good.authenticationTag()),
          new SessionKeyEnvelope(good.algorithm(), good.protectedHeader(), Bytes.of(Arrays.copyOf(badWrap, 255)),
              good.initializationVector(), good.ciphertext(), good.authenticationTag()),
          new SessionKeyEnvelope(good.algorithm(), good.protectedHeader(), good.encryptedKey(),
              Bytes.of(new byte[11]), good.ciphertext(), good.authenticationTag()),
          new SessionKeyEnvelope(good.algorithm(), good.protectedHeader(), good.encryptedKey(),
              good.initializationVector(), good.ciphertext(), Bytes.of(new byte[15])),
          envelope(g.generateKeyPair().getPublic(), key),   // wrapped to another key
          envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, k16, k16),   // authentic, AES-128: wrong length
          envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, k24, k24),
          envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, long48, Arrays.copyOf(long48, 32)),
          envelope(transport, KeyWrapAlgorithm.RSA_OAEP_SHA1, Arrays.copyOf(long48, 31), key));
      Session raw = TestTokens.rawSession(token);
      try {
        int i = 0;
        for (SessionKeyEnvelope e : bad) {
          NgcException refused = assertThrows(NgcException.class, () -> keys.unwrapSessionKey(e), "envelope " + i);
          assertEquals(ErrorCode.CLOUD_ERROR, refused.code(), "envelope " + i);
          assertEquals(SessionKeyEnvelopes.UNWRAP_FAILURE_DETAIL, refused.detail(), "envelope " + i);
          assertEquals(SessionKeyEnvelopes.unwrapFailure().getMessage(), refused.getMessage(), "envelope " + i);
          assertNull(refused.getCause(), "envelope " + i);
          assertEquals(0, sessionObjects(raw), "no session object left by envelope " + i);
          i++;
        }
      } finally {
        raw.closeSession();
      }
      try (SessionKeyHandle ok = keys.unwrapSessionKey(good)) {
        assertEquals(32, ok.deriveKey(Bytes.of(new byte[1]), Bytes.of(new byte[1])).length);
      }
    }
  }

  private static SessionKeyEnvelope withTag(SessionKeyEnvelope e, byte[] tag) {
    return new SessionKeyEnvelope(e.algorithm(), e.protectedHeader(), e.encryptedKey(), e.initializationVector(),
        e.ciphertext(), Bytes.of(tag));
  }

  @Test
  void rsaOaep256IsUnsupportedOnSoftHsmNamingTheMechanism() throws Exception {
    TestTokens.Token token = TestTokens.create("devoaep256", PIN);
    try (Pkcs11Session s = open(dir, token)) {
      DeviceKeys keys = s.deviceKeys().orElseThrow();
      byte[] key = randomKey(32);
      SessionKeyEnvelope e = envelope(keys.transportKey(), KeyWrapAlgorithm.RSA_OAEP_SHA256, key, key);
      NgcException refused = assertThrows(NgcException.class, () -> keys.unwrapSessionKey(e));
      assertEquals(ErrorCode.UNSUPPORTED, refused.code());
      assertTrue(refused.getMessage().contains("CKM_RSA_PKCS_OAEP") && refused.getMessage().contains("CKM_SHA256"),
          refused::getMessage);
      // The same session key wrapped with RSA-OAEP (SHA-1) is accepted.
      try (SessionKeyHandle h = keys.unwrapSessionKey(envelope(keys.transportKey(), key))) {
        assertArrayEquals(jdkDerive(key, new byte[] {7}, new byte[] {8}),
            h.deriveKey(Bytes.of(new byte[] {7}), Bytes.of(new byte[] {8})));
      }
    }
  }
}
