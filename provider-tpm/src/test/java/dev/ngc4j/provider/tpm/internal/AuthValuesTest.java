package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuthValuesTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final ContainerId ID = ContainerId.of("alice-1");
  private static final byte[] NAME = new byte[34];
  private static final byte[] SALT = new byte[32];

  @Test
  void hkdfSha256MatchesRfc5869TestCase1() {
    HexFormat hex = HexFormat.of();
    byte[] okm = AuthValues.derive(hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
        hex.parseHex("000102030405060708090a0b0c"), hex.parseHex("f0f1f2f3f4f5f6f7f8f9"));
    // The first 32 bytes of the RFC's 42-byte OKM.
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf", hex.formatHex(okm));
  }

  @Test
  void aPinGivesExactly32DeterministicBytesBoundToSaltUserContainerAndKey() {
    byte[] a = fromPin("314159", SALT, ALICE, ID, NAME);
    assertEquals(32, a.length);
    assertArrayEquals(a, fromPin("314159", SALT, ALICE, ID, NAME));
    assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(fromPin("314158", SALT, ALICE, ID, NAME)));
    byte[] otherSalt = SALT.clone();
    otherSalt[0] = 1;
    assertFalse(Arrays.equals(a, fromPin("314159", otherSalt, ALICE, ID, NAME)));
    assertFalse(Arrays.equals(a, fromPin("314159", SALT, UserPrincipal.of("bob@contoso.com"), ID, NAME)));
    assertFalse(Arrays.equals(a, fromPin("314159", SALT, ALICE, ContainerId.of("alice-2"), NAME)));
    byte[] otherName = NAME.clone();
    otherName[33] = 1;
    assertFalse(Arrays.equals(a, fromPin("314159", SALT, ALICE, ID, otherName)));
  }

  @Test
  void aBiometricSecretDerivesAnotherValueThanTheSameBytesAsAPin() {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bio;
    try (BiometricMatch m = BiometricMatch.of("fingerprint", secret)) {
      bio = AuthValues.fromBiometric(m, SALT, ALICE, ID, NAME);
    }
    assertEquals(32, bio.length);
    assertFalse(Arrays.equals(bio, fromPin("0123456789abcdef0123456789abcdef", SALT, ALICE, ID, NAME)));
  }

  @Test
  void noValueEndsInAZeroByteWhichTheTpmWouldStrip() {
    for (int i = 0; i < 2000; i++) {
      assertNotEquals(0, AuthValues.random()[31]);
      byte[] salt = AuthValues.salt();
      assertNotEquals(0, fromPin("314159", salt, ALICE, ID, NAME)[31]);
    }
  }

  private static byte[] fromPin(String pin, byte[] salt, UserPrincipal user, ContainerId id, byte[] name) {
    try (Pin p = Pin.of(pin.toCharArray())) {
      return AuthValues.fromPin(p, salt, user, id, name);
    }
  }
}
