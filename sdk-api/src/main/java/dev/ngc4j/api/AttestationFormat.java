package dev.ngc4j.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The format of an attestation statement. An open set: constants for the known formats, {@link #of(String)} for
 * others.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class AttestationFormat {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,31}");

  /** TPM 2.0: an AK certificate chain plus a TPM2_Certify of the key ({@code TPMS_ATTEST} and signature). */
  public static final AttestationFormat TPM = new AttestationFormat("tpm");

  private final String id;

  private AttestationFormat(String id) {
    this.id = id;
  }

  /**
   * Returns the format with the given id.
   *
   * @param id lower-case id, 1 to 32 characters
   * @return the format
   * @since 0.1.0
   */
  public static AttestationFormat of(String id) {
    Objects.requireNonNull(id, "id");
    if (TPM.id.equals(id)) {
      return TPM;
    }
    if (!VALID.matcher(id).matches()) {
      throw new IllegalArgumentException("attestation format id must match " + VALID.pattern());
    }
    return new AttestationFormat(id);
  }

  /**
   * Returns the id.
   *
   * @return the format id
   * @since 0.1.0
   */
  public String id() {
    return id;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    return o instanceof AttestationFormat other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }
}
