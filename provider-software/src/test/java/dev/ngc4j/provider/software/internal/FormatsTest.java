package dev.ngc4j.provider.software.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The small pieces of this provider: AES-GCM. (The PIN policy capture, the lockout arithmetic and the bounded reader
 * are provider-support's, tested there.)
 */
class FormatsTest {
  @Nested
  class Aes {
    @Test
    void aWrongKeyOrAadGivesNoPlaintext() {
      byte[] key = new byte[32];
      byte[] nonce = new byte[12];
      byte[] sealed = Aead.seal(key.clone(), nonce, new byte[] {7}, new byte[] {1, 2, 3});
      assertArrayEquals(new byte[] {1, 2, 3}, Aead.open(key.clone(), nonce, new byte[] {7}, sealed));
      assertNull(Aead.open(key.clone(), nonce, new byte[] {8}, sealed));
      byte[] otherKey = new byte[32];
      otherKey[0] = 1;
      assertNull(Aead.open(otherKey, nonce, new byte[] {7}, sealed));
      assertNull(Aead.open(key.clone(), nonce, new byte[] {7}, new byte[5]));
      assertFalse(sealed.length == 3);
    }
  }
}
