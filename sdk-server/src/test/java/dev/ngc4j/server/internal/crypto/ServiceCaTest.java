package dev.ngc4j.server.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.server.internal.util.Guids;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

final class ServiceCaTest {
  private static final Instant NOW = Instant.parse("2026-11-22T05:00:00Z");

  @Test
  void theCaIsASelfSignedCaCertificateThatSurvivesEncoding() throws Exception {
    ServiceCa ca = ServiceCa.decode(ServiceCa.newEncoded(NOW));
    X509Certificate cert = ca.certificate();
    cert.verify(cert.getPublicKey());
    assertEquals(0, cert.getBasicConstraints());
    assertTrue(cert.getKeyUsage()[5], "keyCertSign");
    assertTrue(cert.getNotAfter().toInstant().isAfter(NOW.plus(Duration.ofDays(365L * 20))));
  }

  @Test
  void aDeviceCertificateCarriesTheEntraExtensions() throws Exception {
    ServiceCa ca = ServiceCa.decode(ServiceCa.newEncoded(NOW));
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    var device = g.generateKeyPair();
    UUID deviceId = UUID.randomUUID();
    UUID userId = UUID.randomUUID();
    UUID tenantId = UUID.randomUUID();
    X509Certificate cert = ServiceCa.certificate(ca.issueDevice(
        SubjectPublicKeyInfo.getInstance(device.getPublic().getEncoded()), deviceId, userId, tenantId, true, NOW,
        Duration.ofDays(3650)));
    cert.verify(ca.certificate().getPublicKey());
    assertEquals("CN=" + deviceId, cert.getSubjectX500Principal().getName());
    assertEquals(device.getPublic(), cert.getPublicKey());
    assertEquals(-1, cert.getBasicConstraints());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
    assertArrayEquals(Guids.windowsBytes(deviceId), octets(cert, ServiceCa.OID_DEVICE_ID));
    assertArrayEquals(Guids.windowsBytes(userId), octets(cert, ServiceCa.OID_USER_ID));
    assertArrayEquals(Guids.windowsBytes(tenantId), octets(cert, ServiceCa.OID_TENANT_ID));
    assertEquals("1", new String(octets(cert, ServiceCa.OID_JOIN_TYPE), StandardCharsets.US_ASCII));
    assertEquals(2, octets(cert, ServiceCa.OID_REGION).length);
    assertTrue(cert.getNotAfter().toInstant().isAfter(NOW.plus(Duration.ofDays(3640))));
    assertFalse(cert.getCriticalExtensionOIDs().contains(ServiceCa.OID_DEVICE_ID));
  }

  private static byte[] octets(X509Certificate cert, String oid) {
    byte[] extnValue = cert.getExtensionValue(oid); // DER OCTET STRING wrapping the extension's value
    ASN1OctetString outer = ASN1OctetString.getInstance(extnValue);
    return ASN1OctetString.getInstance(outer.getOctets()).getOctets();
  }
}
