package dev.ngc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScriptedGesturesTest {
  private static final UserPrincipal USER = UserPrincipal.of("alice@contoso.com");

  private static GestureRequest pinRequest(GesturePurpose purpose) {
    return new GestureRequest(GestureKind.PIN, purpose, USER, ContainerId.of("c"), "test", OptionalInt.of(3),
        Optional.empty(), Optional.empty());
  }

  private static GestureRequest biometricRequest(GesturePurpose purpose, String modality) {
    return new GestureRequest(GestureKind.BIOMETRIC, purpose, USER, ContainerId.of("c"), "test", OptionalInt.empty(),
        Optional.of(modality), Optional.empty());
  }

  @Nested
  class Answering {
    @Test
    void answersInScriptOrderAndRecordsEveryRequest() throws Exception {
      ScriptedGestures script = ScriptedGestures.create().pin("123456".toCharArray()).cancel();
      Gesture first = script.provide(pinRequest(GesturePurpose.UNLOCK));
      assertArrayEquals("123456".toCharArray(), ((Pin) first).copyChars());
      GestureCancelledException e =
          assertThrows(GestureCancelledException.class, () -> script.provide(pinRequest(GesturePurpose.CHANGE)));
      assertEquals(ErrorCode.GESTURE_CANCELLED, e.code());
      assertEquals(2, script.requests().size());
      assertEquals(GesturePurpose.CHANGE, script.requests().get(1).purpose());
      assertEquals(1, script.handedOut().size());
      script.assertExhausted();
    }

    @Test
    void copiesTheCallersPinArray() throws Exception {
      char[] pin = "123456".toCharArray();
      ScriptedGestures script = ScriptedGestures.create().pin(pin, 2);
      pin[0] = 'x';
      assertArrayEquals("123456".toCharArray(), ((Pin) script.provide(pinRequest(GesturePurpose.UNLOCK))).copyChars());
      assertEquals(1, script.remaining());
    }

    @Test
    void biometricAnswersEnrolForCreationAndMatchOtherwise() throws Exception {
      TestBiometricModality face = TestBiometricModality.withId("face");
      ScriptedGestures script = ScriptedGestures.create().biometric(face, 2);
      BiometricMatch enrolled = (BiometricMatch) script.provide(biometricRequest(GesturePurpose.ADD_PROTECTOR, "face"));
      BiometricMatch matched = (BiometricMatch) script.provide(biometricRequest(GesturePurpose.UNLOCK, "face"));
      assertArrayEquals(enrolled.copySecret(), matched.copySecret());
      assertEquals(1, face.enrolmentCount());
      assertEquals(1, face.matchCount());
    }

    @Test
    void aFailedMatchIsHandedOutAsASecretThatOpensNothing() throws Exception {
      TestBiometricModality face = TestBiometricModality.withId("face");
      byte[] real = face.enroll(USER).copySecret();
      face.failNextMatch();
      ScriptedGestures script = ScriptedGestures.create().biometric(face, 2);
      BiometricMatch impostor = (BiometricMatch) script.provide(biometricRequest(GesturePurpose.UNLOCK, "face"));
      assertFalse(java.util.Arrays.equals(real, impostor.copySecret()));
      BiometricMatch genuine = (BiometricMatch) script.provide(biometricRequest(GesturePurpose.UNLOCK, "face"));
      assertArrayEquals(real, genuine.copySecret());
    }
  }

  @Nested
  class FailingLoudly {
    @Test
    void anUnscriptedRequestFailsAndIsRemembered() {
      ScriptedGestures script = ScriptedGestures.create();
      assertThrows(AssertionError.class, () -> script.provide(pinRequest(GesturePurpose.UNLOCK)));
      AssertionError again = assertThrows(AssertionError.class, script::assertNoUnexpectedRequests);
      assertTrue(String.valueOf(again.getMessage()).contains("not scripted"), again::getMessage);
    }

    @Test
    void aPinAnswerToABiometricRequestFails() {
      ScriptedGestures script = ScriptedGestures.create().pin("123456".toCharArray());
      assertThrows(AssertionError.class, () -> script.provide(biometricRequest(GesturePurpose.UNLOCK, "face")));
      assertThrows(AssertionError.class, script::assertNoUnexpectedRequests);
    }

    @Test
    void aBiometricAnswerForAnotherModalityFails() {
      ScriptedGestures script = ScriptedGestures.create().biometric(TestBiometricModality.withId("face"));
      assertThrows(AssertionError.class, () -> script.provide(biometricRequest(GesturePurpose.UNLOCK, "iris")));
    }

    @Test
    void unusedAnswersFailTheExhaustionCheck() {
      ScriptedGestures script = ScriptedGestures.create().cancel();
      assertThrows(AssertionError.class, script::assertExhausted);
    }

    @Test
    void liveGesturesFailTheDestructionCheck() throws Exception {
      ScriptedGestures script = ScriptedGestures.create().pin("123456".toCharArray(), 2);
      Gesture a = script.provide(pinRequest(GesturePurpose.UNLOCK));
      Gesture b = script.provide(pinRequest(GesturePurpose.UNLOCK));
      a.destroy();
      assertThrows(AssertionError.class, script::assertGesturesDestroyed);
      b.close();
      script.assertGesturesDestroyed();
      assertInstanceOf(Pin.class, a);
      assertNotEquals(a, b);
    }
  }
}
