package dev.ngc4j.testkit.kdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.testkit.kdc.Certs.Krb5PrincipalName;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each KDC certificate profile has the promised shape, and krb5kdc starts and serves with it. */
class KdcCertProfileTest {
  private static final List<String> KDC_EKUS = List.of(TestPki.ID_PKINIT_KP_KDC, TestPki.SERVER_AUTH);
  private static final List<String> KDC_KU = List.of("digitalSignature", "keyEncipherment", "keyAgreement");
  private static final Krb5PrincipalName KRBTGT = new Krb5PrincipalName("WHFB.TEST", 2, List.of("krbtgt", "WHFB.TEST"));

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KdcCertProfile.class)
  void eachProfileHasItsShapeAndTheKdcStartsWithIt(KdcCertProfile profile) throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir).kdcCertificate(profile).start()) {
      assertTrue(kdc.isRunning());
      assertTrue(kdc.kdcLog().contains("commencing operation"), kdc.kdcLog());
      X509Certificate cert = kdc.kdcCertificate();
      try (InputStream in = Files.newInputStream(dir.resolve("pki/kdc.pem"))) {
        assertEquals(cert, CertificateFactory.getInstance("X.509").generateCertificate(in),
            "the KDC's identity file holds this certificate");
      }
      assertEquals(-1, cert.getBasicConstraints());
      assertNotEquals(null, cert.getExtensionValue("2.5.29.14"), "subject key identifier");
      assertNotEquals(null, cert.getExtensionValue("2.5.29.35"), "authority key identifier");
      assertEquals(2048, ((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength());

      X509Certificate issuer = profile == KdcCertProfile.UNTRUSTED_CA ? kdc.otherCaCertificate() : kdc.caCertificate();
      cert.verify(issuer.getPublicKey());
      assertEquals(issuer.getSubjectX500Principal(), cert.getIssuerX500Principal());

      switch (profile) {
        case STANDARD, UNTRUSTED_CA -> assertStandardExtensions(kdc, cert, profile == KdcCertProfile.STANDARD);
        case NO_KDC_EKU -> {
          assertEquals(List.of(TestPki.SERVER_AUTH), cert.getExtendedKeyUsage());
          assertEquals(List.of(KRBTGT), Certs.pkinitSans(cert));
        }
        case WRONG_SAN -> {
          assertEquals(KDC_EKUS, cert.getExtendedKeyUsage());
          assertEquals(List.of(new Krb5PrincipalName("OTHER.TEST", 2, List.of("krbtgt", "OTHER.TEST"))),
              Certs.pkinitSans(cert));
          assertEquals(List.of("other.test"), Certs.dnsNames(cert));
        }
        case DNS_SAN_ONLY -> {
          assertEquals(KDC_EKUS, cert.getExtendedKeyUsage());
          assertEquals(List.of(), Certs.pkinitSans(cert));
          assertEquals(List.of("whfb.test"), Certs.dnsNames(cert));
        }
        case EXPIRED -> {
          assertThrows(CertificateExpiredException.class, cert::checkValidity);
          assertStandardExtensions(kdc, cert, true);
        }
        case NOT_YET_VALID -> {
          assertThrows(CertificateNotYetValidException.class, cert::checkValidity);
          assertStandardExtensions(kdc, cert, true);
        }
        case EXPIRES_IN_TWO_MINUTES -> {
          assertStandardExtensions(kdc, cert, true);
          java.time.Duration left = java.time.Duration.between(java.time.Instant.now(), cert.getNotAfter().toInstant());
          assertTrue(left.compareTo(java.time.Duration.ofMinutes(2)) <= 0 && !left.isNegative(), left::toString);
        }
        case ISSUED_TWO_MINUTES_AGO -> {
          assertStandardExtensions(kdc, cert, true);
          java.time.Duration age = java.time.Duration.between(cert.getNotBefore().toInstant(), java.time.Instant.now());
          assertTrue(age.compareTo(java.time.Duration.ofMinutes(3)) < 0 && !age.isNegative(), age::toString);
        }
        case NO_DIGITAL_SIGNATURE_KU -> {
          assertEquals(List.of("keyEncipherment", "keyAgreement"), Certs.keyUsage(cert));
          assertEquals(KDC_EKUS, cert.getExtendedKeyUsage());
          assertEquals(List.of(KRBTGT), Certs.pkinitSans(cert));
        }
      }
      if (profile != KdcCertProfile.EXPIRED && profile != KdcCertProfile.NOT_YET_VALID) {
        cert.checkValidity();
      }
      if (profile != KdcCertProfile.NO_DIGITAL_SIGNATURE_KU) {
        assertEquals(KDC_KU, Certs.keyUsage(cert));
      }
    }
  }

  private static void assertStandardExtensions(MitKdc kdc, X509Certificate cert, boolean withCdp) throws Exception {
    assertEquals(KDC_EKUS, cert.getExtendedKeyUsage());
    assertEquals(List.of(KRBTGT), Certs.pkinitSans(cert));
    assertEquals(List.of("localhost"), Certs.dnsNames(cert));
    assertEquals(KDC_KU, Certs.keyUsage(cert));
    assertEquals(withCdp ? List.of(kdc.crlUri().toString()) : List.of(), Certs.crlDistributionPoints(cert));
  }

  /**
   * Reissuing restarts the KDC with the new certificate; MIT's own client then accepts or refuses it, which shows the
   * KDC really presents it. (MIT's client skips the EKU and key-usage checks once the id-pkinit-san matches, so
   * NO_KDC_EKU and NO_DIGITAL_SIGNATURE_KU are not distinguishable with kinit; the ngc4j client's tests cover them.)
   */
  @Test
  void reissuingRestartsTheKdcWithTheNewCertificate() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir).start()) {
      kdc.addUser("alice");
      KeyPair keys = Certs.key(0);
      Path cert = MitKdc.writeCertificatePem(dir.resolve("alice.pem"),
          kdc.issueClientCertificate(keys.getPublic(), "alice"));
      Path key = MitKdc.writePrivateKeyPem(dir.resolve("alice-key.pem"), keys.getPrivate());
      assertTrue(kinit(kdc, cert, key).succeeded());
      X509Certificate standard = kdc.kdcCertificate();

      record Expectation(KdcCertProfile profile, boolean mitAccepts) {}
      for (Expectation e : List.of(
          new Expectation(KdcCertProfile.WRONG_SAN, false),
          new Expectation(KdcCertProfile.UNTRUSTED_CA, false),
          new Expectation(KdcCertProfile.EXPIRED, false),
          new Expectation(KdcCertProfile.NOT_YET_VALID, false),
          new Expectation(KdcCertProfile.DNS_SAN_ONLY, true),
          new Expectation(KdcCertProfile.STANDARD, true))) {
        long pid = kdc.pid().orElseThrow();
        kdc.reissueKdcCertificate(e.profile());
        assertNotEquals(pid, kdc.pid().orElseThrow(), "restarted for " + e.profile());
        assertFalse(MitKdc.isKrb5kdc(pid));
        ToolResult kinit = kinit(kdc, cert, key);
        assertEquals(e.mitAccepts(), kinit.succeeded(), e.profile() + ": " + kinit.describe());
      }
      assertNotEquals(standard.getSerialNumber(), kdc.kdcCertificate().getSerialNumber());
      assertEquals(standard.getPublicKey(), kdc.kdcCertificate().getPublicKey(), "the KDC key stays");
    }
  }

  private ToolResult kinit(MitKdc kdc, Path cert, Path key) {
    return kdc.kinitWithCertificate(cert, key, "alice", dir.resolve("alice.ccache"), List.of());
  }
}
