package dev.ngc4j.server.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.core.internal.cloud.StrictJwe;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The hot-path session key JWE is exactly what the shared strict decoder reads. */
final class SessionKeyJweTest {
  @Test
  void theSharedStrictDecoderReadsTheSessionKeyAndPayload() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair transport = g.generateKeyPair();
    byte[] sessionKey = new byte[32];
    Jca.RANDOM.nextBytes(sessionKey);
    String jwe = SessionKeyJwe.encrypt(new byte[] {0x20}, sessionKey, (RSAPublicKey) transport.getPublic());
    StrictJwe.Decrypted d = StrictJwe.decrypt(jwe, transport.getPrivate(), StrictJwe.KeyAlgorithm.RSA_OAEP);
    assertArrayEquals(sessionKey, d.contentKey());
    assertArrayEquals(new byte[] {0x20}, d.plaintext());
    String header = new String(Base64.getUrlDecoder().decode(jwe.substring(0, jwe.indexOf('.'))),
        StandardCharsets.UTF_8);
    assertEquals("{\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}", header);
    assertEquals(256, Base64.getUrlDecoder().decode(jwe.split("\\.", -1)[1]).length);
  }
}
