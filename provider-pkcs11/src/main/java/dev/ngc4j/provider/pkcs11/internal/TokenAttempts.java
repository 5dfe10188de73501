package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKF_USER_PIN_LOCKED;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.Gesture;
import dev.ngc4j.api.GestureRequest;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PolicyException;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.ContainerDirectory;
import dev.ngc4j.provider.support.ContainerLocks;
import dev.ngc4j.provider.support.GestureChecks;
import dev.ngc4j.provider.support.LockoutPolicy;
import dev.ngc4j.provider.support.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's own attempt counter for one token's user PIN, and the check of a PIN against the token.
 *
 * <p>The counter is per token (one PIN opens every container on it), kept in
 * {@code dataDirectory/tokens/<serial>/attempts.ngc} as provider-support's {@link AttemptCounter} (magic
 * {@value #MAGIC}) under {@link LockoutPolicy}'s rules: written as failed before the token sees the PIN, reset on
 * success. A counter file appears at a token's first use; a damaged one fails closed.
 *
 * <p>Thread safety: safe for concurrent use; checks of one token are serialised by a JVM-wide lock on its counter
 * file, prompts included.
 */
final class TokenAttempts {
  static final String MAGIC = "NGC4JP1A";
  private static final Logger log = LoggerFactory.getLogger(TokenAttempts.class);

  private final SharedToken token;
  private final Path file;
  private final ContainerId counterId;
  private final LockoutPolicy policy;
  private final Clock clock;

  TokenAttempts(SharedToken token, Path dataDirectory, LockoutPolicy policy, Clock clock) {
    this.token = token;
    String dir = safeName(token.serial());
    this.file = dataDirectory.resolve("tokens").resolve(dir).resolve(ContainerDirectory.ATTEMPTS_FILE);
    this.counterId = ContainerId.of("token-" + dir);
    this.policy = policy;
    this.clock = clock;
  }

  /** A file-name-safe form of a serial: itself if alphanumeric, else SHA-256 hex (32 chars). */
  static String safeName(String serial) {
    if (!serial.isEmpty() && serial.length() <= 32 && serial.chars().allMatch(c -> c < 128
        && Character.isLetterOrDigit(c))) {
      return serial;
    }
    return HexFormat.of().formatHex(
        Arrays.copyOf(dev.ngc4j.provider.support.FramedFile.sha256(serial.getBytes(StandardCharsets.UTF_8)), 16));
  }

  LockoutPolicy policy() {
    return policy;
  }

  /** The lockout state to report: the provider's counter, or locked when the token has blocked its PIN. */
  LockoutState state() throws NgcException {
    LockoutState state = policy.state(read(), clock.instant());
    long flags = token.flags();
    if ((flags & CKF_USER_PIN_LOCKED) != 0) {
      return new LockoutState(0, policy.maxAttempts(), Optional.empty(), true);
    }
    int left = SharedToken.attemptsAllowedByFlags(flags, state.attemptsRemaining());
    return state.lockedOut() ? state
        : new LockoutState(left, state.maxAttempts(), state.lockedUntil(), false);
  }

  /** A checked PIN: the gesture (for later use, such as C_SetPIN) and the login hold; close both. */
  static final class Verified implements AutoCloseable {
    final Pin pin;
    final LoginHold hold;

    Verified(Pin pin, LoginHold hold) {
      this.pin = pin;
      this.hold = hold;
    }

    @Override
    public void close() {
      pin.destroy();
      hold.close();
    }
  }

  /**
   * Asks for the token PIN and checks it: not while locked (provider or token), counted before the token sees it,
   * the length refused before the check without counting.
   *
   * @param what the container in messages
   * @param requestFor the request to send, given the attempts remaining
   * @param gestures the source
   * @param beforeCheck runs after the PIN was taken and fits, before it is counted (a policy check)
   * @return the PIN and the login hold
   */
  @SuppressWarnings("try") // the lock is held for the block
  Verified verify(String what, IntFunction<GestureRequest> requestFor, GesturePrecheck beforeCheck,
      dev.ngc4j.spi.GestureSource gestures) throws NgcException {
    try (ContainerLocks.Held held = ContainerLocks.lock(file)) {
      AttemptCounter before = read();
      int remaining = policy.attemptsRemaining(before, clock.instant(), what);
      long flags = token.flags();
      if ((flags & CKF_USER_PIN_LOCKED) != 0) {
        throw UserVerificationException.pinBlocked("token " + token.describe());
      }
      remaining = Math.max(1, SharedToken.attemptsAllowedByFlags(flags, remaining));
      GestureRequest request = requestFor.apply(remaining);
      Gesture gesture = gestures.provide(request);
      boolean handedOver = false;
      try {
        GestureChecks.requireFits(gesture, request);
        Pin pin = (Pin) gesture;
        beforeCheck.check(pin);
        checkLength(pin);
        AttemptCounter failed = policy.afterFailure(before, clock.instant());
        write(failed);
        char[] chars = pin.copyChars();
        SharedToken.LoginResult result;
        try {
          result = token.login(chars);
        } finally {
          Arrays.fill(chars, '\0');
        }
        switch (result.outcome()) {
          case ACCEPTED -> {
            LoginHold hold = result.hold().orElseThrow();
            try {
              write(AttemptCounter.fresh(counterId));
            } catch (NgcException | RuntimeException e) {
              hold.close();
              throw e;
            }
            handedOver = true;
            return new Verified(pin, hold);
          }
          case WRONG_PIN -> {
            log.debug("wrong PIN for token {}", token.describe());
            throw policy.failure(failed, what);
          }
          case PIN_BLOCKED -> {
            write(before);
            throw UserVerificationException.pinBlocked("token " + token.describe());
          }
          case PIN_MALFORMED -> {
            write(before);
            throw lengthError();
          }
          default -> throw Ckr.removed(token.describe(), "checking the PIN", null);
        }
      } finally {
        if (!handedOver) {
          gesture.destroy();
        }
      }
    }
  }

  /** A check of the offered PIN before it is counted. */
  @FunctionalInterface
  interface GesturePrecheck {
    void check(Pin pin) throws NgcException;
  }

  /** Refuses a PIN outside the token's length range, before C_Login and without counting. */
  void checkLength(Pin pin) throws PolicyException {
    long[] range = token.pinLengthRange();
    char[] chars = pin.copyChars();
    int n;
    try {
      byte[] bytes = PinVerifier.utf8(chars);
      n = bytes.length;
      Arrays.fill(bytes, (byte) 0);
    } finally {
      Arrays.fill(chars, '\0');
    }
    if ((range[0] > 0 && n < range[0]) || (range[1] > 0 && n > range[1])) {
      throw lengthError();
    }
  }

  private PolicyException lengthError() {
    long[] range = token.pinLengthRange();
    return new PolicyException(ErrorCode.PIN_POLICY_VIOLATION,
        "The PIN's length is outside what token " + token.describe() + " accepts (" + range[0] + " to " + range[1]
            + " bytes); it was not sent to the token and not counted",
        "enter the token's user PIN", null);
  }

  AttemptCounter read() throws NgcException {
    try {
      Optional<byte[]> data = OwnerOnlyFiles.readIfExists(file, AttemptCounter.MAX_FILE_LENGTH);
      if (data.isEmpty()) {
        return AttemptCounter.fresh(counterId);
      }
      return AttemptCounter.decode(file, data.get(), MAGIC, counterId);
    } catch (IOException e) {
      throw ContainerDirectory.storageFailure("The PKCS#11 provider cannot read " + file, e);
    }
  }

  void write(AttemptCounter counter) throws NgcException {
    try {
      OwnerOnlyFiles.createDirectories(Objects.requireNonNull(file.getParent(), "parent"));
      OwnerOnlyFiles.writeAtomically(file, counter.encode(MAGIC));
    } catch (IOException e) {
      throw ContainerDirectory.storageFailure("The PKCS#11 provider cannot write " + file, e);
    }
  }
}
