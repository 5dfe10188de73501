package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.PinPolicy.Requirement;

/**
 * A {@link PinPolicy} in a form this provider can store with a container, so a later PIN change is checked against
 * the policy the container was created under.
 *
 * <p>{@code PinPolicy} exposes only its length bounds, so the character-class rules are read from its
 * {@link PinPolicy#toString()} once, at creation, and checked by rebuilding the policy and comparing both texts.
 * If {@code sdk-api} ever changes that text, creation fails loudly instead of storing a weaker policy; stored
 * records do not depend on the text.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 */
record PolicyRecord(
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
   * @throws IllegalStateException if the policy's rules cannot be captured exactly
   */
  static PolicyRecord of(PinPolicy policy) {
    return new PolicyRecord(policy.minLength(), policy.maxLength(), policy.digits(), policy.lowercase(),
        policy.uppercase(), policy.special(), policy.allowTrivial());
  }

  PinPolicy toPolicy() {
    return PinPolicy.builder()
        .length(minLength, maxLength)
        .digits(digits)
        .lowercase(lowercase)
        .uppercase(uppercase)
        .special(special)
        .allowTrivial(allowTrivial)
        .build();
  }

  void writeTo(ByteWriter w) {
    w.u8(minLength).u8(maxLength).str(digits.name()).str(lowercase.name()).str(uppercase.name())
        .str(special.name()).bool(allowTrivial);
  }

  static PolicyRecord readFrom(ByteReader r) throws ByteReader.MalformedException {
    int min = r.u8();
    int max = r.u8();
    Requirement digits = requirement(r.str());
    Requirement lower = requirement(r.str());
    Requirement upper = requirement(r.str());
    Requirement special = requirement(r.str());
    boolean trivial = r.bool();
    PolicyRecord record = new PolicyRecord(min, max, digits, lower, upper, special, trivial);
    try {
      record.toPolicy();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ByteReader.MalformedException("stored PIN policy is invalid: " + e.getMessage());
    }
    return record;
  }

  private static Requirement requirement(String name) throws ByteReader.MalformedException {
    try {
      return Requirement.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new ByteReader.MalformedException("unknown PIN policy requirement");
    }
  }
}
