package dev.ngc4j.core.kerberos;

import dev.ngc4j.core.internal.krb.pkinit.CrlSource;
import dev.ngc4j.core.internal.krb.pkinit.KdcCertificateValidator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link PkinitClient} validates the KDC's certificate. Every check is on by default and fails closed:
 *
 * <ul>
 *   <li>a PKIX path from the certificate to one of {@link Builder#trustAnchors(List) the trust anchors};
 *   <li>validity of every certificate in the path, allowing {@link Builder#clockSkew(Duration) the clock skew};
 *   <li>revocation by CRL: configured CRLs and CRLs fetched over HTTP from the certificates' distribution points;
 *       when no CRL can be obtained the status is unknown and the certificate is refused
 *       ({@link Revocation#REQUIRE}, the default);
 *   <li>the KDC EKU {@code id-pkinit-KPKdc} (1.3.6.1.5.2.3.5), always, and keyUsage digitalSignature when the
 *       certificate has a keyUsage extension;
 *   <li>the KDC's name: an {@code id-pkinit-san} of {@code krbtgt/REALM@REALM} (RFC 4556), or one of
 *       {@link Builder#kdcDnsNames(String...) the configured DNS names} (Active Directory issues DC certificates
 *       with the domain's DNS name and no id-pkinit-san; MS-PKCA 3.1.5.1 "strict KDC validation").
 * </ul>
 *
 * <pre>{@code
 * KdcValidation validation = KdcValidation.builder()
 *     .trustAnchors(List.of(enterpriseRoot))
 *     .kdcDnsNames("contoso.com")
 *     .build();
 * }</pre>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
public final class KdcValidation {
  /** How the revocation status of the KDC certificate's path is established. */
  public enum Revocation {
    /** A CRL must cover every certificate of the path; an unknown status refuses the KDC (default). */
    REQUIRE,
    /** A revoked certificate refuses the KDC; when no CRL can be obtained the KDC is accepted. */
    BEST_EFFORT,
    /** No revocation check. Only for closed test networks. */
    DISABLED
  }

  private final List<X509Certificate> trustAnchors;
  private final Set<String> kdcDnsNames;
  private final Revocation revocation;
  private final List<X509CRL> crls;
  private final boolean fetchCrls;
  private final Duration crlFetchTimeout;
  private final Duration clockSkew;

  private KdcValidation(Builder builder) {
    this.trustAnchors = List.copyOf(builder.trustAnchors);
    this.kdcDnsNames = Set.copyOf(builder.kdcDnsNames);
    this.revocation = builder.revocation;
    this.crls = List.copyOf(builder.crls);
    this.fetchCrls = builder.fetchCrls;
    this.crlFetchTimeout = builder.crlFetchTimeout;
    this.clockSkew = builder.clockSkew;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with every check on and no trust anchors yet
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the trust anchors.
   *
   * @return the anchors
   */
  public List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  /**
   * Returns the clock-skew allowance, also used for the KDC's ticket times.
   *
   * @return the skew
   */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * Returns the revocation policy.
   *
   * @return the policy
   */
  public Revocation revocation() {
    return revocation;
  }

  KdcCertificateValidator validator(Clock clock) {
    return new KdcCertificateValidator(
        trustAnchors, kdcDnsNames, revocation, new CrlSource(crls, fetchCrls, crlFetchTimeout, clock), clockSkew);
  }

  /** Builds a {@link KdcValidation}. Not thread-safe. */
  public static final class Builder {
    private final List<X509Certificate> trustAnchors = new ArrayList<>();
    private final Set<String> kdcDnsNames = new LinkedHashSet<>();
    private Revocation revocation = Revocation.REQUIRE;
    private final List<X509CRL> crls = new ArrayList<>();
    private boolean fetchCrls = true;
    private Duration crlFetchTimeout = Duration.ofSeconds(5);
    private Duration clockSkew = Duration.ofMinutes(5);

    private Builder() {}

    /**
     * Sets the roots a KDC certificate must chain to (the enterprise root CA). Required.
     *
     * @param anchors the roots
     * @return this builder
     */
    public Builder trustAnchors(List<X509Certificate> anchors) {
      trustAnchors.clear();
      trustAnchors.addAll(anchors);
      return this;
    }

    /**
     * Adds DNS names that identify a KDC of the realm in a certificate's subjectAltName (for Active Directory, the
     * domain's DNS name). Without any, only an {@code id-pkinit-san} of {@code krbtgt/REALM@REALM} identifies a KDC.
     *
     * @param names the DNS names
     * @return this builder
     */
    public Builder kdcDnsNames(String... names) {
      for (String name : names) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
          throw new IllegalArgumentException("a KDC DNS name must not be blank");
        }
        kdcDnsNames.add(name.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Sets the revocation policy ({@link Revocation#REQUIRE} by default).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder revocation(Revocation policy) {
      this.revocation = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Adds CRLs known up front (for KDC certificates without an HTTP distribution point).
     *
     * @param lists the CRLs
     * @return this builder
     */
    public Builder crls(List<X509CRL> lists) {
      crls.addAll(lists);
      return this;
    }

    /**
     * Sets whether CRLs are fetched from HTTP distribution points (on by default).
     *
     * @param fetch whether to fetch
     * @return this builder
     */
    public Builder fetchCrls(boolean fetch) {
      this.fetchCrls = fetch;
      return this;
    }

    /**
     * Sets the time limit of one CRL download (5 s by default).
     *
     * @param timeout the limit
     * @return this builder
     */
    public Builder crlFetchTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the CRL fetch timeout must be positive");
      }
      this.crlFetchTimeout = timeout;
      return this;
    }

    /**
     * Sets the clock-skew allowance (5 minutes by default, as Kerberos).
     *
     * @param skew the allowance
     * @return this builder
     */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("the clock skew must not be negative");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalStateException when no trust anchor was given
     */
    public KdcValidation build() {
      if (trustAnchors.isEmpty()) {
        throw new IllegalStateException(
            "KdcValidation needs trust anchors: the root CA that issued the KDC (domain controller) certificates");
      }
      return new KdcValidation(this);
    }
  }
}
