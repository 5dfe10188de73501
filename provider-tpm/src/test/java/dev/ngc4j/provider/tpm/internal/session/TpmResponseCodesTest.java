package dev.ngc4j.provider.tpm.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Response-code decoding against the layout of TPM 2.0 Library Part 2 §6.6. */
class TpmResponseCodesTest {
  @ParameterizedTest
  @ValueSource(ints = {0x08E, 0x98E, 0xA8E, 0x18E, 0x1CE, 0x0CE, 0xF8E, 0x28E})
  void recognisesAuthFailWhateverHandleParameterOrSessionItNames(int rc) {
    assertTrue(TpmResponseCodes.isAuthFail(rc));
    assertTrue(TpmResponseCodes.isWrongAuth(rc));
    assertFalse(TpmResponseCodes.isBadAuth(rc));
    assertFalse(TpmResponseCodes.isLockout(rc));
    assertEquals(0x8E, TpmResponseCodes.baseCode(rc));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x0A2, 0x9A2, 0x1E2})
  void recognisesBadAuthForDaExemptEntities(int rc) {
    assertTrue(TpmResponseCodes.isBadAuth(rc));
    assertTrue(TpmResponseCodes.isWrongAuth(rc));
    assertFalse(TpmResponseCodes.isAuthFail(rc));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00E, 0x10E, 0x90E, 0x1008E, 0x8008E, 0x0, 0x921, 0x922, 0x98B})
  void doesNotMistakeOtherCodesForAuthFail(int rc) {
    assertFalse(TpmResponseCodes.isAuthFail(rc));
  }

  @Test
  void recognisesASessionTheTpmNoLongerHolds() {
    for (int rc = 0x918; rc <= 0x91E; rc++) {
      assertTrue(TpmResponseCodes.isSessionNotLoaded(rc), Integer.toHexString(rc));
    }
    for (int rc : new int[] {0x910, 0x917, 0x91F, 0x98B, 0x08B, 0x903, 0x0}) {
      assertFalse(TpmResponseCodes.isSessionNotLoaded(rc), Integer.toHexString(rc));
    }
    assertEquals("TPM_RC_REFERENCE_S0", TpmResponseCodes.describe(TpmResponseCodes.REFERENCE_S0));
  }

  @Test
  void tellsWarningsFromErrors() {
    for (int rc : new int[] {0x902, 0x903, 0x908, 0x918, 0x921, 0x922}) {
      assertTrue(TpmResponseCodes.isWarning(rc), Integer.toHexString(rc));
    }
    // Format-one codes about session 1 have bit 11 set too, and are errors: 0x984 is TPM_RC_VALUE, session 1.
    for (int rc : new int[] {0x0, 0x101, 0x084, 0x1C4, 0x984, 0x98E, 0x100}) {
      assertFalse(TpmResponseCodes.isWarning(rc), Integer.toHexString(rc));
    }
  }

  @Test
  void recognisesLockoutExactly() {
    assertTrue(TpmResponseCodes.isLockout(0x921));
    assertFalse(TpmResponseCodes.isLockout(0x922));
    assertFalse(TpmResponseCodes.isLockout(0x121));
    assertFalse(TpmResponseCodes.isLockout(0x98E));
  }

  @Test
  void describesHandlesParametersAndSessions() {
    assertEquals("TPM_RC_AUTH_FAIL, session 1", TpmResponseCodes.describe(0x98E));
    assertEquals("TPM_RC_AUTH_FAIL, handle 1", TpmResponseCodes.describe(0x18E));
    assertEquals("TPM_RC_SIZE, parameter 1", TpmResponseCodes.describe(0x1D5));
    assertEquals("TPM_RC_HANDLE", TpmResponseCodes.describe(0x08B));
    assertEquals("TPM_RC_LOCKOUT", TpmResponseCodes.describe(0x921));
    assertEquals("TPM_RC_INITIALIZE", TpmResponseCodes.describe(0x100));
    assertEquals("TPM_RC_REFERENCE_S0", TpmResponseCodes.describe(0x918));
    assertEquals("TPM_RC_SUCCESS", TpmResponseCodes.describe(0));
    assertTrue(TpmResponseCodes.describe(0x2E).contains("not a TPM 2.0 code"));
  }

  @Test
  void exceptionMapsCodesAndKeepsTheRawValue() {
    TpmCommandException wrong = new TpmCommandException("TPM2_Sign", 0x98E);
    assertEquals(0x98E, wrong.responseCode());
    assertTrue(wrong.isAuthFail());
    assertEquals(ErrorCode.WRONG_GESTURE, wrong.code());
    assertTrue(wrong.getMessage().contains("0x98E"), wrong.getMessage());
    TpmCommandException lockout = new TpmCommandException("TPM2_Sign", 0x921);
    assertTrue(lockout.isLockout());
    assertEquals(ErrorCode.LOCKED_OUT, lockout.code());
    assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, new TpmCommandException("TPM2_Sign", 0x902).code());
  }
}
