package dev.ngc4j.provider.support;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.ProtectorSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The checks every provider makes on a gesture before it uses it.
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class GestureChecks {
  private GestureChecks() {}

  /**
   * The request for a new gesture (a container's first protector, an added protector, a new PIN): no attempt count,
   * and the PIN policy when a PIN is asked for.
   *
   * @param spec the protector the gesture is for
   * @param purpose why
   * @param user the user
   * @param id the container
   * @param providerId the provider
   * @param policy the container's PIN policy
   * @return the request
   */
  public static GestureRequest newGesture(ProtectorSpec spec, GesturePurpose purpose, UserPrincipal user,
      ContainerId id, String providerId, PinPolicy policy) {
    return new GestureRequest(spec.kind(), purpose, user, id, providerId, OptionalInt.empty(), spec.modality(),
        spec.kind() == GestureKind.PIN ? Optional.of(policy) : Optional.empty());
  }

  /**
   * Throws {@code GESTURE_NOT_ALLOWED} if the source answered with another kind or modality than asked.
   *
   * @param gesture the answer
   * @param kind the kind asked for
   * @param modality the modality asked for (empty for a PIN)
   * @param request the request, for the message
   * @throws PolicyException if the answer does not fit
   */
  public static void requireFits(Gesture gesture, GestureKind kind, Optional<String> modality, GestureRequest request)
      throws PolicyException {
    boolean fits = kind == GestureKind.PIN
        ? gesture instanceof Pin
        : gesture instanceof BiometricMatch match && modality.equals(Optional.of(match.modality()));
    if (!fits) {
      throw new PolicyException(
          ErrorCode.GESTURE_NOT_ALLOWED,
          "The gesture source answered a " + kind + modality.map(m -> " (" + m + ")").orElse("") + " request for "
              + request.purpose() + " with a " + gesture.kind() + " gesture",
          "answer each gesture request with the kind and modality it asks for",
          null);
    }
  }

  /**
   * Throws {@code GESTURE_NOT_ALLOWED} if the answer does not fit the request's own kind and modality.
   *
   * @param gesture the answer
   * @param request the request
   * @throws PolicyException if the answer does not fit
   */
  public static void requireFits(Gesture gesture, GestureRequest request) throws PolicyException {
    requireFits(gesture, request.kind(), request.modality(), request);
  }

  /**
   * Checks a new PIN against the container's policy; the copy of its characters is zeroed.
   *
   * @param pin the PIN
   * @param policy the policy
   * @throws PolicyException {@code PIN_POLICY_VIOLATION} with the rules it breaks
   */
  public static void checkPolicy(Pin pin, PinPolicy policy) throws PolicyException {
    char[] chars = pin.copyChars();
    try {
      policy.check(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }
}
