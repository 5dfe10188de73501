package dev.ngc4j.server.internal.attestation;

import dev.ngc4j.server.internal.util.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The mutation suite on a statement a real TPM produced: {@code attestation/tpm-statement.json}, captured from
 * swtpm through provider-tpm's public API by its {@code CapturedStatementTest} (the same file is committed in
 * provider-tpm's test resources, where its format is documented and from where it is regenerated). Its
 * certInfo, pubArea and signature are exactly what TPM2_Certify returned; the AK's public key is taken from the
 * AIK certificate captured with it, and a test AIK CA re-certifies that key with the service's profile.
 */
final class CapturedTpmAttestationMutationTest extends TpmAttestationMutationSuite {
  private static final Baseline BASELINE = load();

  private static Baseline load() {
    try (InputStream in = Objects.requireNonNull(
        CapturedTpmAttestationMutationTest.class.getResourceAsStream("/attestation/tpm-statement.json"),
        "attestation/tpm-statement.json is missing from the test resources")) {
      Map<String, Object> json = Json.parseObject(in.readAllBytes());
      List<?> x5c = (List<?>) Objects.requireNonNull(json.get("x5c"), "x5c");
      X509Certificate aik = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(b64(x5c.get(0))));
      PublicKey credentialKey = KeyFactory.getInstance("RSA")
          .generatePublic(new X509EncodedKeySpec(b64(json.get("credentialPublicKey"))));
      return captured(b64(json.get("certInfo")), b64(json.get("pubArea")), b64(json.get("sig")),
          aik.getPublicKey(), credentialKey, b64(json.get("qualifyingData")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("attestation/tpm-statement.json does not parse", e);
    }
  }

  private static byte[] b64(@org.jspecify.annotations.Nullable Object value) {
    return Base64.getDecoder().decode((String) Objects.requireNonNull(value, "a field of the captured statement"));
  }

  @Override
  protected Baseline baseline() {
    return BASELINE;
  }
}
