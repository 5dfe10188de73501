package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.UserPrincipal;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An AS exchange with PKINIT.
 *
 * <p>How the KDC's certificate is validated (trust anchors, revocation, accepted names) is the
 * {@link KerberosPreauth} implementation's configuration, not part of a request.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param client the client principal (the UPN)
 * @param realm the realm, upper case (by default the UPN's domain, upper case; see {@link #of(UserPrincipal,
 *     PkinitMode)})
 * @param kdcs the KDCs to try, in order; empty to locate them through DNS SRV records of the realm's domain
 * @param mode key trust or certificate trust
 * @param userCertificateChain for certificate trust, the user's CA-issued certificate for the container key first,
 *     then intermediates; for key trust, empty (a self-signed certificate is made for the exchange) or exactly one
 *     self-signed CA:FALSE certificate to present (for KDCs that pin the certificate, such as MIT's key-trust
 *     emulation)
 * @since 0.1.0
 */
@Experimental
public record PkinitRequest(
    UserPrincipal client,
    String realm,
    List<InetSocketAddress> kdcs,
    PkinitMode mode,
    List<X509Certificate> userCertificateChain) {
  /**
   * Validates and copies the fields.
   *
   * @param client the client
   * @param realm the realm
   * @param kdcs the KDCs, possibly empty
   * @param mode the mode
   * @param userCertificateChain the user chain
   */
  public PkinitRequest {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(mode, "mode");
    kdcs = List.copyOf(kdcs);
    userCertificateChain = List.copyOf(userCertificateChain);
    if (realm.isEmpty() || !realm.equals(realm.toUpperCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the realm must be non-empty and upper case, e.g. CONTOSO.COM");
    }
    if (mode == PkinitMode.CERTIFICATE_TRUST && userCertificateChain.isEmpty()) {
      throw new IllegalArgumentException("certificate trust needs the user's certificate chain");
    }
    if (mode == PkinitMode.KEY_TRUST && userCertificateChain.size() > 1) {
      throw new IllegalArgumentException("key trust presents at most one (self-signed) certificate");
    }
  }

  /**
   * A request for the UPN's own realm (its domain, upper case), with the KDCs found through DNS and, for key
   * trust, a fresh self-signed certificate.
   *
   * @param client the user
   * @param mode key trust; for certificate trust use the canonical constructor with the chain
   * @return the request
   */
  public static PkinitRequest of(UserPrincipal client, PkinitMode mode) {
    return new PkinitRequest(client, client.domain().toUpperCase(Locale.ROOT), List.of(), mode, List.of());
  }

  /**
   * Returns a copy that goes to these KDCs instead of the ones DNS names.
   *
   * @param addresses the KDCs, tried in order
   * @return the copy
   */
  public PkinitRequest withKdcs(List<InetSocketAddress> addresses) {
    return new PkinitRequest(client, realm, addresses, mode, userCertificateChain);
  }

  /**
   * Returns a copy for another realm.
   *
   * @param otherRealm the realm, upper case
   * @return the copy
   */
  public PkinitRequest withRealm(String otherRealm) {
    return new PkinitRequest(client, otherRealm, kdcs, mode, userCertificateChain);
  }

  /**
   * Returns a copy presenting this certificate chain.
   *
   * @param chain the certificates, leaf first
   * @return the copy
   */
  public PkinitRequest withCertificates(List<X509Certificate> chain) {
    return new PkinitRequest(client, realm, kdcs, mode, chain);
  }
}
