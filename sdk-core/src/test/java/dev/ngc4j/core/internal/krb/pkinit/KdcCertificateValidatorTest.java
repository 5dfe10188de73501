package dev.ngc4j.core.internal.krb.pkinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ngc4j.core.internal.krb.pkinit.KdcCertificateValidator.KdcCertificateException;
import dev.ngc4j.core.internal.krb.pkinit.KdcCertificateValidator.Reason;
import dev.ngc4j.core.kerberos.KdcValidation.Revocation;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strict validation of the KDC certificate against a small test PKI: a root, an intermediate, KDC certificates with
 * and without the right EKU, key usage, names and validity, CRLs given up front or served over real HTTP from the
 * certificates' distribution points.
 */
final class KdcCertificateValidatorTest {
  private static final String REALM = "CONTOSO.EXAMPLE";
  private static final Duration SKEW = Duration.ofMinutes(5);
  // The PKI is built once per class to keep RSA key and certificate generation out of each test; NOW is the
  // instant every test passes to the code under test, so capturing it at class loading is intended.
  @SuppressWarnings("TimeInStaticInitializer")
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(30));
  private static final Instant FAR_AHEAD = NOW.plus(Duration.ofDays(365));

  private static final KeyPair ROOT_KEY = PkiFixture.rsa();
  private static final KeyPair INTERMEDIATE_KEY = PkiFixture.rsa();
  private static final KeyPair KDC_KEY = PkiFixture.rsa();
  private static final KeyPair IMPOSTOR_KEY = PkiFixture.rsa();

  private static final PkiFixture.Ca ROOT = PkiFixture.root("CN=Contoso Root CA, O=Contoso", ROOT_KEY, LONG_AGO, FAR_AHEAD);
  private static final PkiFixture.Ca INTERMEDIATE =
      ROOT.intermediate("CN=Contoso Issuing CA, O=Contoso", INTERMEDIATE_KEY, LONG_AGO, FAR_AHEAD);
  /** A root the client does not trust. */
  private static final PkiFixture.Ca OTHER_ROOT = PkiFixture.root("CN=Fabrikam Root CA", IMPOSTOR_KEY, LONG_AGO, FAR_AHEAD);
  /** A root with the trusted root's name but another key. */
  private static final PkiFixture.Ca IMPOSTOR_ROOT =
      PkiFixture.root("CN=Contoso Root CA, O=Contoso", IMPOSTOR_KEY, LONG_AGO, FAR_AHEAD);

  private static final GeneralName KRBTGT = PkiFixture.pkinitSan(REALM, "krbtgt", REALM);

  private static final HttpServer HTTP = startServer();
  private static final Map<String, byte[]> ROUTES = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

  private static HttpServer startServer() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        String path = exchange.getRequestURI().getPath();
        HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] body = ROUTES.get(path);
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
        } else {
          exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
        exchange.close();
      });
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void start() {
    HTTP.start();
  }

  @AfterAll
  static void stop() {
    HTTP.stop(0);
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + HTTP.getAddress().getPort() + path;
  }

  private static int hits(String path) {
    AtomicInteger count = HITS.get(path);
    return count == null ? 0 : count.get();
  }

  /** A KDC certificate from the root with everything right: KDC EKU, digitalSignature, krbtgt/REALM@REALM. */
  private static PkiFixture.CertBuilder kdc(PkiFixture.Ca issuer) {
    return issuer.issue("CN=kdc.contoso.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .eku(PkiFixture.KDC, PkiFixture.SERVER_AUTH)
        .san(KRBTGT);
  }

  private static PkiFixture.CertBuilder kdc() {
    return kdc(ROOT);
  }

  private static KdcCertificateValidator validator(Revocation revocation, List<X509CRL> crls, String... dnsNames) {
    return new KdcCertificateValidator(List.of(ROOT.certificate()), Set.of(dnsNames), revocation,
        new CrlSource(crls, false, Duration.ofSeconds(5), Clock.systemUTC()), SKEW);
  }

  /** REQUIRE, with the root's (empty) CRL configured: what a well-run deployment looks like. */
  private static KdcCertificateValidator strict(String... dnsNames) {
    return validator(Revocation.REQUIRE, List.of(ROOT.crl(NOW)), dnsNames);
  }

  private static KdcCertificateException refused(
      KdcCertificateValidator validator, X509Certificate kdc, List<X509Certificate> others, Reason reason) {
    KdcCertificateException e =
        assertThrows(KdcCertificateException.class, () -> validator.validate(kdc, others, REALM, NOW));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  private static KdcCertificateException refused(KdcCertificateValidator validator, X509Certificate kdc, Reason reason) {
    return refused(validator, kdc, List.of(kdc), reason);
  }

  // ---- accepted ----

  @Test
  void acceptsTheGoodKdcCertificate() throws Exception {
    X509Certificate kdc = kdc().build();
    strict().validate(kdc, List.of(kdc), REALM, NOW);
    // the reply may also carry the root itself
    strict().validate(kdc, List.of(kdc, ROOT.certificate()), REALM, NOW);
    // or nothing but the signer's certificate
    strict().validate(kdc, List.of(), REALM, NOW);
  }

  @Test
  void acceptsAPathThroughAnIntermediate() throws Exception {
    X509Certificate kdc = kdc(INTERMEDIATE).build();
    KdcCertificateValidator validator =
        validator(Revocation.REQUIRE, List.of(ROOT.crl(NOW), INTERMEDIATE.crl(NOW)));
    validator.validate(kdc, List.of(kdc, INTERMEDIATE.certificate()), REALM, NOW);
    validator.validate(kdc, List.of(INTERMEDIATE.certificate(), ROOT.certificate(), kdc), REALM, NOW);
  }

  @Test
  void acceptsAnActiveDirectoryCertificateByItsDnsName() throws Exception {
    X509Certificate dc = ROOT.issue("CN=dc01.contoso.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
        .eku(PkiFixture.KDC, PkiFixture.SERVER_AUTH, org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth)
        .san(PkiFixture.dns("dc01.contoso.example"), PkiFixture.dns("Contoso.Example"))
        .build();
    strict("contoso.example").validate(dc, List.of(dc), REALM, NOW);
    strict("CONTOSO.example").validate(dc, List.of(dc), REALM, NOW);
    // without the name configured only an id-pkinit-san would do
    KdcCertificateException e = refused(strict(), dc, Reason.NAME_MISMATCH);
    PkiFixture.assertMentions(e, "dNSName contoso.example");
    refused(strict("fabrikam.example"), dc, Reason.NAME_MISMATCH);
  }

  @Test
  void acceptsACertificateWithoutKeyUsage() throws Exception {
    X509Certificate kdc = kdc().keyUsage(-1).build();
    strict().validate(kdc, List.of(kdc), REALM, NOW);
  }

  // ---- purpose ----

  @Test
  void refusesACertificateWithoutTheKdcEku() {
    X509Certificate serverOnly = ROOT.issue("CN=kdc.contoso.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature)
        .eku(PkiFixture.SERVER_AUTH)
        .san(KRBTGT)
        .build();
    KdcCertificateException e = refused(strict(), serverOnly, Reason.NO_KDC_EKU);
    PkiFixture.assertMentions(e, "1.3.6.1.5.2.3.5");

    X509Certificate noEku = ROOT.issue("CN=kdc.contoso.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature)
        .san(KRBTGT)
        .build();
    refused(strict(), noEku, Reason.NO_KDC_EKU);
  }

  @Test
  void refusesKeyUsageWithoutDigitalSignature() {
    X509Certificate kdc = kdc().keyUsage(KeyUsage.keyEncipherment).build();
    refused(strict(), kdc, Reason.KEY_USAGE);
  }

  // ---- identity ----

  @Test
  void refusesAnotherRealmsKrbtgt() {
    X509Certificate other = ROOT.issue("CN=kdc.fabrikam.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature)
        .eku(PkiFixture.KDC)
        .san(PkiFixture.pkinitSan("OTHER", "krbtgt", "OTHER"))
        .build();
    KdcCertificateException e = refused(strict(), other, Reason.NAME_MISMATCH);
    PkiFixture.assertMentions(e, "krbtgt/OTHER@OTHER");
    PkiFixture.assertMentions(e, "krbtgt/" + REALM + "@" + REALM);
  }

  @Test
  void refusesNamesThatOnlyLookLikeKrbtgt() {
    for (GeneralName name : new GeneralName[] {
      PkiFixture.pkinitSan(REALM, "krbtgt", "OTHER"), // a cross-realm TGS
      PkiFixture.pkinitSan("OTHER", "krbtgt", REALM),
      PkiFixture.pkinitSan(REALM, "alice"), // a user
      PkiFixture.pkinitSan(REALM, "krbtgt/" + REALM), // one component with a slash in it
      PkiFixture.pkinitSan(REALM, "krbtgt", REALM, ""),
      PkiFixture.dns("krbtgt/" + REALM + "@" + REALM)
    }) {
      X509Certificate kdc = ROOT.issue("CN=kdc.contoso.example", KDC_KEY.getPublic())
          .keyUsage(KeyUsage.digitalSignature)
          .eku(PkiFixture.KDC)
          .san(name)
          .build();
      refused(strict(), kdc, Reason.NAME_MISMATCH);
    }
  }

  @Test
  void refusesACertificateWithoutSubjectAltName() {
    X509Certificate kdc = ROOT.issue("CN=kdc.contoso.example", KDC_KEY.getPublic())
        .keyUsage(KeyUsage.digitalSignature)
        .eku(PkiFixture.KDC)
        .build();
    KdcCertificateException e = refused(strict("kdc.contoso.example"), kdc, Reason.NAME_MISMATCH);
    PkiFixture.assertMentions(e, "no KDC identity");
  }

  // ---- validity ----

  @Test
  void refusesAnExpiredCertificate() {
    X509Certificate expired = kdc().validity(LONG_AGO, NOW.minus(Duration.ofMinutes(10))).build();
    refused(strict(), expired, Reason.EXPIRED);
  }

  @Test
  void acceptsACertificateExpiredWithinTheSkew() throws Exception {
    X509Certificate expired = kdc().validity(LONG_AGO, NOW.minus(Duration.ofMinutes(2))).build();
    strict().validate(expired, List.of(expired), REALM, NOW);
    // and the skew is what allowed it
    KdcCertificateValidator noSkew = new KdcCertificateValidator(List.of(ROOT.certificate()), Set.of(),
        Revocation.REQUIRE, new CrlSource(List.of(ROOT.crl(NOW)), false, Duration.ofSeconds(5), Clock.systemUTC()),
        Duration.ZERO);
    KdcCertificateException e = assertThrows(KdcCertificateException.class,
        () -> noSkew.validate(expired, List.of(expired), REALM, NOW));
    assertEquals(Reason.EXPIRED, e.reason());
  }

  @Test
  void refusesACertificateNotYetValid() {
    X509Certificate future = kdc().validity(NOW.plus(Duration.ofMinutes(10)), FAR_AHEAD).build();
    refused(strict(), future, Reason.NOT_YET_VALID);
  }

  @Test
  void acceptsACertificateValidSoonWithinTheSkew() throws Exception {
    X509Certificate soon = kdc().validity(NOW.plus(Duration.ofMinutes(2)), FAR_AHEAD).build();
    strict().validate(soon, List.of(soon), REALM, NOW);
  }

  @Test
  void refusesAnExpiredIntermediate() {
    PkiFixture.Ca expiredCa = ROOT.intermediate(
        "CN=Old Issuing CA, O=Contoso", INTERMEDIATE_KEY, LONG_AGO, NOW.minus(Duration.ofDays(1)));
    X509Certificate kdc = kdc(expiredCa).build();
    refused(validator(Revocation.REQUIRE, List.of(ROOT.crl(NOW), expiredCa.crl(NOW))), kdc,
        List.of(kdc, expiredCa.certificate()), Reason.EXPIRED);
  }

  // ---- trust ----

  @Test
  void refusesAnUntrustedCa() {
    X509Certificate kdc = kdc(OTHER_ROOT).build();
    refused(strict(), kdc, List.of(kdc, OTHER_ROOT.certificate()), Reason.UNTRUSTED);
  }

  @Test
  void refusesACaThatOnlyHasTheTrustedName() {
    X509Certificate kdc = kdc(IMPOSTOR_ROOT).build();
    refused(validator(Revocation.DISABLED, List.of()), kdc, List.of(kdc, IMPOSTOR_ROOT.certificate()),
        Reason.UNTRUSTED);
    refused(strict(), kdc, List.of(kdc, IMPOSTOR_ROOT.certificate()), Reason.UNTRUSTED);
  }

  @Test
  void refusesABrokenChain() {
    X509Certificate kdc = kdc(INTERMEDIATE).build();
    KdcCertificateValidator validator =
        validator(Revocation.REQUIRE, List.of(ROOT.crl(NOW), INTERMEDIATE.crl(NOW)));
    // the intermediate is missing from the reply
    refused(validator, kdc, List.of(kdc, ROOT.certificate()), Reason.UNTRUSTED);
  }

  @Test
  void refusesASelfSignedKdcCertificate() {
    X509Certificate self = new PkiFixture.CertBuilder(
            new org.bouncycastle.asn1.x500.X500Name("CN=kdc.contoso.example"), KDC_KEY.getPublic(),
            new org.bouncycastle.asn1.x500.X500Name("CN=kdc.contoso.example"), KDC_KEY.getPrivate())
        .keyUsage(KeyUsage.digitalSignature)
        .eku(PkiFixture.KDC)
        .san(KRBTGT)
        .build();
    refused(validator(Revocation.DISABLED, List.of()), self, Reason.UNTRUSTED);
  }

  @Test
  void refusesWithoutAnchors() {
    assertThrows(IllegalArgumentException.class, () -> new KdcCertificateValidator(List.of(), Set.of(),
        Revocation.DISABLED, new CrlSource(List.of(), false, Duration.ofSeconds(1), Clock.systemUTC()), SKEW));
  }

  // ---- revocation with configured CRLs ----

  @Test
  void refusesARevokedCertificate() {
    BigInteger serial = PkiFixture.nextSerial();
    X509Certificate kdc = kdc().serial(serial).build();
    X509CRL crl = ROOT.crl(NOW, BigInteger.valueOf(7), serial);
    refused(validator(Revocation.REQUIRE, List.of(crl)), kdc, Reason.REVOKED);
    refused(validator(Revocation.BEST_EFFORT, List.of(crl)), kdc, Reason.REVOKED);
  }

  @Test
  void revocationCheckCanBeDisabled() throws Exception {
    BigInteger serial = PkiFixture.nextSerial();
    X509Certificate kdc = kdc().serial(serial).build();
    validator(Revocation.DISABLED, List.of(ROOT.crl(NOW, serial))).validate(kdc, List.of(kdc), REALM, NOW);
  }

  @Test
  void refusesARevokedIntermediate() {
    X509Certificate kdc = kdc(INTERMEDIATE).build();
    X509CRL rootCrl = ROOT.crl(NOW, INTERMEDIATE.certificate().getSerialNumber());
    refused(validator(Revocation.REQUIRE, List.of(rootCrl, INTERMEDIATE.crl(NOW))), kdc,
        List.of(kdc, INTERMEDIATE.certificate()), Reason.REVOKED);
  }

  @Test
  void unknownRevocationFailsUnderRequire() {
    X509Certificate kdc = kdc().build();
    KdcCertificateException e = refused(validator(Revocation.REQUIRE, List.of()), kdc, Reason.REVOCATION_UNKNOWN);
    PkiFixture.assertMentions(e, "no current CRL");
    // a CRL from another CA does not cover it
    refused(validator(Revocation.REQUIRE, List.of(OTHER_ROOT.crl(NOW))), kdc, Reason.REVOCATION_UNKNOWN);
  }

  @Test
  void unknownRevocationOfTheIntermediateFailsUnderRequire() {
    X509Certificate kdc = kdc(INTERMEDIATE).build();
    // the KDC certificate is covered by the intermediate's CRL, the intermediate by nothing
    refused(validator(Revocation.REQUIRE, List.of(INTERMEDIATE.crl(NOW))), kdc,
        List.of(kdc, INTERMEDIATE.certificate()), Reason.REVOCATION_UNKNOWN);
  }

  @Test
  void unknownRevocationIsAcceptedUnderBestEffort() throws Exception {
    X509Certificate kdc = kdc().build();
    validator(Revocation.BEST_EFFORT, List.of()).validate(kdc, List.of(kdc), REALM, NOW);
  }

  @Test
  void revokedLeafWinsOverAnUnknownIntermediateUnderBestEffort() {
    BigInteger serial = PkiFixture.nextSerial();
    X509Certificate kdc = kdc(INTERMEDIATE).serial(serial).build();
    refused(validator(Revocation.BEST_EFFORT, List.of(INTERMEDIATE.crl(NOW, serial))), kdc,
        List.of(kdc, INTERMEDIATE.certificate()), Reason.REVOKED);
  }

  @Test
  void staleCrlDoesNotEstablishTheStatus() {
    BigInteger serial = PkiFixture.nextSerial();
    X509Certificate kdc = kdc().serial(serial).build();
    X509CRL stale = ROOT.crl(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)), false);
    KdcCertificateException e = refused(validator(Revocation.REQUIRE, List.of(stale)), kdc, Reason.REVOCATION_UNKNOWN);
    PkiFixture.assertMentions(e, "CN=kdc.contoso.example");
    X509CRL future = ROOT.crl(NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)), false);
    refused(validator(Revocation.REQUIRE, List.of(future)), kdc, Reason.REVOCATION_UNKNOWN);
  }

  @Test
  void crlWithTheIssuersNameButAnotherKeyIsIgnored() throws Exception {
    BigInteger serial = PkiFixture.nextSerial();
    X509Certificate kdc = kdc().serial(serial).build();
    // an impostor can neither vouch for the certificate nor revoke it
    refused(validator(Revocation.REQUIRE, List.of(IMPOSTOR_ROOT.crl(NOW))), kdc, Reason.REVOCATION_UNKNOWN);
    validator(Revocation.BEST_EFFORT, List.of(IMPOSTOR_ROOT.crl(NOW, serial))).validate(kdc, List.of(kdc), REALM, NOW);
  }

  @Test
  void deltaCrlAloneDoesNotEstablishTheStatus() {
    X509Certificate kdc = kdc().build();
    X509CRL delta = ROOT.crl(NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)), true);
    refused(validator(Revocation.REQUIRE, List.of(delta)), kdc, Reason.REVOCATION_UNKNOWN);
  }

  @Test
  void crlFromAnIssuerWithoutCrlSignIsIgnored() {
    PkiFixture.Ca noCrlSign = new PkiFixture.Ca(INTERMEDIATE_KEY,
        ROOT.issue("CN=No CRL Sign CA, O=Contoso", INTERMEDIATE_KEY.getPublic())
            .ca()
            .keyUsage(KeyUsage.keyCertSign)
            .build());
    X509Certificate kdc = kdc(noCrlSign).build();
    refused(validator(Revocation.REQUIRE, List.of(ROOT.crl(NOW), noCrlSign.crl(NOW))), kdc,
        List.of(kdc, noCrlSign.certificate()), Reason.REVOCATION_UNKNOWN);
  }

  @Test
  void distributionPointIsNotFetchedWhenFetchingIsOff() throws Exception {
    ROUTES.put("/not-fetched.crl", ROOT.crl(NOW).getEncoded());
    X509Certificate kdc = kdc().crlDistributionPoint(url("/not-fetched.crl")).build();
    refused(validator(Revocation.REQUIRE, List.of()), kdc, Reason.REVOCATION_UNKNOWN);
    assertEquals(0, hits("/not-fetched.crl"), "no download, by us or by the JDK's revocation checker");
  }

  // ---- revocation with CRLs fetched over HTTP ----

  private static KdcCertificateValidator fetching(Revocation revocation, Clock clock) {
    return new KdcCertificateValidator(List.of(ROOT.certificate()), Set.of(), revocation,
        new CrlSource(List.of(), true, Duration.ofSeconds(5), clock), SKEW);
  }

  @Test
  void fetchesTheCrlFromTheDistributionPointAndCachesIt() throws Exception {
    ROUTES.put("/root-empty.crl", ROOT.crl(NOW).getEncoded());
    X509Certificate kdc = kdc().crlDistributionPoint(url("/root-empty.crl")).build();
    assertEquals(List.of(URI.create(url("/root-empty.crl"))), CrlSource.distributionPoints(kdc));
    SettableClock clock = new SettableClock(NOW);
    KdcCertificateValidator validator = fetching(Revocation.REQUIRE, clock);
    int before = hits("/root-empty.crl");

    validator.validate(kdc, List.of(kdc), REALM, NOW);
    assertEquals(before + 1, hits("/root-empty.crl"));

    validator.validate(kdc, List.of(kdc), REALM, NOW);
    assertEquals(before + 1, hits("/root-empty.crl"), "cached until its nextUpdate");

    clock.set(NOW.plus(Duration.ofDays(2)));
    validator.validate(kdc, List.of(kdc), REALM, NOW);
    assertEquals(before + 2, hits("/root-empty.crl"), "fetched again once stale");
  }

  @Test
  void refusesACertificateRevokedInTheFetchedCrl() throws Exception {
    BigInteger serial = PkiFixture.nextSerial();
    ROUTES.put("/root-revoking.crl", ROOT.crl(NOW, serial).getEncoded());
    X509Certificate kdc = kdc().serial(serial).crlDistributionPoint(url("/root-revoking.crl")).build();
    refused(fetching(Revocation.REQUIRE, Clock.systemUTC()), kdc, Reason.REVOKED);
    refused(fetching(Revocation.BEST_EFFORT, Clock.systemUTC()), kdc, Reason.REVOKED);
    assertTrue(hits("/root-revoking.crl") >= 2);
  }

  @Test
  void unreachableDistributionPointMakesRevocationUnknown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String unreachable = "http://127.0.0.1:" + closedPort + "/root.crl";
    X509Certificate kdc = kdc().crlDistributionPoint(unreachable).build();

    KdcCertificateException e = refused(fetching(Revocation.REQUIRE, Clock.systemUTC()), kdc, Reason.REVOCATION_UNKNOWN);
    PkiFixture.assertMentions(e, unreachable);
    assertTrue(!String.valueOf(e.getMessage()).contains(": null"), "says why: " + e.getMessage());
    // under BEST_EFFORT the unknown status is accepted
    fetching(Revocation.BEST_EFFORT, Clock.systemUTC()).validate(kdc, List.of(kdc), REALM, NOW);
  }

  @Test
  void missingCrlAtTheDistributionPointMakesRevocationUnknown() {
    String missing = url("/no-such.crl");
    X509Certificate kdc = kdc().crlDistributionPoint(missing).build();
    KdcCertificateException e = refused(fetching(Revocation.REQUIRE, Clock.systemUTC()), kdc, Reason.REVOCATION_UNKNOWN);
    PkiFixture.assertMentions(e, missing);
    PkiFixture.assertMentions(e, "404");
  }

  @Test
  void garbageAtTheDistributionPointMakesRevocationUnknown() {
    ROUTES.put("/garbage.crl", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01});
    X509Certificate kdc = kdc().crlDistributionPoint(url("/garbage.crl")).build();
    KdcCertificateException e = refused(fetching(Revocation.REQUIRE, Clock.systemUTC()), kdc, Reason.REVOCATION_UNKNOWN);
    PkiFixture.assertMentions(e, url("/garbage.crl"));
  }

  @Test
  void distributionPointsListsHttpUrisOnly() {
    X509Certificate ldap = kdc().crlDistributionPoint("ldap:///CN=Contoso%20Root%20CA,CN=CDP?certificateRevocationList").build();
    assertEquals(List.of(), CrlSource.distributionPoints(ldap));
    assertEquals(List.of(), CrlSource.distributionPoints(kdc().build()));
  }

  /** A clock the test sets. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
