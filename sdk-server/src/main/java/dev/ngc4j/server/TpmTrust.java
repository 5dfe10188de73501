package dev.ngc4j.server;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the service trusts about TPMs: the TPM makers' EK root certificates (and intermediates), which
 * manufacturers are accepted, and the validity of the AIK certificates it issues. Given to
 * {@link NgcService.Builder#tpmTrust}, it enables AIK enrollment ({@code POST /EnrollmentServer/aik/challenge} and
 * {@code /aik/certificate}) and, unless the application registered its own hook, TPM attestation checks on key
 * registration.
 *
 * <p>EK certificates are checked with PKIX (revocation off) against {@link #ekRoots()} with
 * {@link #ekIntermediates()} as candidate intermediates. The manufacturer allow-list compares the
 * {@code 2.23.133.2.1} value of the EK certificate's subject alternative name, such as {@code id:49424D00} (TCG
 * vendor id of IBM); an empty list accepts every manufacturer whose EK chains to a root. swtpm writes
 * {@code id:00001014}, which is not a TCG vendor id: test set-ups that use swtpm list it or leave the list empty.
 *
 * <p>Thread safety: immutable and safe for concurrent use; {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class TpmTrust {
  private static final Pattern MANUFACTURER = Pattern.compile("[iI][dD]:[0-9A-Fa-f]{8}");

  private final List<X509Certificate> ekRoots;
  private final List<X509Certificate> ekIntermediates;
  private final Set<String> allowedManufacturers;
  private final Duration aikCertificateValidity;
  private final Duration clockSkew;
  private final Duration challengeLifetime;

  private TpmTrust(Builder b) {
    this.ekRoots = List.copyOf(b.ekRoots);
    this.ekIntermediates = List.copyOf(b.ekIntermediates);
    this.allowedManufacturers = Set.copyOf(b.allowedManufacturers);
    this.aikCertificateValidity = b.aikCertificateValidity;
    this.clockSkew = b.clockSkew;
    this.challengeLifetime = b.challengeLifetime;
  }

  /**
   * Starts building a trust configuration.
   *
   * @return a builder with the documented defaults
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the TPM makers' EK root certificates.
   *
   * @return the roots, not empty
   * @since 0.1.0
   */
  public List<X509Certificate> ekRoots() {
    return ekRoots;
  }

  /**
   * Returns the EK intermediate certificates offered to path building.
   *
   * @return the intermediates, possibly empty
   * @since 0.1.0
   */
  public List<X509Certificate> ekIntermediates() {
    return ekIntermediates;
  }

  /**
   * Returns the accepted manufacturer ids in upper case ({@code ID:49424D00}); empty accepts all.
   *
   * @return the ids
   * @since 0.1.0
   */
  public Set<String> allowedManufacturers() {
    return allowedManufacturers;
  }

  /**
   * Returns the validity of issued AIK certificates.
   *
   * @return the validity
   * @since 0.1.0
   */
  public Duration aikCertificateValidity() {
    return aikCertificateValidity;
  }

  /**
   * Returns the clock skew allowed on certificate validity and on the request's {@code iat}/{@code exp}.
   *
   * @return the skew
   * @since 0.1.0
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * Returns how long an AIK enrollment challenge can be answered.
   *
   * @return the lifetime
   * @since 0.1.0
   */
  public Duration challengeLifetime() {
    return challengeLifetime;
  }

  /**
   * Builds a {@link TpmTrust}.
   *
   * <p>Thread safety: not safe for concurrent use.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<X509Certificate> ekRoots = new ArrayList<>();
    private final List<X509Certificate> ekIntermediates = new ArrayList<>();
    private final Set<String> allowedManufacturers = new LinkedHashSet<>();
    private Duration aikCertificateValidity = Duration.ofDays(3650);
    private Duration clockSkew = Duration.ofMinutes(5);
    private Duration challengeLifetime = Duration.ofMinutes(5);

    private Builder() {}

    /**
     * Adds TPM makers' EK root certificates (trust anchors for EK certificates). At least one is required.
     *
     * @param roots the root certificates
     * @return this builder
     * @since 0.1.0
     */
    public Builder ekRoots(Collection<X509Certificate> roots) {
      for (X509Certificate root : Objects.requireNonNull(roots, "roots")) {
        ekRoots.add(Objects.requireNonNull(root, "root"));
      }
      return this;
    }

    /**
     * Adds EK intermediate CA certificates (offered to path building; not trusted by themselves).
     *
     * @param intermediates the certificates
     * @return this builder
     * @since 0.1.0
     */
    public Builder ekIntermediates(Collection<X509Certificate> intermediates) {
      for (X509Certificate c : Objects.requireNonNull(intermediates, "intermediates")) {
        ekIntermediates.add(Objects.requireNonNull(c, "intermediate"));
      }
      return this;
    }

    /**
     * Adds accepted TPM manufacturer ids ({@code id:} and 8 hex digits, any case, as in 2.23.133.2.1). Default
     * none: every manufacturer whose EK certificate chains to a root is accepted.
     *
     * @param ids the ids, such as {@code id:49424D00}
     * @return this builder
     * @throws IllegalArgumentException if an id is not of that form
     * @since 0.1.0
     */
    public Builder allowedManufacturers(Collection<String> ids) {
      for (String id : Objects.requireNonNull(ids, "ids")) {
        if (!MANUFACTURER.matcher(Objects.requireNonNull(id, "id")).matches()) {
          throw new IllegalArgumentException("a TPM manufacturer id is 'id:' and 8 hex digits, such as id:49424D00");
        }
        allowedManufacturers.add(id.toUpperCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Sets the validity of issued AIK certificates. Default 10 years.
     *
     * @param validity 1 hour to 30 years
     * @return this builder
     * @since 0.1.0
     */
    public Builder aikCertificateValidity(Duration validity) {
      this.aikCertificateValidity =
          within(validity, Duration.ofHours(1), Duration.ofDays(365L * 30), "AIK certificate validity");
      return this;
    }

    /**
     * Sets the allowed clock skew. Default 5 minutes.
     *
     * @param skew 0 to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder clockSkew(Duration skew) {
      this.clockSkew = within(skew, Duration.ZERO, Duration.ofHours(1), "clock skew");
      return this;
    }

    /**
     * Sets how long an AIK enrollment challenge can be answered. Default 5 minutes.
     *
     * @param lifetime 10 seconds to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder challengeLifetime(Duration lifetime) {
      this.challengeLifetime = within(lifetime, Duration.ofSeconds(10), Duration.ofHours(1), "challenge lifetime");
      return this;
    }

    private static Duration within(Duration value, Duration min, Duration max, String what) {
      Objects.requireNonNull(value, what);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " must be between " + min + " and " + max);
      }
      return value;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if no EK root was given
     * @since 0.1.0
     */
    public TpmTrust build() {
      if (ekRoots.isEmpty()) {
        throw new IllegalStateException("add at least one TPM maker's EK root certificate");
      }
      return new TpmTrust(this);
    }
  }
}
