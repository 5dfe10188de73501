package dev.ngc4j.testkit;

import dev.ngc4j.api.BiometricMatch;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.spi.BiometricModality;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link BiometricModality}: enrolment makes a random 32-byte secret per user, a match releases it.
 * A test can make the next matches fail, which gives an {@link NgcException} with
 * {@link ErrorCode#WRONG_GESTURE}, the way a sensor reports a sample that does not match.
 *
 * <p>Enrolling a user who is already enrolled returns the existing secret, so several containers of one user can
 * share the enrolment; {@link #forget(UserPrincipal)} drops it, after which the next enrolment makes a new
 * secret.
 *
 * <p>Thread safety: safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class TestBiometricModality implements BiometricModality {
  private static final int SECRET_LENGTH = 32;

  private final String id;
  private final SecureRandom random = new SecureRandom();
  private final Map<UserPrincipal, byte[]> secrets = new ConcurrentHashMap<>();
  private final AtomicInteger failuresToInject = new AtomicInteger();
  private final AtomicInteger enrolments = new AtomicInteger();
  private final AtomicInteger matches = new AtomicInteger();

  private TestBiometricModality(String id) {
    this.id = id;
  }

  /**
   * Returns a modality with the given id.
   *
   * @param id the modality id, such as {@code fingerprint}
   * @return a new modality with nobody enrolled
   * @since 0.1.0
   */
  public static TestBiometricModality withId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a modality id must not be empty");
    }
    return new TestBiometricModality(id);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public BiometricMatch enroll(UserPrincipal user) throws NgcException {
    Objects.requireNonNull(user, "user");
    enrolments.incrementAndGet();
    byte[] secret = secrets.computeIfAbsent(user, u -> newSecret());
    return BiometricMatch.of(id, secret);
  }

  @Override
  public BiometricMatch match(UserPrincipal user) throws NgcException {
    Objects.requireNonNull(user, "user");
    matches.incrementAndGet();
    if (failuresToInject.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw new NgcException(ErrorCode.WRONG_GESTURE, "The " + id + " sample did not match (injected by the test)");
    }
    byte[] secret = secrets.get(user);
    if (secret == null) {
      throw new NgcException(ErrorCode.WRONG_GESTURE, "Nobody is enrolled for " + user + " on " + id);
    }
    return BiometricMatch.of(id, secret);
  }

  /**
   * Makes the next match fail with {@link ErrorCode#WRONG_GESTURE}.
   *
   * @return this modality
   * @since 0.1.0
   */
  public TestBiometricModality failNextMatch() {
    return failNextMatches(1);
  }

  /**
   * Makes the next {@code count} matches fail with {@link ErrorCode#WRONG_GESTURE}.
   *
   * @param count how many matches fail, at least 1
   * @return this modality
   * @since 0.1.0
   */
  public TestBiometricModality failNextMatches(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    failuresToInject.addAndGet(count);
    return this;
  }

  /**
   * Drops the user's enrolment and zero-fills its secret.
   *
   * @param user the user
   * @return true if the user was enrolled
   * @since 0.1.0
   */
  public boolean forget(UserPrincipal user) {
    byte[] secret = secrets.remove(Objects.requireNonNull(user, "user"));
    if (secret == null) {
      return false;
    }
    Arrays.fill(secret, (byte) 0);
    return true;
  }

  /**
   * Returns whether the user is enrolled.
   *
   * @param user the user
   * @return true after {@link #enroll} and before {@link #forget}
   * @since 0.1.0
   */
  public boolean isEnrolled(UserPrincipal user) {
    return secrets.containsKey(Objects.requireNonNull(user, "user"));
  }

  /**
   * Returns how often {@link #enroll} was called.
   *
   * @return the number of enrolments
   * @since 0.1.0
   */
  public int enrolmentCount() {
    return enrolments.get();
  }

  /**
   * Returns how often {@link #match} was called, failed matches included.
   *
   * @return the number of matches
   * @since 0.1.0
   */
  public int matchCount() {
    return matches.get();
  }

  private byte[] newSecret() {
    byte[] secret = new byte[SECRET_LENGTH];
    random.nextBytes(secret);
    return secret;
  }

  @Override
  public String toString() {
    return "TestBiometricModality[" + id + ", " + secrets.size() + " enrolled]";
  }
}
