package dev.ngc4j.provider.tpm.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.ProviderUnavailableException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SIGNATURE_RSASSA;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SIGNATURE;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;

/**
 * Unit tests of {@link SaltedSession} against a scripted stand-in for the TPM, for the responses a real TPM does not
 * produce on request: truncated, oversized, session-less or garbled ones, transport failures, and the error paths
 * that must still flush. The stand-in decrypts the salt with the JCA's RSA-OAEP (an independent check of the salt
 * format) and answers Sign with a response HMAC it computes itself; the real protocol is proven against swtpm in
 * {@link SaltedSessionSwtpmTest}.
 */
class SaltedSessionResponseTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SRK = 0x80000000;
  private static final int KEY = 0x80000001;
  private static final int SESSION = 0x02000000;

  private static final KeyPair saltKeyPair = generate();
  private static final LoadedObject saltKey = LoadedObject.of(SRK, rsaPublic(saltKeyPair, true));
  private static final LoadedObject signingKey = LoadedObject.of(KEY, rsaPublic(generate(), false));

  /** A minimal TPM: StartAuthSession (salted), Sign (checks the command HMAC), FlushContext. */
  private static final class FakeTpm implements RawTpm {
    final List<Integer> flushed = new ArrayList<>();
    final List<Integer> commandCodes = new ArrayList<>();
    UnaryOperator<byte[]> signResponse = r -> r;
    int startResponseCode;
    int sessionHandle = SESSION;
    byte[] sessionKey = new byte[0];
    byte[] nonceTpm = new byte[0];
    boolean lastCommandHmacOk;
    int retriesBeforeSign;
    final List<byte[]> signCommands = new ArrayList<>();

    @Override
    public byte[] transact(byte[] command) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(command);
      b.getShort();
      assertEquals(command.length, b.getInt());
      int cc = b.getInt();
      commandCodes.add(cc);
      return switch (cc) {
        case 0x176 -> startAuthSession(b);
        case 0x15D -> {
          signCommands.add(command.clone());
          if (retriesBeforeSign > 0) {
            retriesBeforeSign--;
            yield response(0x8001, 0x922, new byte[0]); // TPM_RC_RETRY: not run, session untouched
          }
          yield signResponse.apply(sign(b, command));
        }
        case 0x165 -> {
          flushed.add(b.getInt());
          yield response(0x8001, 0, new byte[0]);
        }
        default -> throw new AssertionError("unexpected command 0x" + Integer.toHexString(cc));
      };
    }

    private byte[] startAuthSession(ByteBuffer b) {
      assertEquals(SRK, b.getInt());
      assertEquals(0x40000007, b.getInt());
      byte[] nonceCaller = sized(b);
      byte[] encryptedSalt = sized(b);
      assertEquals(0, b.get()); // HMAC session
      assertEquals(0x0006, b.getShort()); // AES
      assertEquals(128, b.getShort());
      assertEquals(0x0043, b.getShort()); // CFB
      assertEquals(0x000B, b.getShort()); // SHA-256
      assertFalse(b.hasRemaining());
      if (startResponseCode != 0) {
        return response(0x8001, startResponseCode, new byte[0]);
      }
      byte[] salt;
      try {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        oaep.init(
            Cipher.DECRYPT_MODE,
            saltKeyPair.getPrivate(),
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified("SECRET\0".getBytes(StandardCharsets.US_ASCII))));
        salt = oaep.doFinal(encryptedSalt);
      } catch (Exception e) {
        throw new AssertionError("the salt is not RSA-OAEP(SHA-256, label SECRET\\0) for the salt key", e);
      }
      assertEquals(32, salt.length);
      nonceTpm = random(32);
      sessionKey = SessionCrypto.kdfa(HashAlg.SHA256, salt, "ATH", nonceTpm, nonceCaller, 256);
      ByteBuffer body = ByteBuffer.allocate(4 + 2 + 32);
      body.putInt(sessionHandle).putShort((short) 32).put(nonceTpm);
      return response(0x8001, 0, body.array());
    }

    private byte[] sign(ByteBuffer b, byte[] command) throws IOException {
      assertEquals(KEY, b.getInt());
      int authSize = b.getInt();
      int authEnd = b.position() + authSize;
      assertEquals(SESSION, b.getInt());
      byte[] nonceCaller = sized(b);
      int attributes = b.get() & 0xFF;
      byte[] hmac = sized(b);
      assertEquals(authEnd, b.position());
      byte[] params = Arrays.copyOfRange(command, authEnd, command.length);
      MessageDigest sha = sha256();
      sha.update(new byte[] {0, 0, 0x01, 0x5D});
      sha.update(signingKey.name());
      sha.update(params);
      byte[] cpHash = sha.digest();
      byte[] expected = SessionCrypto.hmac(
          HashAlg.SHA256, sessionKey, cpHash, nonceCaller, nonceTpm, new byte[] {(byte) attributes});
      lastCommandHmacOk = Arrays.equals(expected, hmac); // the signing key's authValue is empty here
      if (!lastCommandHmacOk) {
        return response(0x8001, 0x98E, new byte[0]);
      }
      // TPMT_SIGNATURE: RSASSA, SHA-256, 256-byte signature
      ByteBuffer rp = ByteBuffer.allocate(6 + 256);
      rp.putShort((short) 0x0014).putShort((short) 0x000B).putShort((short) 256).put(new byte[256]);
      byte[] rpBytes = rp.array();
      byte[] newNonce = random(32);
      MessageDigest rpHash = sha256();
      rpHash.update(new byte[] {0, 0, 0, 0, 0, 0, 0x01, 0x5D});
      rpHash.update(rpBytes);
      int responseAttributes = attributes;
      byte[] responseHmac = SessionCrypto.hmac(
          HashAlg.SHA256, sessionKey, rpHash.digest(), newNonce, nonceCaller, new byte[] {(byte) responseAttributes});
      nonceTpm = newNonce;
      ByteBuffer body = ByteBuffer.allocate(4 + rpBytes.length + 2 + 32 + 1 + 2 + 32);
      body.putInt(rpBytes.length).put(rpBytes);
      body.putShort((short) 32).put(newNonce).put((byte) responseAttributes).putShort((short) 32).put(responseHmac);
      return response(0x8002, 0, body.array());
    }
  }

  @Test
  void theStandInAcceptsTheCommandAndTheSessionAcceptsItsResponse() throws Exception {
    FakeTpm tpm = new FakeTpm();
    try (SaltedSession session = SaltedSession.start(tpm, saltKey, RANDOM)) {
      TPMT_SIGNATURE signature = session.sign(signingKey, new byte[0], random(32));
      assertTrue(tpm.lastCommandHmacOk);
      assertEquals(256, assertInstanceOf(TPMS_SIGNATURE_RSASSA.class, signature.signature).sig.length);
      session.sign(signingKey, new byte[0], random(32));
      assertTrue(session.isUsable());
    }
    assertEquals(List.of(SESSION), tpm.flushed);
  }

  @Test
  void aCommandAnsweredWithRetryIsSentAgainUnchanged() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.retriesBeforeSign = 2;
    try (SaltedSession session = SaltedSession.start(tpm, saltKey, RANDOM)) {
      session.sign(signingKey, new byte[0], random(32));
      assertTrue(tpm.lastCommandHmacOk);
    }
    assertEquals(3, tpm.signCommands.size());
    assertArrayEquals(tpm.signCommands.get(0), tpm.signCommands.get(2));
  }

  @Test
  void aTpmThatKeepsAnsweringRetryEventuallyGetsAnError() {
    FakeTpm tpm = new FakeTpm();
    tpm.retriesBeforeSign = 1000;
    TpmCommandException e = assertThrows(TpmCommandException.class, () -> {
      try (SaltedSession session = SaltedSession.start(tpm, saltKey, RANDOM)) {
        session.sign(signingKey, new byte[0], random(32));
      }
    });
    assertEquals(TpmResponseCodes.RETRY, e.responseCode());
    assertEquals(17, tpm.signCommands.size());
  }

  @Test
  void aTruncatedResponseIsRefusedAndTheSessionIsFlushed() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> withSize(Arrays.copyOf(r, r.length - 5));
    assertIntegrityFailureAndFlush(tpm);
  }

  @Test
  void trailingBytesAreRefused() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> withSize(Arrays.copyOf(r, r.length + 3));
    assertIntegrityFailureAndFlush(tpm);
  }

  @Test
  void aHeaderSizeThatDisagreesWithTheLengthIsRefused() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> {
      byte[] copy = r.clone();
      copy[5]++;
      return copy;
    };
    assertIntegrityFailureAndFlush(tpm);
  }

  @Test
  void anOversizedParameterSizeIsRefused() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> {
      byte[] copy = r.clone();
      copy[10] = 0x7F;
      return copy;
    };
    assertIntegrityFailureAndFlush(tpm);
  }

  @Test
  void aSuccessWithoutTheSessionAreaIsRefused() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> response(0x8001, 0, Arrays.copyOfRange(r, 14, 14 + 262));
    assertIntegrityFailureAndFlush(tpm);
  }

  @Test
  void anErrorResponseBecomesATpmCommandExceptionAndTheSessionStaysUsable() throws Exception {
    FakeTpm tpm = new FakeTpm();
    tpm.signResponse = r -> response(0x8001, 0x902, new byte[0]);
    try (SaltedSession session = SaltedSession.startSingleUse(tpm, saltKey, RANDOM)) {
      TpmCommandException e =
          assertThrows(TpmCommandException.class, () -> session.sign(signingKey, new byte[0], random(32)));
      assertEquals(0x902, e.responseCode());
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("TPM_RC_OBJECT_MEMORY"), e.getMessage());
      assertTrue(session.isUsable());
    }
    assertEquals(List.of(SESSION), tpm.flushed, "a failed single-use session is flushed by close()");
  }

  @Test
  void aTransportFailureBecomesProviderUnavailableAndMakesTheSessionUnusable() throws Exception {
    FakeTpm tpm = new FakeTpm();
    RawTpm failing = command -> {
      if (command[9] == 0x5D) {
        throw new IOException("connection reset");
      }
      return tpm.transact(command);
    };
    SaltedSession session = SaltedSession.start(failing, saltKey, RANDOM);
    try (session) {
      ProviderUnavailableException e = assertThrows(
          ProviderUnavailableException.class, () -> session.sign(signingKey, new byte[0], random(32)));
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertInstanceOf(IOException.class, e.getCause());
      assertFalse(session.isUsable());
    }
    assertEquals(List.of(SESSION), tpm.flushed);
  }

  @Test
  void startAuthSessionErrorsCarryTheResponseCodeAndLeaveNothingToFlush() {
    FakeTpm tpm = new FakeTpm();
    tpm.startResponseCode = 0x903; // TPM_RC_SESSION_MEMORY
    TpmCommandException e =
        assertThrows(TpmCommandException.class, () -> SaltedSession.start(tpm, saltKey, RANDOM));
    assertEquals(0x903, e.responseCode());
    assertEquals("TPM2_StartAuthSession", e.command());
    assertEquals(List.of(), tpm.flushed);
  }

  @Test
  void aStartAuthSessionAnswerWithAPolicySessionHandleIsRefusedAndThatHandleFlushed() {
    FakeTpm tpm = new FakeTpm();
    tpm.sessionHandle = 0x03000001;
    assertThrows(TpmIntegrityException.class, () -> SaltedSession.start(tpm, saltKey, RANDOM));
    assertEquals(List.of(0x03000001), tpm.flushed);
  }

  @Test
  void aStartAuthSessionAnswerWithAnObjectHandleIsRefusedWithoutFlushingThatObject() {
    FakeTpm tpm = new FakeTpm();
    tpm.sessionHandle = KEY;
    assertThrows(TpmIntegrityException.class, () -> SaltedSession.start(tpm, saltKey, RANDOM));
    assertEquals(List.of(), tpm.flushed);
  }

  @Test
  void closeIsIdempotent() throws Exception {
    FakeTpm tpm = new FakeTpm();
    SaltedSession session = SaltedSession.start(tpm, saltKey, RANDOM);
    session.close();
    session.close();
    assertEquals(List.of(SESSION), tpm.flushed);
    assertThrows(IllegalStateException.class, () -> session.sign(signingKey, new byte[0], random(32)));
  }

  @Test
  void theNameIsTheNameAlgFollowedByTheDigestOfThePublicArea() throws Exception {
    byte[] area = signingKey.publicAreaBytes();
    byte[] name = signingKey.name();
    assertEquals(34, name.length);
    assertArrayEquals(new byte[] {0x00, 0x0B}, Arrays.copyOf(name, 2));
    assertArrayEquals(sha256().digest(area), Arrays.copyOfRange(name, 2, 34));
    assertThrows(IllegalArgumentException.class, () -> LoadedObject.of(KEY, Arrays.copyOf(area, area.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> LoadedObject.of(KEY, Arrays.copyOf(area, 20)));
  }

  private static void assertIntegrityFailureAndFlush(FakeTpm tpm) throws Exception {
    SaltedSession session = SaltedSession.start(tpm, saltKey, RANDOM);
    try (session) {
      assertThrows(TpmIntegrityException.class, () -> session.sign(signingKey, new byte[0], random(32)));
      assertFalse(session.isUsable());
    }
    assertEquals(List.of(SESSION), tpm.flushed);
  }

  // ------------------------------------------------------------------------------------------------------------

  private static byte[] response(int tag, int rc, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(10 + body.length);
    b.putShort((short) tag).putInt(10 + body.length).putInt(rc).put(body);
    return b.array();
  }

  private static byte[] withSize(byte[] response) {
    ByteBuffer.wrap(response).putInt(2, response.length);
    return response;
  }

  private static byte[] sized(ByteBuffer b) {
    byte[] out = new byte[b.getShort() & 0xFFFF];
    b.get(out);
    return out;
  }

  private static TPMT_PUBLIC rsaPublic(KeyPair pair, boolean decrypt) {
    BigInteger modulus = ((RSAPublicKey) pair.getPublic()).getModulus();
    byte[] m = modulus.toByteArray();
    byte[] n = Arrays.copyOfRange(m, m.length - 256, m.length);
    TPMA_OBJECT attributes = decrypt
        ? new TPMA_OBJECT(TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent, TPMA_OBJECT.sensitiveDataOrigin,
            TPMA_OBJECT.userWithAuth, TPMA_OBJECT.noDA, TPMA_OBJECT.restricted, TPMA_OBJECT.decrypt)
        : new TPMA_OBJECT(TPMA_OBJECT.sign, TPMA_OBJECT.fixedTPM, TPMA_OBJECT.fixedParent,
            TPMA_OBJECT.sensitiveDataOrigin, TPMA_OBJECT.userWithAuth);
    TPMS_RSA_PARMS parms = decrypt
        ? new TPMS_RSA_PARMS(
            new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, 128, TPM_ALG_ID.CFB), new TPMS_NULL_ASYM_SCHEME(), 2048, 0)
        : new TPMS_RSA_PARMS(
            new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL),
            new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), 2048, 0);
    return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, attributes, new byte[0], parms, new TPM2B_PUBLIC_KEY_RSA(n));
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
