package dev.ngc4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The administrator's rules for a new PIN: length bounds, required and forbidden character classes, and a ban on
 * trivial PINs (all one digit, or a run such as 123456).
 *
 * <p>Thread safety: immutable and safe for concurrent use; the builder is not.
 *
 * @since 0.1.0
 */
public final class PinPolicy {
  /**
   * Whether a character class is required, allowed or forbidden in a PIN.
   *
   * <p>Thread safety: immutable and safe for concurrent use.
   *
   * @since 0.1.0
   */
  public enum Requirement {
    /** At least one such character must appear. */
    REQUIRED,
    /** Such characters may appear. */
    ALLOWED,
    /** No such character may appear. */
    FORBIDDEN
  }

  private final int minLength;
  private final int maxLength;
  private final Requirement digits;
  private final Requirement lowercase;
  private final Requirement uppercase;
  private final Requirement special;
  private final boolean allowTrivial;

  private PinPolicy(Builder b) {
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.digits = b.digits;
    this.lowercase = b.lowercase;
    this.uppercase = b.uppercase;
    this.special = b.special;
    this.allowTrivial = b.allowTrivial;
  }

  /**
   * Returns the default: 6 to 127 characters, digits required, letters and symbols allowed, no trivial PINs.
   *
   * @return the default policy
   * @since 0.1.0
   */
  public static PinPolicy defaults() {
    return builder().build();
  }

  /**
   * Returns a builder starting from {@link #defaults()}.
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lists every rule the PIN breaks, in words that can be shown to the user (never containing the PIN).
   *
   * @param pin the candidate PIN; not modified and not retained
   * @return the broken rules, empty when the PIN is acceptable
   * @since 0.1.0
   */
  public List<String> violations(char[] pin) {
    Objects.requireNonNull(pin, "pin");
    List<String> out = new ArrayList<>();
    if (pin.length < minLength) {
      out.add("at least " + minLength + " characters");
    }
    if (pin.length > maxLength) {
      out.add("at most " + maxLength + " characters");
    }
    boolean hasDigit = false;
    boolean hasLower = false;
    boolean hasUpper = false;
    boolean hasSpecial = false;
    for (char c : pin) {
      if (c >= '0' && c <= '9') {
        hasDigit = true;
      } else if (Character.isLowerCase(c)) {
        hasLower = true;
      } else if (Character.isUpperCase(c)) {
        hasUpper = true;
      } else {
        hasSpecial = true;
      }
      if (Character.isISOControl(c)) {
        out.add("no control characters");
        break;
      }
    }
    check(out, "digits", digits, hasDigit);
    check(out, "lower-case letters", lowercase, hasLower);
    check(out, "upper-case letters", uppercase, hasUpper);
    check(out, "special characters", special, hasSpecial);
    if (!allowTrivial && pin.length > 1 && isTrivial(pin)) {
      out.add("not all one repeated character, and not a plain ascending or descending run");
    }
    return out;
  }

  /**
   * Checks a new PIN.
   *
   * @param pin the candidate PIN; not modified and not retained
   * @throws PolicyException with {@link ErrorCode#PIN_POLICY_VIOLATION} listing every broken rule
   * @since 0.1.0
   */
  public void check(char[] pin) throws PolicyException {
    List<String> v = violations(pin);
    if (!v.isEmpty()) {
      throw new PolicyException(
          ErrorCode.PIN_POLICY_VIOLATION,
          "The new PIN breaks the PIN policy: it needs " + String.join("; ", v),
          "choose a PIN with " + String.join("; ", v),
          null);
    }
  }

  private static void check(List<String> out, String what, Requirement r, boolean present) {
    if (r == Requirement.REQUIRED && !present) {
      out.add("one or more " + what);
    } else if (r == Requirement.FORBIDDEN && present) {
      out.add("no " + what);
    }
  }

  private static boolean isTrivial(char[] pin) {
    boolean same = true;
    boolean up = true;
    boolean down = true;
    for (int i = 1; i < pin.length; i++) {
      int d = pin[i] - pin[i - 1];
      same &= d == 0;
      up &= d == 1;
      down &= d == -1;
    }
    return same || up || down;
  }

  /**
   * Returns the minimum length.
   *
   * @return minimum number of characters
   * @since 0.1.0
   */
  public int minLength() {
    return minLength;
  }

  /**
   * Returns the maximum length.
   *
   * @return maximum number of characters
   * @since 0.1.0
   */
  public int maxLength() {
    return maxLength;
  }

  /**
   * Returns the rule for digits.
   *
   * @return the rule
   * @since 0.1.0
   */
  public Requirement digits() {
    return digits;
  }

  /**
   * Returns the rule for lower-case letters.
   *
   * @return the rule
   * @since 0.1.0
   */
  public Requirement lowercase() {
    return lowercase;
  }

  /**
   * Returns the rule for upper-case letters.
   *
   * @return the rule
   * @since 0.1.0
   */
  public Requirement uppercase() {
    return uppercase;
  }

  /**
   * Returns the rule for characters that are neither digits nor letters.
   *
   * @return the rule
   * @since 0.1.0
   */
  public Requirement special() {
    return special;
  }

  /**
   * Returns whether trivial PINs (one repeated character, a plain run) are allowed.
   *
   * @return true when allowed
   * @since 0.1.0
   */
  public boolean allowTrivial() {
    return allowTrivial;
  }

  @Override
  public String toString() {
    return "PinPolicy[length " + minLength + ".." + maxLength + ", digits " + digits + ", lower " + lowercase
        + ", upper " + uppercase + ", special " + special + ", trivial " + (allowTrivial ? "allowed" : "refused")
        + "]";
  }

  /**
   * Builds a {@link PinPolicy}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private int minLength = 6;
    private int maxLength = 127;
    private Requirement digits = Requirement.REQUIRED;
    private Requirement lowercase = Requirement.ALLOWED;
    private Requirement uppercase = Requirement.ALLOWED;
    private Requirement special = Requirement.ALLOWED;
    private boolean allowTrivial;

    private Builder() {}

    /**
     * Sets the length bounds. Default 6 to 127.
     *
     * @param min minimum, at least 4
     * @param max maximum, at least {@code min} and at most 127
     * @return this builder
     * @since 0.1.0
     */
    public Builder length(int min, int max) {
      if (min < 4 || max < min || max > 127) {
        throw new IllegalArgumentException("PIN length bounds must satisfy 4 <= min <= max <= 127");
      }
      this.minLength = min;
      this.maxLength = max;
      return this;
    }

    /**
     * Sets the digit rule. Default {@link Requirement#REQUIRED}.
     *
     * @param r the rule
     * @return this builder
     * @since 0.1.0
     */
    public Builder digits(Requirement r) {
      this.digits = Objects.requireNonNull(r, "r");
      return this;
    }

    /**
     * Sets the lower-case letter rule. Default {@link Requirement#ALLOWED}.
     *
     * @param r the rule
     * @return this builder
     * @since 0.1.0
     */
    public Builder lowercase(Requirement r) {
      this.lowercase = Objects.requireNonNull(r, "r");
      return this;
    }

    /**
     * Sets the upper-case letter rule. Default {@link Requirement#ALLOWED}.
     *
     * @param r the rule
     * @return this builder
     * @since 0.1.0
     */
    public Builder uppercase(Requirement r) {
      this.uppercase = Objects.requireNonNull(r, "r");
      return this;
    }

    /**
     * Sets the rule for everything that is not a digit or a letter. Default {@link Requirement#ALLOWED}.
     *
     * @param r the rule
     * @return this builder
     * @since 0.1.0
     */
    public Builder special(Requirement r) {
      this.special = Objects.requireNonNull(r, "r");
      return this;
    }

    /**
     * Allows trivial PINs (all one character, or a run). Default: refused.
     *
     * @param allow whether to allow them
     * @return this builder
     * @since 0.1.0
     */
    public Builder allowTrivial(boolean allow) {
      this.allowTrivial = allow;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalStateException if the digit rule forbids digits while no other class is allowed
     * @since 0.1.0
     */
    public PinPolicy build() {
      if (digits == Requirement.FORBIDDEN && lowercase == Requirement.FORBIDDEN
          && uppercase == Requirement.FORBIDDEN && special == Requirement.FORBIDDEN) {
        throw new IllegalStateException("a PIN policy must allow at least one character class");
      }
      return new PinPolicy(this);
    }
  }
}
