package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.core.kerberos.testing.PkinitFixture;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.testkit.kdc.KdcCertProfile;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's checks of the KDC, against a real MIT KDC re-issued each time with a broken certificate (MIT itself
 * starts with any of them; the checks are the client's): no KDC EKU, no digitalSignature, a SAN for another realm,
 * the AD-style DNS-name SAN with and without the name configured, expired, not yet valid, issued by an untrusted CA,
 * revoked (CRL fetched from the distribution point over HTTP), and the KDC down or answering on no port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KdcCertificateRefusalTest {
  private static final char[] PIN = "582046".toCharArray();

  @TempDir static Path dir;
  static PkinitFixture fixture;
  static MitKdc kdc;
  static KeyContainer alice;
  static X509Certificate certificate;

  @BeforeAll
  static void start() throws Exception {
    fixture = PkinitFixture.builder(dir, PIN).users("alice").start();
    kdc = fixture.kdc();
    alice = fixture.container("alice");
    certificate = kdc.issueClientCertificate(alice.publicKey(), "alice");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  static PkinitRequest request() {
    return fixture.certificateTrust(alice, certificate);
  }

  static PkinitClient client(KdcValidation.Builder validation, Clock clock) {
    return fixture.clientBuilder(validation).timeout(PkinitFixture.CLIENT_TIMEOUT).clock(clock).build();
  }

  static KerberosPreauthException refused(KdcValidation.Builder validation) {
    return refused(validation, Clock.systemUTC());
  }

  static KerberosPreauthException refused(KdcValidation.Builder validation, Clock clock) {
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> client(validation, clock).asExchange(request(), alice, fixture.pin()));
    assertEquals(ErrorCode.KDC_NOT_TRUSTED, e.code(), e::toString);
    return e;
  }

  static void accepted(KdcValidation.Builder validation) throws NgcException {
    accepted(validation, Clock.systemUTC());
  }

  static void accepted(KdcValidation.Builder validation, Clock clock) throws NgcException {
    try (KerberosTgt tgt = client(validation, clock).asExchange(request(), alice, fixture.pin())) {
      assertEquals("alice@WHFB.TEST", tgt.client());
    }
  }

  @Test
  @Order(1)
  void theStandardCertificateIsAcceptedWithItsCrlFetchedOverHttp() throws Exception {
    accepted(KdcValidation.builder());
  }

  @Test
  @Order(2)
  void withoutTheKdcEkuTheKdcIsRefusedEvenThoughItsSanMatches() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.NO_KDC_EKU);
    assertTrue(refused(KdcValidation.builder()).getMessage().contains("NO_KDC_EKU"));
  }

  @Test
  @Order(3)
  void withoutDigitalSignatureInKeyUsageTheKdcIsRefused() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.NO_DIGITAL_SIGNATURE_KU);
    assertTrue(refused(KdcValidation.builder()).getMessage().contains("KEY_USAGE"));
  }

  @Test
  @Order(4)
  void aCertificateForAnotherRealmIsRefused() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.WRONG_SAN);
    KerberosPreauthException e = refused(KdcValidation.builder());
    assertTrue(e.getMessage().contains("NAME_MISMATCH"), e::getMessage);
    assertTrue(e.getMessage().contains("OTHER.TEST"), e::getMessage);
  }

  @Test
  @Order(5)
  void anActiveDirectoryStyleCertificateNeedsTheDomainNameConfigured() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.DNS_SAN_ONLY);
    assertTrue(refused(KdcValidation.builder()).getMessage().contains("NAME_MISMATCH"));
    accepted(KdcValidation.builder().kdcDnsNames("whfb.test"));
  }

  @Test
  @Order(6)
  void anExpiredCertificateIsRefused() throws Exception {
    // MIT's KDC refuses to sign with an expired certificate of its own: a typed error that says so.
    kdc.reissueKdcCertificate(KdcCertProfile.EXPIRED);
    KerberosPreauthException own = refused(KdcValidation.builder());
    assertTrue(own.getMessage().contains("could not build its PKINIT reply"), own::getMessage);
    // The client's own check: a certificate that expires in two minutes, seen from a client clock three minutes
    // ahead (within the KDC's five-minute skew) with no skew allowance on the client.
    kdc.reissueKdcCertificate(KdcCertProfile.EXPIRES_IN_TWO_MINUTES);
    KerberosPreauthException e = refused(KdcValidation.builder().clockSkew(Duration.ZERO),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(3)));
    assertTrue(e.getMessage().contains("EXPIRED"), e::getMessage);
    // The same certificate within the client's skew allowance is accepted.
    accepted(KdcValidation.builder(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(3)));
  }

  @Test
  @Order(7)
  void aCertificateNotYetValidIsRefused() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.NOT_YET_VALID);
    assertTrue(refused(KdcValidation.builder()).getMessage().contains("could not build its PKINIT reply"));
    kdc.reissueKdcCertificate(KdcCertProfile.ISSUED_TWO_MINUTES_AGO);
    KerberosPreauthException e = refused(KdcValidation.builder().clockSkew(Duration.ZERO),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-4)));
    assertTrue(e.getMessage().contains("NOT_YET_VALID"), e::getMessage);
  }

  @Test
  @Order(8)
  void aCertificateFromAnUntrustedCaIsRefused() throws Exception {
    // MIT cannot chain its own certificate to its anchors and refuses to answer; a KDC that does answer with a
    // certificate from a CA the client does not trust is refused by the client (PkinitMitKdcTest).
    kdc.reissueKdcCertificate(KdcCertProfile.UNTRUSTED_CA);
    refused(KdcValidation.builder());
  }

  @Test
  @Order(9)
  void aRevokedCertificateIsRefusedOnceTheCrlListsIt() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.STANDARD);
    accepted(KdcValidation.builder());
    kdc.revokeKdcCertificate();
    // A new client: the previous one may hold the CRL fetched before the revocation until its nextUpdate.
    assertTrue(refused(KdcValidation.builder()).getMessage().contains("REVOKED"));
  }

  @Test
  @Order(10)
  void anUnreachableCrlMeansUnknownRevocationWhichFailsByDefault() throws Exception {
    kdc.reissueKdcCertificate(KdcCertProfile.STANDARD);
    KerberosPreauthException e = refused(KdcValidation.builder().fetchCrls(false));
    assertTrue(e.getMessage().contains("REVOCATION_UNKNOWN"), e::getMessage);
    accepted(KdcValidation.builder().fetchCrls(false).revocation(KdcValidation.Revocation.BEST_EFFORT));
  }

  @Test
  @Order(11)
  void aKdcThatIsDownFailsWithinTheDeadline() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    kdc.stop();
    PkinitClient client = fixture.clientBuilder()
        .kdcs(kdc.realm(), List.of(kdc.address(), new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort)))
        .timeout(Duration.ofSeconds(2))
        .build();
    Instant start = Instant.now();
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> client.asExchange(request(), alice, fixture.pin()));
    Duration took = Duration.between(start, Instant.now());
    assertEquals(ErrorCode.KDC_UNREACHABLE, e.code(), e::toString);
    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "failed after " + took);
    assertTrue(e.getMessage().contains(Integer.toString(kdc.port())), e::getMessage);
  }
}
