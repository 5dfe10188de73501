package dev.ngc4j.server.internal.keytrust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.KeyTrustException;
import dev.ngc4j.server.KeyTrustException.Reason;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key-trust certificate checks, one bad certificate per check, on certificates built with BouncyCastle. */
final class KeyTrustCertificateTest {
  private static final String UPN = "alice@contoso.example";
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static KeyPair key;
  private static KeyPair other;

  @BeforeAll
  static void keys() throws Exception {
    key = TestCertificates.rsa(2048);
    other = TestCertificates.rsa(2048);
  }

  private static KeyTrustCertificate.Checked check(X509Certificate cert) throws KeyTrustException {
    return KeyTrustCertificate.check(cert, Instant.now(), SKEW, false);
  }

  private static void refused(Reason reason, X509Certificate cert) {
    KeyTrustException e = assertThrows(KeyTrustException.class, () -> check(cert));
    assertEquals(reason, e.reason(), e::getMessage);
    assertEquals(reason.krbErrorCode(), e.krbErrorCode());
    assertTrue(e.getMessage().startsWith(reason.code() + ": "), e.getMessage());
  }

  @Test
  void theRecommendedProfileIsAcceptedAndItsKeyReturned() throws Exception {
    KeyTrustCertificate.Checked checked = check(TestCertificates.keyTrust(UPN, key).build());
    assertEquals(key.getPublic(), checked.key());
    assertTrue(checked.timeValid());
  }

  @Test
  void extensionsBeyondTheProfileAreNotRequired() throws Exception {
    // MS-PKCA asks nothing of the certificate itself: no EKU, no keyUsage, no basicConstraints is still fine.
    check(TestCertificates.keyTrust(UPN, key).noEku().keyUsage(0).ca(null).build());
    check(TestCertificates.keyTrust(UPN, key).subject("CN=anything else").build());
  }

  @Test
  void sha384Sha512AndPssWithSha256AreAccepted() throws Exception {
    check(TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "SHA384withRSA"), "SHA384withRSA").build());
    check(TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "SHA512withRSA"), "SHA512withRSA").build());
    check(TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "SHA256withRSAandMGF1"), "SHA256withRSAandMGF1").build());
  }

  @Test
  void aCaCertificateIsNeverAKeyTrustCertificate() throws Exception {
    refused(Reason.CA_CERTIFICATE, TestCertificates.keyTrust(UPN, key).ca(true).build());
    refused(Reason.CA_CERTIFICATE, TestCertificates.keyTrust(UPN, key)
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).ca(null).build());
    refused(Reason.CA_CERTIFICATE, TestCertificates.keyTrust(UPN, key).ca(true).keyUsage(0).noEku().build());
  }

  @Test
  void aVersion1CertificateIsRefusedBecauseItCannotSayCaFalse() throws Exception {
    refused(Reason.CERTIFICATE_VERSION, TestCertificates.keyTrust(UPN, key).v1().build());
  }

  @Test
  void aKeyUsageWithoutDigitalSignatureIsRefused() throws Exception {
    refused(Reason.KEY_USAGE, TestCertificates.keyTrust(UPN, key).keyUsage(KeyUsage.keyEncipherment).build());
  }

  @Test
  void onlyRsaKeysOfAtLeast2048BitsAreAccepted() throws Exception {
    KeyPair small = TestCertificates.rsa(1024);
    refused(Reason.KEY_TOO_SMALL, TestCertificates.keyTrust(UPN, small).build());
    KeyPair ec = TestCertificates.ec();
    refused(Reason.KEY_ALGORITHM, TestCertificates.keyTrust(UPN, ec.getPublic(),
        TestCertificates.with(ec.getPrivate(), "SHA256withECDSA")).signedBy(
        TestCertificates.with(ec.getPrivate(), "SHA256withECDSA"), "SHA256withECDSA").build());
  }

  @Test
  void aCertificateIssuedBySomeoneElseIsNotKeyTrust() throws Exception {
    refused(Reason.NOT_SELF_SIGNED, TestCertificates.keyTrust(UPN, key).issuer("CN=Contoso Issuing CA")
        .signedBy(TestCertificates.with(other.getPrivate(), "SHA256withRSA"), "SHA256withRSA").build());
  }

  @Test
  void theSelfSignatureMustVerifyWithTheCertificatesOwnKey() throws Exception {
    refused(Reason.CERTIFICATE_SIGNATURE, TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(other.getPrivate(), "SHA256withRSA"), "SHA256withRSA").build());
    X509Certificate good = TestCertificates.keyTrust(UPN, key).build();
    byte[] der = good.getEncoded();
    der[der.length - 1] ^= 1; // the last signature byte
    X509Certificate tampered = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(der));
    refused(Reason.CERTIFICATE_SIGNATURE, tampered);
  }

  @Test
  void weakOrForeignSignatureAlgorithmsAreRefused() throws Exception {
    refused(Reason.SIGNATURE_ALGORITHM, TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "SHA1withRSA"), "SHA1withRSA").build());
    refused(Reason.SIGNATURE_ALGORITHM, TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "SHA1withRSAandMGF1"), "SHA1withRSAandMGF1").build());
    refused(Reason.SIGNATURE_ALGORITHM, TestCertificates.keyTrust(UPN, key)
        .signedBy(TestCertificates.with(key.getPrivate(), "MD5withRSA"), "MD5withRSA").build());
  }

  @Test
  void validityIsReportedAndEnforcedOnlyWhenAskedWithTheClockSkew() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate expired = TestCertificates.keyTrust(UPN, key)
        .validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))).build();
    KeyTrustCertificate.Checked lenient = KeyTrustCertificate.check(expired, now, SKEW, false);
    assertFalse(lenient.timeValid());
    KeyTrustException e = assertThrows(KeyTrustException.class,
        () -> KeyTrustCertificate.check(expired, now, SKEW, true));
    assertEquals(Reason.CERTIFICATE_VALIDITY, e.reason());

    X509Certificate notYet = TestCertificates.keyTrust(UPN, key)
        .validity(now.plus(Duration.ofMinutes(4)), now.plus(Duration.ofDays(1))).build();
    assertTrue(KeyTrustCertificate.check(notYet, now, SKEW, true).timeValid(), "within the skew");
    assertThrows(KeyTrustException.class, () -> KeyTrustCertificate.check(notYet, now, Duration.ZERO, true));
    X509Certificate justExpired = TestCertificates.keyTrust(UPN, key)
        .validity(now.minus(Duration.ofDays(1)), now.minus(Duration.ofMinutes(4))).build();
    assertTrue(KeyTrustCertificate.check(justExpired, now, SKEW, true).timeValid(), "within the skew");
    assertThrows(KeyTrustException.class, () -> KeyTrustCertificate.check(justExpired, now, Duration.ofMinutes(3),
        true));
  }
}
