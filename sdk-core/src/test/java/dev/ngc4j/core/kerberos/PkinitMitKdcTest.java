package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.KerberosPreauthException;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.kerberos.testing.PkinitFixture;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.testkit.kdc.MitKdc;
import dev.ngc4j.testkit.kdc.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PKINIT client against a real MIT {@code krb5kdc} with PKINIT started by the test (sdk-testkit's
 * {@link MitKdc}): certificate trust and key trust (MIT's emulation: the self-signed certificate as an anchor bound
 * to the principal), TGTs in credential caches that MIT's own {@code klist} lists and with which MIT's {@code kvno}
 * gets service tickets, our own TGS exchange, and the KDC's refusals mapped to typed errors.
 */
class PkinitMitKdcTest {
  private static final char[] PIN = "493817".toCharArray();

  @TempDir static Path dir;
  static PkinitFixture fixture;
  static MitKdc kdc;
  static KeyContainer alice;
  static KeyContainer bob;
  static X509Certificate aliceCertificate;
  static X509Certificate bobKeyTrustCertificate;

  @BeforeAll
  static void start() throws Exception {
    // The KDC requires RFC 8070 freshness: every exchange must echo the token the KDC handed out.
    fixture = PkinitFixture.builder(dir, PIN)
        .kdc(b -> b.requireFreshness(true))
        .users("alice", "bob", "carol")
        .services("host/localhost")
        .start();
    kdc = fixture.kdc();
    alice = fixture.container("alice");
    bob = fixture.container("bob");
    // Certificate trust: the container signs a PKCS#10 request, the realm's CA issues the logon certificate.
    aliceCertificate =
        kdc.signCertificateRequest(PkinitCertificates.certificationRequest(alice, fixture.pin()), "alice");
    // Key trust (MIT emulation): the self-signed certificate becomes an anchor bound to bob.
    bobKeyTrustCertificate = PkinitCertificates.keyTrustCertificate(bob, fixture.pin(), Duration.ofDays(1));
    kdc.trustSelfSigned("bob", bobKeyTrustCertificate);
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void certificateTrustGetsATgtThatMitKlistAndKvnoAccept() throws Exception {
    PkinitClient client = fixture.client();
    Path ccache = dir.resolve("alice.ccache");
    try (KerberosTgt tgt = client.asExchange(fixture.certificateTrust(alice, aliceCertificate), alice, fixture.pin())) {
      assertEquals("alice@WHFB.TEST", tgt.client());
      assertEquals("krbtgt/WHFB.TEST@WHFB.TEST", tgt.server());
      assertTrue(tgt.preAuthenticated(), tgt::toString);
      assertTrue(tgt.endTime().isAfter(tgt.authTime()));
      tgt.writeCredentialCache(ccache);
    }
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(ccache));
    ToolResult klist = kdc.klist(ccache);
    assertEquals(0, klist.exitCode(), klist::toString);
    assertTrue(klist.stdout().contains("Default principal: alice@WHFB.TEST"), klist::toString);
    assertTrue(klist.stdout().contains("krbtgt/WHFB.TEST@WHFB.TEST"), klist::toString);
    ToolResult kvno = kdc.kvno(ccache, "host/localhost");
    assertEquals(0, kvno.exitCode(), kvno::toString);
    assertTrue(kvno.stdout().contains("host/localhost@WHFB.TEST: kvno = "), kvno::toString);
    assertTrue(kdc.kdcLog().contains("TGS_REQ"), "the KDC logged the TGS exchange made with our TGT");
    assertTrue(kdc.kdcLog().contains("freshness token received"), "the KDC saw our freshness token");
  }

  @Test
  void keyTrustWithTheAnchoredSelfSignedCertificateGetsATgtAndOurOwnServiceTicket() throws Exception {
    PkinitClient client = fixture.client();
    Path ccache = dir.resolve("bob.ccache");
    try (KerberosTgt tgt = client.asExchange(fixture.keyTrust(bob, bobKeyTrustCertificate), bob, fixture.pin());
        ServiceTicket host = client.serviceTicket(tgt, "host/localhost")) {
      assertEquals("bob@WHFB.TEST", tgt.client());
      assertEquals("host/localhost@WHFB.TEST", host.server());
      assertEquals("bob@WHFB.TEST", host.client());
      tgt.writeCredentialCache(ccache, List.of(host));
    }
    ToolResult klist = kdc.klist(ccache);
    assertEquals(0, klist.exitCode(), klist::toString);
    assertTrue(klist.stdout().contains("Default principal: bob@WHFB.TEST"), klist::toString);
    assertTrue(klist.stdout().contains("host/localhost@WHFB.TEST"), klist::toString);
  }

  @Test
  void aKeyTrustCertificateTheKdcDoesNotKnowIsRefusedAsClientNotTrusted() throws Exception {
    // A fresh self-signed certificate for bob's key that is not an anchor: MIT refuses it (PREAUTH_FAILED).
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> fixture.client().asExchange(PkinitRequest.of(bob.user(), PkinitMode.KEY_TRUST).withRealm(kdc.realm()),
            bob, fixture.pin()));
    assertEquals(ErrorCode.CLIENT_NOT_TRUSTED, e.code(), e::toString);
    assertTrue(e.krbErrorCode().isPresent(), e::toString);
    assertTrue(e.remedy().contains("synchronised"), e::remedy);
  }

  @Test
  void bobsKeyTrustCertificateCannotSignInAsCarol() throws Exception {
    KeyContainer carolWithBobsKey = new RenamedContainer(bob, UserPrincipal.of("carol@whfb.test"));
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> fixture.client().asExchange(
            fixture.keyTrust(carolWithBobsKey, bobKeyTrustCertificate), carolWithBobsKey, fixture.pin()));
    assertEquals(ErrorCode.PRINCIPAL_MISMATCH, e.code(), e::toString);
    assertEquals(75, e.krbErrorCode().orElse(-1), e::toString);
  }

  @Test
  void anUnknownPrincipalIsNamedAsSuch() throws Exception {
    KeyContainer daveWithBobsKey = new RenamedContainer(bob, UserPrincipal.of("dave@whfb.test"));
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> fixture.client().asExchange(
            fixture.keyTrust(daveWithBobsKey, bobKeyTrustCertificate), daveWithBobsKey, fixture.pin()));
    assertEquals(ErrorCode.PRINCIPAL_UNKNOWN, e.code(), e::toString);
  }

  @Test
  void aCaTrueKeyTrustCertificateIsNeverSent() throws Exception {
    assertEquals(-1, bobKeyTrustCertificate.getBasicConstraints(), "our key-trust certificate is CA:FALSE");
    // Alice's CA-issued certificate is not self-signed; a CA certificate as key trust is refused before sending.
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> fixture.client().asExchange(fixture.keyTrust(alice, kdc.caCertificate()), alice, fixture.pin()));
    assertEquals(ErrorCode.CLIENT_NOT_TRUSTED, e.code(), e::toString);
    assertTrue(e.getMessage().contains("CA:TRUE"), e::getMessage);
  }

  @Test
  void aWrongPinFailsBeforeAnythingIsSigned() {
    NgcException e = assertThrows(NgcException.class,
        () -> fixture.client().asExchange(fixture.certificateTrust(alice, aliceCertificate), alice,
            request -> Pin.of("000000".toCharArray())));
    assertEquals(ErrorCode.WRONG_GESTURE, e.code(), e::toString);
  }

  @Test
  void theFourThousandBitGroupWorksToo() throws Exception {
    PkinitClient client = fixture.clientBuilder().dhModulusBits(4096).build();
    try (KerberosTgt tgt = client.asExchange(fixture.certificateTrust(alice, aliceCertificate), alice, fixture.pin())) {
      assertEquals("alice@WHFB.TEST", tgt.client());
    }
  }

  @Test
  void aKdcThatIsNotTheConfiguredAnchorsIsRefused() throws Exception {
    PkinitClient client = fixture.clientBuilder()
        .kdcValidation(KdcValidation.builder().trustAnchors(List.of(kdc.otherCaCertificate())).build())
        .build();
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> client.asExchange(fixture.certificateTrust(alice, aliceCertificate), alice, fixture.pin()));
    assertEquals(ErrorCode.KDC_NOT_TRUSTED, e.code(), e::toString);
    assertTrue(e.getMessage().contains("UNTRUSTED"), e::getMessage);
  }

  @Test
  void theCertificateMustBeForTheContainersKey() {
    KerberosPreauthException e = assertThrows(KerberosPreauthException.class,
        () -> fixture.client().asExchange(fixture.certificateTrust(bob, aliceCertificate), bob, fixture.pin()));
    assertEquals(ErrorCode.CLIENT_NOT_TRUSTED, e.code(), e::toString);
    assertFalse(e.getMessage().contains(new String(PIN)), "no PIN in messages");
  }
}
