package dev.ngc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TestBiometricModalityTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.com");
  private static final UserPrincipal BOB = UserPrincipal.of("bob@contoso.com");

  @Test
  void enrolmentMakesA32ByteSecretPerUserThatMatchingReleases() throws Exception {
    TestBiometricModality m = TestBiometricModality.withId("fingerprint");
    byte[] alice = m.enroll(ALICE).copySecret();
    byte[] bob = m.enroll(BOB).copySecret();
    assertEquals(32, alice.length);
    assertFalse(Arrays.equals(alice, bob));
    assertArrayEquals(alice, m.match(ALICE).copySecret());
    assertArrayEquals(alice, m.enroll(ALICE).copySecret(), "re-enrolling keeps the user's secret");
    assertEquals("fingerprint", m.match(BOB).modality());
  }

  @Test
  void injectedFailuresGiveWrongGestureThenMatchingResumes() throws Exception {
    TestBiometricModality m = TestBiometricModality.withId("face");
    m.enroll(ALICE);
    m.failNextMatches(2);
    for (int i = 0; i < 2; i++) {
      NgcException e = assertThrows(NgcException.class, () -> m.match(ALICE));
      assertEquals(ErrorCode.WRONG_GESTURE, e.code());
    }
    m.match(ALICE);
    assertEquals(3, m.matchCount());
  }

  @Test
  void aUserWhoIsNotEnrolledNeverMatches() throws Exception {
    TestBiometricModality m = TestBiometricModality.withId("face");
    assertEquals(ErrorCode.WRONG_GESTURE, assertThrows(NgcException.class, () -> m.match(ALICE)).code());
    m.enroll(ALICE);
    assertTrue(m.forget(ALICE));
    assertFalse(m.isEnrolled(ALICE));
    assertEquals(ErrorCode.WRONG_GESTURE, assertThrows(NgcException.class, () -> m.match(ALICE)).code());
  }
}
