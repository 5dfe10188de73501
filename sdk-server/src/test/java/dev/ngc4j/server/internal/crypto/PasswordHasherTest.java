package dev.ngc4j.server.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class PasswordHasherTest {
  @Test
  void aHashVerifiesOnlyItsOwnSecretAndIsSalted() {
    String hash = PasswordHasher.hash("correct horse".toCharArray());
    assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    assertTrue(PasswordHasher.verify("correct horse".getBytes(StandardCharsets.UTF_8), hash));
    assertFalse(PasswordHasher.verify("correct horsf".getBytes(StandardCharsets.UTF_8), hash));
    assertNotEquals(hash, PasswordHasher.hash("correct horse".toCharArray()));
  }

  @Test
  void malformedOrOutOfBoundsHashesNeverMatch() {
    byte[] secret = "x".getBytes(StandardCharsets.UTF_8);
    for (String bad : new String[] {"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
        "$argon2id$v=19$m=99999999,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=19456,t=99,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"}) {
      assertFalse(PasswordHasher.verify(secret, bad), bad);
    }
  }

  @Test
  void utf8EncodesWithoutLosingCharacters() {
    assertArrayEquals("pä€".getBytes(StandardCharsets.UTF_8), PasswordHasher.utf8("pä€".toCharArray()));
  }
}
