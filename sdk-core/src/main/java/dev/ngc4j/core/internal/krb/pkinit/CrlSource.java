package dev.ngc4j.core.internal.krb.pkinit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/**
 * Where CRLs for the KDC certificate's path come from: CRLs configured up front, and CRLs fetched over HTTP from the
 * certificates' CRL distribution points (WHfB deployments publish the DC certificate's CRL over HTTP because
 * cloud-joined devices cannot reach LDAP). Fetched CRLs are cached until their nextUpdate. Fetch failures are
 * recorded, not thrown: an unreachable CRL makes the revocation status unknown, which the validator then treats as
 * its policy says.
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class CrlSource {
  private static final int MAX_CRL_BYTES = 8 * 1024 * 1024;

  private final List<X509CRL> configured;
  private final boolean fetch;
  private final Duration timeout;
  private final Clock clock;
  private final Map<URI, X509CRL> cache = new ConcurrentHashMap<>();
  private volatile @Nullable HttpClient http;

  /**
   * Creates a source.
   *
   * @param configured CRLs given by configuration
   * @param fetch whether to fetch from HTTP distribution points
   * @param timeout the time limit of one fetch
   * @param clock the clock that decides when a cached CRL is stale
   */
  public CrlSource(List<X509CRL> configured, boolean fetch, Duration timeout, Clock clock) {
    this.configured = List.copyOf(configured);
    this.fetch = fetch;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * Returns the CRLs that may cover these certificates, fetching missing ones.
   *
   * @param certificates the path, leaf first
   * @param problems receives one line per distribution point that could not be read
   * @return configured and fetched CRLs
   */
  public List<X509CRL> crlsFor(List<X509Certificate> certificates, List<String> problems) {
    List<X509CRL> out = new ArrayList<>(configured);
    if (!fetch) {
      return out;
    }
    for (X509Certificate certificate : certificates) {
      for (URI uri : distributionPoints(certificate)) {
        X509CRL crl = cached(uri);
        if (crl == null) {
          try {
            crl = download(uri);
            cache.put(uri, crl);
          } catch (IOException | CRLException e) {
            problems.add(uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            continue;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(uri + ": interrupted");
            continue;
          }
        }
        out.add(crl);
      }
    }
    return out;
  }

  private @Nullable X509CRL cached(URI uri) {
    X509CRL crl = cache.get(uri);
    if (crl == null) {
      return null;
    }
    if (crl.getNextUpdate() == null || crl.getNextUpdate().toInstant().isBefore(Instant.now(clock))) {
      cache.remove(uri, crl);
      return null;
    }
    return crl;
  }

  private X509CRL download(URI uri) throws IOException, CRLException, InterruptedException {
    HttpClient client = http;
    if (client == null) {
      client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
      http = client;
    }
    HttpResponse<InputStream> response =
        client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_CRL_BYTES + 1);
      if (bytes.length > MAX_CRL_BYTES) {
        throw new IOException("CRL larger than " + MAX_CRL_BYTES + " bytes");
      }
      try {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
      } catch (CertificateException e) {
        throw new CRLException("no X.509 certificate factory", e);
      }
    }
  }

  /**
   * Returns the HTTP(S) URIs of a certificate's CRL distribution points.
   *
   * @param certificate the certificate
   * @return the URIs, possibly empty
   */
  public static List<URI> distributionPoints(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
    if (extension == null) {
      return List.of();
    }
    List<URI> uris = new ArrayList<>();
    try {
      CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(extension).getOctets());
      for (DistributionPoint point : points.getDistributionPoints()) {
        DistributionPointName name = point.getDistributionPoint();
        if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
          continue;
        }
        for (GeneralName general : GeneralNames.getInstance(name.getName()).getNames()) {
          if (general.getTagNo() == GeneralName.uniformResourceIdentifier) {
            String text = general.getName().toString();
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
              uris.add(URI.create(text));
            }
          }
        }
      }
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    return uris;
  }
}
