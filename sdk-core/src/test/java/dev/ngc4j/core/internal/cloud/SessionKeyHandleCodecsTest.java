package dev.ngc4j.core.internal.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.internal.cloud.DerivedKeyJwe.Form;
import dev.ngc4j.core.internal.cloud.DerivedKeyJws.KdfVersion;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.DeviceKeys;
import dev.ngc4j.spi.KeyWrapAlgorithm;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.spi.SessionKeyEnvelope;
import dev.ngc4j.spi.SessionKeyHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session-key-handle variants of {@link DerivedKeyJws#sign} and {@link DerivedKeyJwe#decrypt}: byte for byte the
 * same as the raw-key variants. The handle is a real one, from the software provider, holding a known session key.
 */
final class SessionKeyHandleCodecsTest {
  private static final byte[] SESSION_KEY = sequence(32, 0x10);
  private static final byte[] CTX = sequence(24, 0xA0);
  private static final byte[] PAYLOAD =
      "{\"refresh_token\":\"0.AXYZ\",\"is_primary\":\"true\",\"request_nonce\":\"n\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private ProviderSession session;
  private SessionKeyHandle handle;

  private static byte[] sequence(int length, int start) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (start + i);
    }
    return out;
  }

  @BeforeEach
  void unwrapAKnownSessionKey() throws Exception {
    session = new SoftwareCredentialProvider().open(new ProviderContext(dir, Clock.systemUTC(), Map.of()));
    DeviceKeys keys = session.deviceKeys().orElseThrow();
    String jwe = StrictJwe.encrypt(new byte[] {0x20}, SESSION_KEY, (RSAPublicKey) keys.transportKey(),
        StrictJwe.KeyAlgorithm.RSA_OAEP);
    String[] p = jwe.split("\\.", -1);
    handle = keys.unwrapSessionKey(new SessionKeyEnvelope(KeyWrapAlgorithm.RSA_OAEP_SHA1,
        Bytes.of(p[0].getBytes(StandardCharsets.US_ASCII)), Bytes.fromBase64Url(p[1]), Bytes.fromBase64Url(p[2]),
        Bytes.fromBase64Url(p[3]), Bytes.fromBase64Url(p[4])));
  }

  @AfterEach
  void close() {
    handle.close();
    session.close();
  }

  @Test
  void signingThroughTheHandleIsByteForByteTheRawKeySignature() throws Exception {
    for (KdfVersion version : KdfVersion.values()) {
      assertEquals(DerivedKeyJws.sign(PAYLOAD, SESSION_KEY, version, CTX),
          DerivedKeyJws.sign(PAYLOAD, handle, version, CTX), version.name());
      String fresh = DerivedKeyJws.sign(PAYLOAD, handle, version);
      DerivedKeyJws.Verified v = DerivedKeyJws.verify(fresh, SESSION_KEY, false);
      assertEquals(version, v.kdfVersion());
      assertArrayEquals(PAYLOAD, v.payload());
    }
  }

  @Test
  void decryptingThroughTheHandleMatchesTheRawKey() throws Exception {
    for (Form form : Form.values()) {
      String compact = DerivedKeyJwe.encrypt(PAYLOAD, SESSION_KEY, form);
      assertArrayEquals(DerivedKeyJwe.decrypt(compact, SESSION_KEY, true), DerivedKeyJwe.decrypt(compact, handle, true));
    }
  }

  @Test
  void theHandleVariantFailsWithTheSameSingleException() throws Exception {
    NgcException reference = assertThrows(NgcException.class, () -> DerivedKeyJwe.decrypt("x", SESSION_KEY, false));
    String cbc = DerivedKeyJwe.encrypt(PAYLOAD, SESSION_KEY, Form.CBC);
    String foreign = DerivedKeyJwe.encrypt(PAYLOAD, sequence(32, 0x11), Form.GCM);
    for (String bad : new String[] {"x", cbc, foreign}) {
      NgcException e = assertThrows(NgcException.class, () -> DerivedKeyJwe.decrypt(bad, handle, false));
      assertSame(NgcException.class, e.getClass());
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertEquals(reference.getMessage(), e.getMessage());
      assertNull(e.getCause());
    }
  }

  @Test
  void aClosedHandleIsMisuse() {
    handle.close();
    assertThrows(IllegalStateException.class, () -> DerivedKeyJws.sign(PAYLOAD, handle, KdfVersion.V2));
    String compact = DerivedKeyJwe.encrypt(PAYLOAD, SESSION_KEY, Form.GCM);
    assertThrows(IllegalStateException.class, () -> DerivedKeyJwe.decrypt(compact, handle, false));
  }
}
