package dev.ngc4j.testkit;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.spi.BiometricModality;
import dev.ngc4j.spi.GestureSource;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A {@link GestureSource} that answers from a script written by the test, and records what it was asked.
 *
 * <p>Each answer is used once, in order:
 *
 * <ul>
 *   <li>{@link #pin(char[])} hands out a fresh {@link Pin} of the scripted characters;
 *   <li>{@link #biometric(BiometricModality)} enrols the user on the modality when the request's purpose is
 *       {@link GesturePurpose#CREATE} or {@link GesturePurpose#ADD_PROTECTOR}, and matches otherwise. A match that
 *       fails with {@link ErrorCode#WRONG_GESTURE} (see {@link TestBiometricModality#failNextMatch()}) is handed to
 *       the provider as a {@link BiometricMatch} carrying a random secret, so the provider sees a biometric
 *       gesture that does not open the container;
 *   <li>{@link #cancel()} throws {@link GestureCancelledException}.
 * </ul>
 *
 * <p>The source fails loudly: a request beyond the script, or one whose kind or modality does not fit the next
 * answer, throws an {@link AssertionError}. The error is also remembered, and
 * {@link #assertNoUnexpectedRequests()} throws it again, so a provider that swallows it still fails the test.
 *
 * <p>Every gesture handed out is kept, so tests can check that the provider destroyed it
 * ({@link #assertGesturesDestroyed()}).
 *
 * <p>Thread safety: safe for concurrent use; requests are answered one at a time, in script order.
 *
 * @since 0.1.0
 */
public final class ScriptedGestures implements GestureSource {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<GestureRequest> requests = new ArrayList<>();
  private final List<Gesture> handedOut = new ArrayList<>();
  private final List<AssertionError> failures = new ArrayList<>();

  private ScriptedGestures() {}

  /**
   * Returns a source with an empty script: any request fails. Add answers with the other methods.
   *
   * @return a new source
   * @since 0.1.0
   */
  public static ScriptedGestures create() {
    return new ScriptedGestures();
  }

  /**
   * Appends a PIN answer. The characters are copied; the caller keeps its array.
   *
   * @param pin the PIN to hand out
   * @return this source
   * @since 0.1.0
   */
  public ScriptedGestures pin(char[] pin) {
    return pin(pin, 1);
  }

  /**
   * Appends the same PIN answer several times.
   *
   * @param pin the PIN to hand out; copied
   * @param times how many answers to append, at least 1
   * @return this source
   * @since 0.1.0
   */
  public synchronized ScriptedGestures pin(char[] pin, int times) {
    Objects.requireNonNull(pin, "pin");
    requirePositive(times);
    char[] copy = pin.clone();
    for (int i = 0; i < times; i++) {
      script.add(new PinAnswer(copy));
    }
    return this;
  }

  /**
   * Appends a biometric answer through the given modality.
   *
   * @param modality the modality that enrols or matches
   * @return this source
   * @since 0.1.0
   */
  public ScriptedGestures biometric(BiometricModality modality) {
    return biometric(modality, 1);
  }

  /**
   * Appends the same biometric answer several times.
   *
   * @param modality the modality that enrols or matches
   * @param times how many answers to append, at least 1
   * @return this source
   * @since 0.1.0
   */
  public synchronized ScriptedGestures biometric(BiometricModality modality, int times) {
    Objects.requireNonNull(modality, "modality");
    requirePositive(times);
    for (int i = 0; i < times; i++) {
      script.add(new BiometricAnswer(modality));
    }
    return this;
  }

  /**
   * Appends a cancellation: the request is answered with {@link GestureCancelledException}.
   *
   * @return this source
   * @since 0.1.0
   */
  public synchronized ScriptedGestures cancel() {
    script.add(new CancelAnswer());
    return this;
  }

  @Override
  public synchronized Gesture provide(GestureRequest request) throws GestureCancelledException {
    Objects.requireNonNull(request, "request");
    requests.add(request);
    Answer answer = script.poll();
    if (answer == null) {
      throw fail("Gesture request #" + requests.size() + " was not scripted: " + describeRequest(request));
    }
    Gesture gesture = answer.answer(request);
    handedOut.add(gesture);
    return gesture;
  }

  /**
   * Returns every request received so far, in order.
   *
   * @return a copy of the requests
   * @since 0.1.0
   */
  public synchronized List<GestureRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * Returns every gesture handed out so far, in order; cancellations hand out none.
   *
   * @return a copy of the list
   * @since 0.1.0
   */
  public synchronized List<Gesture> handedOut() {
    return List.copyOf(handedOut);
  }

  /**
   * Returns how many scripted answers are left.
   *
   * @return the unused answers
   * @since 0.1.0
   */
  public synchronized int remaining() {
    return script.size();
  }

  /**
   * Throws the first failure this source raised (an unscripted request, a kind or modality mismatch), even if the
   * code under test caught it.
   *
   * @throws AssertionError if the source was misused
   * @since 0.1.0
   */
  public synchronized void assertNoUnexpectedRequests() {
    if (!failures.isEmpty()) {
      AssertionError first = failures.get(0);
      throw new AssertionError(first.getMessage(), first);
    }
  }

  /**
   * Checks that every scripted answer was used and nothing unexpected was asked.
   *
   * @throws AssertionError otherwise
   * @since 0.1.0
   */
  public synchronized void assertExhausted() {
    assertNoUnexpectedRequests();
    if (!script.isEmpty()) {
      Answer next = Objects.requireNonNull(script.peek());
      throw new AssertionError(script.size() + " scripted answer(s) were never asked for; next: " + next.describe()
          + "; requests received: " + requests.size());
    }
  }

  /**
   * Checks that every gesture handed out was destroyed by its receiver.
   *
   * @throws AssertionError naming the first gesture that is still alive
   * @since 0.1.0
   */
  public synchronized void assertGesturesDestroyed() {
    for (int i = 0; i < handedOut.size(); i++) {
      Gesture g = handedOut.get(i);
      if (!g.isDestroyed()) {
        throw new AssertionError(
            "Gesture #" + (i + 1) + " (" + g.kind() + ") handed out by ScriptedGestures was not destroyed after use");
      }
    }
  }

  private AssertionError fail(String message) {
    AssertionError error = new AssertionError(message);
    failures.add(error);
    return error;
  }

  private static String describeRequest(GestureRequest r) {
    return r.kind() + " for " + r.purpose() + " of container " + r.container() + r.modality().map(m -> " (" + m + ")")
        .orElse("");
  }

  private static void requirePositive(int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
  }

  private interface Answer {
    Gesture answer(GestureRequest request) throws GestureCancelledException;

    String describe();
  }

  private final class PinAnswer implements Answer {
    private final char[] pin;

    PinAnswer(char[] pin) {
      this.pin = pin;
    }

    @Override
    public Gesture answer(GestureRequest request) {
      if (request.kind() != GestureKind.PIN) {
        throw fail("Scripted a PIN, but request #" + requests.size() + " asked for " + describeRequest(request));
      }
      return Pin.of(pin);
    }

    @Override
    public String describe() {
      return "a PIN";
    }
  }

  private final class BiometricAnswer implements Answer {
    private final BiometricModality modality;

    BiometricAnswer(BiometricModality modality) {
      this.modality = modality;
    }

    @Override
    public Gesture answer(GestureRequest request) throws GestureCancelledException {
      if (request.kind() != GestureKind.BIOMETRIC) {
        throw fail("Scripted a biometric, but request #" + requests.size() + " asked for " + describeRequest(request));
      }
      if (!request.modality().map(modality.id()::equals).orElse(false)) {
        throw fail("Scripted modality " + modality.id() + ", but request #" + requests.size() + " asked for "
            + describeRequest(request));
      }
      boolean enrol = request.purpose() == GesturePurpose.CREATE || request.purpose() == GesturePurpose.ADD_PROTECTOR;
      try {
        return enrol ? modality.enroll(request.user()) : modality.match(request.user());
      } catch (NgcException e) {
        if (!enrol && e.code() == ErrorCode.WRONG_GESTURE) {
          byte[] impostor = new byte[32];
          RANDOM.nextBytes(impostor);
          return BiometricMatch.of(modality.id(), impostor);
        }
        throw new GestureCancelledException(
            ErrorCode.GESTURE_CANCELLED, "The " + modality.id() + " prompt failed: " + e.detail(), e);
      }
    }

    @Override
    public String describe() {
      return "a biometric on " + modality.id();
    }
  }

  private static final class CancelAnswer implements Answer {
    @Override
    public Gesture answer(GestureRequest request) throws GestureCancelledException {
      throw new GestureCancelledException("The user cancelled the " + request.kind() + " prompt (scripted)");
    }

    @Override
    public String describe() {
      return "a cancellation";
    }
  }
}
