package dev.ngc4j.core.wycheproof;

import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.core.SignatureVerifier;
import dev.ngc4j.core.wycheproof.VectorPolicy.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Wycheproof RS256 and PS256 verification vectors through {@link SignatureVerifier}. Each file gives one
 * test per vector, named {@code tcId <n> <comment> <flags>}, and a final summary test named with the expected
 * counts. The vectors are read from the shared folder at run time (see {@link VectorDirectory}).
 */
class WycheproofRsaSignatureTest {

  private static final String KEY_POLICY_EXPONENT =
      "SignatureVerifier refuses public exponents below 65537 (NIST SP 800-56B rev. 2 requires e > 2^16)";

  /**
   * RSASSA-PKCS1-v1_5 with SHA-256. The one flag labelled acceptable is decided here; the two valid vectors whose
   * key has e = 3 are refused by our key policy before any signature is checked.
   */
  static final VectorPolicy PKCS1_POLICY =
      new VectorPolicy(
          Map.of(
              "MissingNull",
              Decision.accept(
                  "SunRsaSign accepts a DigestInfo without the NULL parameter for compatibility; the note rates it"
                      + " LEGACY, not a forgery, and our signers never produce it")),
          Map.of("SmallPublicKey", KEY_POLICY_EXPONENT));

  /** RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt: the file labels nothing acceptable and uses only e = 65537. */
  static final VectorPolicy PSS_POLICY = new VectorPolicy(Map.of(), Map.of());

  @TestFactory
  List<DynamicTest> rsaSignature2048Sha256VectorsVerifyThroughSignatureVerifier() {
    return VectorDirectory.testsFor(
        "rsa_signature_2048_sha256_test.json",
        path ->
            RsaVerifySuite.dynamicTests(
                RsaVerifyVectors.read(path, "RSASSA-PKCS1-v1_5", Map.of("sha", "SHA-256")),
                SignatureAlgorithm.RSA_PKCS1_SHA256,
                PKCS1_POLICY));
  }

  @TestFactory
  List<DynamicTest> rsaPss2048Sha256Mgf1Salt32VectorsVerifyThroughSignatureVerifier() {
    return VectorDirectory.testsFor(
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        path ->
            RsaVerifySuite.dynamicTests(
                RsaVerifyVectors.read(
                    path, "RSASSA-PSS", Map.of("sha", "SHA-256", "mgf", "MGF1", "mgfSha", "SHA-256", "sLen", "32")),
                SignatureAlgorithm.RSA_PSS_SHA256,
                PSS_POLICY));
  }
}
