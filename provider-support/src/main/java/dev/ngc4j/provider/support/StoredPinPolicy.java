package dev.ngc4j.provider.support;

import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PinPolicy.Requirement;

/**
 * A {@link PinPolicy} in the form a container record stores it, so a later PIN change is checked against the policy
 * the container was created under:
 *
 * <pre>
 * u8 min length, u8 max length, str digits, str lowercase, str uppercase, str special, u8 trivial allowed
 * </pre>
 *
 * <p>(The requirements are stored by their enum names.)
 *
 * <p>Internal: not API.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param minLength the shortest PIN
 * @param maxLength the longest PIN
 * @param digits the digit rule
 * @param lowercase the lowercase rule
 * @param uppercase the uppercase rule
 * @param special the special-character rule
 * @param allowTrivial whether trivial PINs (sequences, repeats) are allowed
 */
public record StoredPinPolicy(
    int minLength,
    int maxLength,
    Requirement digits,
    Requirement lowercase,
    Requirement uppercase,
    Requirement special,
    boolean allowTrivial) {
  /**
   * Captures a policy.
   *
   * @param policy the policy
   * @return its stored form
   */
  public static StoredPinPolicy of(PinPolicy policy) {
    return new StoredPinPolicy(policy.minLength(), policy.maxLength(), policy.digits(), policy.lowercase(),
        policy.uppercase(), policy.special(), policy.allowTrivial());
  }

  /**
   * Rebuilds the policy.
   *
   * @return the policy
   * @throws IllegalArgumentException if the rules do not make a valid policy
   */
  public PinPolicy toPolicy() {
    return PinPolicy.builder()
        .length(minLength, maxLength)
        .digits(digits)
        .lowercase(lowercase)
        .uppercase(uppercase)
        .special(special)
        .allowTrivial(allowTrivial)
        .build();
  }

  /**
   * Appends the stored form.
   *
   * @param w the writer
   */
  public void writeTo(ByteWriter w) {
    w.u8(minLength).u8(maxLength).str(digits.name()).str(lowercase.name()).str(uppercase.name())
        .str(special.name()).bool(allowTrivial);
  }

  /**
   * Reads a stored policy and checks it makes a valid {@link PinPolicy}.
   *
   * @param r the reader
   * @return the policy
   * @throws ByteReader.MalformedException if it is truncated, names an unknown rule or is invalid
   */
  public static StoredPinPolicy readFrom(ByteReader r) throws ByteReader.MalformedException {
    int min = r.u8();
    int max = r.u8();
    Requirement digits = requirement(r.str());
    Requirement lower = requirement(r.str());
    Requirement upper = requirement(r.str());
    Requirement special = requirement(r.str());
    boolean trivial = r.bool();
    StoredPinPolicy stored = new StoredPinPolicy(min, max, digits, lower, upper, special, trivial);
    try {
      stored.toPolicy();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ByteReader.MalformedException("stored PIN policy is invalid: " + e.getMessage());
    }
    return stored;
  }

  private static Requirement requirement(String name) throws ByteReader.MalformedException {
    try {
      return Requirement.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("unknown PIN policy requirement");
    }
  }
}
