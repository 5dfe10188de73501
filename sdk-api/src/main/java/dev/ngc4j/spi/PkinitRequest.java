package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;
import dev.ngc4j.api.UserPrincipal;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * An AS exchange with PKINIT.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param client the client principal
 * @param realm the realm (the UPN's domain, upper case, by default)
 * @param kdc the KDC's address
 * @param mode key trust or certificate trust
 * @param userCertificateChain the user's CA-issued chain for certificate trust; empty for key trust
 * @param kdcTrustAnchors the roots a KDC certificate must chain to
 * @since 0.1.0
 */
@Experimental
public record PkinitRequest(
    UserPrincipal client,
    String realm,
    InetSocketAddress kdc,
    PkinitMode mode,
    List<X509Certificate> userCertificateChain,
    List<X509Certificate> kdcTrustAnchors) {
  /**
   * Validates and copies the fields.
   *
   * @param client the client
   * @param realm the realm
   * @param kdc the KDC
   * @param mode the mode
   * @param userCertificateChain the user chain
   * @param kdcTrustAnchors the roots
   */
  public PkinitRequest {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(kdc, "kdc");
    Objects.requireNonNull(mode, "mode");
    userCertificateChain = List.copyOf(userCertificateChain);
    kdcTrustAnchors = List.copyOf(kdcTrustAnchors);
    if (mode == PkinitMode.CERTIFICATE_TRUST && userCertificateChain.isEmpty()) {
      throw new IllegalArgumentException("certificate trust needs the user's certificate chain");
    }
  }
}
