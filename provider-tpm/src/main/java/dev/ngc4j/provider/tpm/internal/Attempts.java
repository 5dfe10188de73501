package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.UserVerificationException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The provider's own attempt counter of one container ({@code attempts.ngc}) and the rules around it. The TPM's
 * dictionary-attack counter is global to the chip, does not reset on success and is usually not resettable by
 * this process; this counter is per container, resets on success, and locks the container before the TPM would
 * lock every key on the machine.
 *
 * <ul>
 *   <li>Before a gesture is sent to the TPM the counter is written as if it were wrong (so a crash or a killed
 *       process cannot save an attempt); a success writes it back to zero.
 *   <li>The failure that reaches {@code maxAttempts} locks the container until now + back-off; the n-th lockout
 *       since the last success lasts {@code base * 2^(n-1)}, capped at 24 hours. While locked nothing is asked;
 *       after it ends one attempt is allowed, and a failure locks again.
 * </ul>
 *
 * <p>Format (in a {@link FramedFile} {@value #MAGIC} version {@value #VERSION}): container id (a counter copied
 * from another container is refused), failures (u32), lockouts (u32), flag + lockout end.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param id the container
 * @param failures failures since the last success
 * @param lockouts lockouts since the last success
 * @param lockedUntil the end of the current or last lockout; {@code null} when not locked
 */
record Attempts(ContainerId id, int failures, int lockouts, @Nullable Instant lockedUntil) {
  static final String MAGIC = "NGC4JTPA";
  static final int VERSION = 1;

  Attempts {
    if (failures < 0 || lockouts < 0) {
      throw new IllegalArgumentException("negative count");
    }
  }

  static Attempts fresh(ContainerId id) {
    return new Attempts(id, 0, 0, null);
  }

  /** The rules, for one provider configuration. */
  static final class Policy {
    private final int maxAttempts;
    private final Duration base;

    Policy(int maxAttempts, Duration base) {
      this.maxAttempts = maxAttempts;
      this.base = base;
    }

    int maxAttempts() {
      return maxAttempts;
    }

    /**
     * Returns the attempts left for the next gesture.
     *
     * @throws UserVerificationException {@code LOCKED_OUT} while a lockout lasts
     */
    int remaining(Attempts a, Instant now, String what) throws UserVerificationException {
      Instant until = a.lockedUntil();
      if (until != null) {
        if (now.isBefore(until)) {
          throw UserVerificationException.lockedOut(what, until);
        }
        return 1;
      }
      return Math.max(1, maxAttempts - a.failures());
    }

    /** What to persist before a gesture is checked: the state if it turns out wrong. */
    Attempts afterFailure(Attempts a, Instant now) {
      int failures = Math.min(a.failures(), maxAttempts) + 1;
      if (a.lockedUntil() != null || failures >= maxAttempts) {
        int lockouts = a.lockouts() == Integer.MAX_VALUE ? a.lockouts() : a.lockouts() + 1;
        return new Attempts(a.id(), failures, lockouts, now.plus(backoff(lockouts)));
      }
      return new Attempts(a.id(), failures, a.lockouts(), null);
    }

    /** The exception for a wrong gesture whose failure state was persisted. */
    UserVerificationException wrong(Attempts failed, String what) {
      Instant until = failed.lockedUntil();
      return until != null
          ? UserVerificationException.lockedOut(what, until)
          : UserVerificationException.wrongGesture(what, Math.max(1, maxAttempts - failed.failures()));
    }

    LockoutState state(Attempts a, Instant now) {
      Instant until = a.lockedUntil();
      if (until != null) {
        return now.isBefore(until)
            ? new LockoutState(0, maxAttempts, Optional.of(until), true)
            : new LockoutState(1, maxAttempts, Optional.empty(), false);
      }
      return new LockoutState(
          Math.max(1, Math.min(maxAttempts, maxAttempts - a.failures())), maxAttempts, Optional.empty(), false);
    }

    Duration backoff(int lockoutNumber) {
      Duration d = base;
      for (int i = 1; i < lockoutNumber && d.compareTo(TpmSettings.LOCKOUT_CAP) < 0; i++) {
        d = d.multipliedBy(2);
      }
      return d.compareTo(TpmSettings.LOCKOUT_CAP) > 0 ? TpmSettings.LOCKOUT_CAP : d;
    }
  }

  byte[] encode() {
    Codec.Writer w = new Codec.Writer().str(id.value()).u32(failures).u32(lockouts);
    Instant until = lockedUntil;
    if (until == null) {
      w.bool(false);
    } else {
      w.bool(true).instant(until);
    }
    return FramedFile.frame(MAGIC, VERSION, w.toByteArray());
  }

  static Attempts decode(Path file, byte[] data, ContainerId expected) throws dev.ngc4j.api.ContainerCorruptedException {
    Codec.Reader r = new Codec.Reader(FramedFile.unframe(file, data, MAGIC, VERSION));
    try {
      if (!expected.value().equals(r.str())) {
        throw new Codec.MalformedException("it belongs to another container");
      }
      int failures = r.u32();
      int lockouts = r.u32();
      if (failures < 0 || lockouts < 0) {
        throw new Codec.MalformedException("negative count");
      }
      @Nullable Instant until = r.bool() ? r.instant() : null;
      r.end();
      return new Attempts(expected, failures, lockouts, until);
    } catch (Codec.MalformedException e) {
      throw FramedFile.corrupted(file, e.reason());
    }
  }
}
