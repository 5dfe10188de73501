package dev.ngc4j.server.internal.http;

import dev.ngc4j.server.internal.crypto.ServiceCa;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the embedded server: a fresh ECDSA P-256 server key per start with a certificate from the service CA
 * (SAN {@code DNS:localhost}, {@code IP:127.0.0.1}, {@code IP:::1} and the bind address), and a client context
 * that trusts exactly that CA.
 *
 * <p>Thread safety: stateless and safe for concurrent use.
 */
public final class Tls {
  private static final Duration SERVER_VALIDITY = Duration.ofDays(90);

  private Tls() {}

  /**
   * Creates the server's SSL context.
   *
   * @param ca the service CA
   * @param extraIps further IP addresses (text form) for the SAN
   * @param now the current time
   * @return the context
   * @throws GeneralSecurityException if the key, certificate or context cannot be made
   */
  public static SSLContext serverContext(ServiceCa ca, List<String> extraIps, Instant now)
      throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    List<String> ips = new java.util.ArrayList<>(List.of("127.0.0.1", "::1"));
    for (String ip : extraIps) {
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    X509Certificate certificate = ca.issueServer(pair.getPublic(), List.of("localhost"), ips, now, SERVER_VALIDITY);
    char[] password = new char[0];
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", pair.getPrivate(), password, new Certificate[] {certificate, ca.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new GeneralSecurityException("the server key store could not be built", e);
    }
  }

  /**
   * Creates a client SSL context that trusts only the given CA.
   *
   * @param ca the CA certificate
   * @return the context
   * @throws GeneralSecurityException if the context cannot be made
   */
  public static SSLContext clientContext(X509Certificate ca) throws GeneralSecurityException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ngc4j-service-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new GeneralSecurityException("the trust store could not be built", e);
    }
  }
}
