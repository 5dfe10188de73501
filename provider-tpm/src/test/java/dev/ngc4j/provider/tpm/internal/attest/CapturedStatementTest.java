package dev.ngc4j.provider.tpm.internal.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AttestationStatement;
import dev.ngc4j.api.Bytes;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.tpm.internal.TpmSession;
import dev.ngc4j.provider.tpm.internal.TpmTestSupport;
import dev.ngc4j.spi.AttestationKeyEnrollment;
import dev.ngc4j.spi.Attestor;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.ScriptedGestures;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPML_TAGGED_TPM_PROPERTY;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_CAP;

/**
 * A statement captured from a real TPM (swtpm), kept as {@value #RESOURCE} for the service's verifier tests (its
 * mutation suite edits a real TPMS_ATTEST and TPMT_PUBLIC rather than ones made in software). The format is
 * documented in {@code src/test/resources/attestation/README.md}.
 *
 * <p>Run with {@code -D}{@value #CAPTURE_PROPERTY}{@code =true} to capture a fresh statement from swtpm and write
 * it to {@code src/test/resources/attestation/} (then commit it); otherwise the committed file is checked: it
 * parses, and the statement verifies with the rules of the service's verifier.
 */
class CapturedStatementTest {
  static final String RESOURCE = "/attestation/tpm-statement.json";
  static final String CAPTURE_PROPERTY = "ngc4j.captureStatement";
  private static final Logger log = LoggerFactory.getLogger(CapturedStatementTest.class);

  @TempDir Path dir;

  @Test
  void theCapturedStatementParsesAndVerifies() throws Exception {
    String json;
    if (Boolean.getBoolean(CAPTURE_PROPERTY)) {
      json = capture();
      Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
          .resolve("src/test/resources" + RESOURCE);
      Files.createDirectories(target.getParent());
      Files.writeString(target, json, StandardCharsets.UTF_8);
      log.info("captured a TPM statement from swtpm into {}", target);
    } else {
      try (InputStream in = CapturedStatementTest.class.getResourceAsStream(RESOURCE)) {
        assertNotNull(in, RESOURCE + " is missing; capture one with -D" + CAPTURE_PROPERTY + "=true");
        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    check(json);
  }

  @Test
  void theCheckRefusesAStatementWithAChangedField() throws Exception {
    String json;
    try (InputStream in = CapturedStatementTest.class.getResourceAsStream(RESOURCE)) {
      assertNotNull(in, RESOURCE + " is missing");
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<?, ?> m = assertInstanceOf(Map.class, MiniJson.parse(json));
    for (String field : List.of("certInfo", "pubArea", "sig", "qualifyingData")) {
      byte[] changed = b64(m, field);
      changed[changed.length - 1] ^= 1;
      String edited = json.replace(str(m, field), Base64.getEncoder().encodeToString(changed));
      assertThrows(AssertionError.class, () -> check(edited), field);
    }
  }

  /** Checks a captured statement file: every field present and the statement verifying as the service would. */
  static void check(String json) throws Exception {
    Map<?, ?> m = assertInstanceOf(Map.class, MiniJson.parse(json));
    assertEquals(1L, m.get("formatVersion"));
    assertEquals("tpm", m.get("fmt"));
    String nonce = str(m, "nonce");
    byte[] qualifyingData = b64(m, "qualifyingData");
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8)),
        qualifyingData, "qualifyingData = SHA-256(UTF-8 nonce), as Ngc4j.provision computes it");
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (Object der : assertInstanceOf(List.class, m.get("x5c"))) {
      chain.add((X509Certificate) f.generateCertificate(
          new ByteArrayInputStream(Base64.getDecoder().decode(assertInstanceOf(String.class, der)))));
    }
    assertEquals(2, chain.size(), "AK certificate, test AIK CA");
    byte[] akPubArea = b64(m, "akPubArea");
    assertEquals(0x00050472, TPMT_PUBLIC.fromBytes(akPubArea).objectAttributes.toInt(), "a restricted signing AK");
    PublicKey akKey = TpmStructures.rsaKey(akPubArea);
    assertTrue(TpmStructures.sameRsaKey(akKey, chain.get(0).getPublicKey()), "x5c[0] certifies the AK");
    assertTrue(chain.get(0).getExtendedKeyUsage().contains(TestAikCa.AIK_EKU));
    assertEquals(0, chain.get(0).getSubjectX500Principal().getEncoded().length - 2, "empty AIK subject");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain.get(1), null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(Instant.parse(str(m, "capturedAt"))));
    CertPathValidator.getInstance("PKIX").validate(f.generateCertPath(chain.subList(0, 1)), params);

    PublicKey credential = KeyFactory.getInstance("RSA").generatePublic(
        new X509EncodedKeySpec(b64(m, "credentialPublicKey")));
    StatementAssertions.assertVerifies(b64(m, "certInfo"), b64(m, "pubArea"), b64(m, "sig"), akKey, qualifyingData,
        credential);

    X509Certificate ek = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(b64(m, "ekCertificate")));
    assertTrue(TpmStructures.sameRsaKey(ek.getPublicKey(), TpmStructures.rsaKey(b64(m, "ekPubArea"))),
        "the EK certificate certifies the EK public area");
    X509Certificate ekIssuer = (X509Certificate) f.generateCertificate(
        new ByteArrayInputStream(b64(m, "ekIssuerCertificate")));
    X509Certificate ekRoot = (X509Certificate) f.generateCertificate(
        new ByteArrayInputStream(b64(m, "ekRootCertificate")));
    PKIXParameters ekParams = new PKIXParameters(Set.of(new TrustAnchor(ekRoot, null)));
    ekParams.setRevocationEnabled(false);
    ekParams.setDate(Date.from(Instant.parse(str(m, "capturedAt"))));
    CertPathValidator.getInstance("PKIX").validate(f.generateCertPath(List.of(ek, ekIssuer)), ekParams);
  }

  private static byte[] b64(Map<?, ?> m, String field) {
    return Base64.getDecoder().decode(str(m, field));
  }

  private static String str(Map<?, ?> m, String field) {
    if (!(m.get(field) instanceof String s)) {
      throw new AssertionError(field + " is missing or not a string");
    }
    return s;
  }

  /** Captures a statement from a fresh swtpm through the provider's public API. */
  private String capture() throws Exception {
    Base64.Encoder b64 = Base64.getEncoder();
    try (Swtpm tpm = Swtpm.start(dir.resolve("tpm"))) {
      tpm.relaxDictionaryAttack();
      ProviderSession session = dev.ngc4j.provider.tpm.TpmCredentialProvider.builder()
          .device(tpm.deviceSpec()).maxAttempts(TpmTestSupport.MAX_ATTEMPTS)
          .commandTimeout(TpmTestSupport.COMMAND_TIMEOUT).build()
          .open(new ProviderContext(dir.resolve("data"), Clock.systemUTC(), Map.of()));
      try {
        Attestor attestor = session.attestor().orElseThrow();
        AttestationKeyEnrollment enrollment = attestor.keyEnrollment().orElseThrow();
        byte[] akPubArea = enrollment.attestationKeyPublicArea().toByteArray();
        TestAikCa ca = TestAikCa.create("ngc4j test AIK CA (captured statement)", Duration.ofDays(365L * 30));
        List<X509Certificate> chain = List.of(ca.issueAik(TpmStructures.rsaKey(akPubArea)), ca.certificate);
        enrollment.installCertificateChain(chain);

        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        String nonce = "ngc4j-captured-" + HexFormat.of().formatHex(random);
        byte[] qualifyingData = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.UTF_8));
        KeyContainer container;
        try (PooledKey key = session.keySource().generate()) {
          container = session.containers().create(new ContainerSpec(ContainerId.of("captured"),
              UserPrincipal.of("captured@example.com"), ProtectorSpec.pin(), PinPolicy.defaults(),
              Optional.of(Bytes.of(qualifyingData))), key, ScriptedGestures.create().pin("739182".toCharArray()));
        }
        AttestationStatement s = attestor.attest(container, Bytes.of(qualifyingData));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("description", "A TPM2_Certify attestation statement captured from a real software TPM (swtpm) by "
            + "provider-tpm's CapturedStatementTest; binary fields are standard base64 with padding. See README.md "
            + "in this directory for every field.");
        out.put("formatVersion", 1);
        out.put("capturedAt", Instant.now().toString());
        out.put("tpm", describe(session));
        out.put("fmt", s.format().id());
        out.put("nonce", nonce);
        out.put("qualifyingData", b64.encodeToString(qualifyingData));
        out.put("certInfo", b64.encodeToString(s.certifiedKey().toByteArray()));
        out.put("pubArea", b64.encodeToString(s.keyPublicArea().toByteArray()));
        out.put("sig", b64.encodeToString(s.signature().toByteArray()));
        out.put("akPubArea", b64.encodeToString(akPubArea));
        List<String> x5c = new ArrayList<>();
        for (X509Certificate c : s.certificateChain()) {
          x5c.add(b64.encodeToString(c.getEncoded()));
        }
        out.put("x5c", x5c);
        out.put("credentialPublicKey", b64.encodeToString(container.publicKey().getEncoded()));
        out.put("ekCertificate", b64.encodeToString(enrollment.endorsementCertificate().toByteArray()));
        out.put("ekPubArea", b64.encodeToString(enrollment.endorsementKeyPublicArea().toByteArray()));
        out.put("ekIssuerCertificate", b64.encodeToString(tpm.ekIssuerCertificate().getEncoded()));
        out.put("ekRootCertificate", b64.encodeToString(tpm.ekRootCertificate().getEncoded()));
        return MiniJson.write(out);
      } finally {
        session.close();
      }
    }
  }

  /** The TPM's manufacturer, vendor string and firmware version properties. */
  private static String describe(ProviderSession session) throws Exception {
    return ((TpmSession) session).connection().call("reading TPM properties", t -> {
      GetCapabilityResponse r = t._allowErrors().GetCapability(TPM_CAP.TPM_PROPERTIES, 0x105, 10);
      Map<Integer, Integer> p = new LinkedHashMap<>();
      for (var tp : ((TPML_TAGGED_TPM_PROPERTY) r.capabilityData).tpmProperty) {
        p.put(tp.property.toInt(), tp.value);
      }
      return "swtpm: manufacturer '" + ascii(p.getOrDefault(0x105, 0)) + "', vendor '" + ascii(p.getOrDefault(0x106, 0))
          + "', firmware 0x" + Integer.toHexString(p.getOrDefault(0x10B, 0)) + "."
          + Integer.toHexString(p.getOrDefault(0x10C, 0));
    });
  }

  private static String ascii(int v) {
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    return new String(b, StandardCharsets.US_ASCII).replace("\0", "").trim();
  }
}
