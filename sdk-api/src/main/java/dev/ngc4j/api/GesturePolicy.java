package dev.ngc4j.api;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The gesture kinds an administrator allows for opening credentials.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param allowed the allowed kinds, never empty
 * @since 0.1.0
 */
public record GesturePolicy(Set<GestureKind> allowed) {
  /**
   * Validates and copies the set.
   *
   * @param allowed the allowed kinds
   * @throws IllegalArgumentException if the set is empty
   */
  public GesturePolicy {
    Objects.requireNonNull(allowed, "allowed");
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("a gesture policy must allow at least one gesture kind");
    }
    allowed = Set.copyOf(EnumSet.copyOf(allowed));
  }

  /**
   * Allows every gesture kind.
   *
   * @return the permissive policy
   * @since 0.1.0
   */
  public static GesturePolicy allowAll() {
    return new GesturePolicy(EnumSet.allOf(GestureKind.class));
  }

  /**
   * Allows the given kinds only.
   *
   * @param first a kind
   * @param rest more kinds
   * @return the policy
   * @since 0.1.0
   */
  public static GesturePolicy only(GestureKind first, GestureKind... rest) {
    return new GesturePolicy(EnumSet.of(first, rest));
  }

  /**
   * Checks one kind.
   *
   * @param kind the kind offered
   * @throws PolicyException with {@link ErrorCode#GESTURE_NOT_ALLOWED} when the kind is not allowed
   * @since 0.1.0
   */
  public void check(GestureKind kind) throws PolicyException {
    if (!allowed.contains(Objects.requireNonNull(kind, "kind"))) {
      throw new PolicyException(
          ErrorCode.GESTURE_NOT_ALLOWED,
          "The gesture policy does not allow " + kind + " (allowed: " + allowed + ")",
          "use one of " + allowed + ", or ask the administrator to change the gesture policy",
          null);
    }
  }
}
