package dev.ngc4j.provider.tpm.internal.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AttestationFormat;
import dev.ngc4j.api.AttestationStatement;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import tss.TpmBuffer;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMS_ATTEST;
import tss.tpm.TPMS_CERTIFY_INFO;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMT_PUBLIC;

/**
 * Checks a TPM statement the way the service's verifier does (docs: WebAuthn "tpm" rules plus ngc4j's own), parsed
 * independently of the code under test with TSS.Java's structures: certInfo is exactly one TPMS_ATTEST with magic
 * TPM_GENERATED_VALUE, type TPM_ST_ATTEST_CERTIFY, extraData = the qualifying data and certified name {@code 0x000B
 * || SHA-256(pubArea)}; pubArea is exactly one TPMT_PUBLIC of an ngc4j user key (attributes 0x00040072, RSA-2048,
 * SHA-256 names, empty policy) holding the credential key; the signature is RSASSA-PKCS1-v1_5 SHA-256 over the exact
 * certInfo bytes by the first certificate's key.
 */
final class StatementAssertions {
  static final int USER_KEY_ATTRIBUTES = 0x00040072;

  private StatementAssertions() {}

  static void assertVerifies(byte[] certInfo, byte[] pubArea, byte[] signature, PublicKey akKey,
      byte[] qualifyingData, PublicKey credentialKey) throws Exception {
    TpmBuffer buf = new TpmBuffer(certInfo);
    TPMS_ATTEST attest = TPMS_ATTEST.fromTpm(buf);
    assertEquals(certInfo.length, buf.curPos(), "certInfo is exactly one TPMS_ATTEST");
    assertEquals(0xFF544347, attest.magic.toInt(), "magic TPM_GENERATED_VALUE");
    assertEquals(0x8017, attest.type().toInt(), "type TPM_ST_ATTEST_CERTIFY");
    assertArrayEquals(qualifyingData, attest.extraData, "extraData is the qualifying data");
    TPMS_CERTIFY_INFO info = assertInstanceOf(TPMS_CERTIFY_INFO.class, attest.attested);
    byte[] name = new byte[34];
    name[1] = 0x0B;
    System.arraycopy(MessageDigest.getInstance("SHA-256").digest(pubArea), 0, name, 2, 32);
    assertArrayEquals(name, info.name, "the certified name is 0x000B || SHA-256(pubArea)");

    TpmBuffer pb = new TpmBuffer(pubArea);
    TPMT_PUBLIC pub = TPMT_PUBLIC.fromTpm(pb);
    assertEquals(pubArea.length, pb.curPos(), "pubArea is exactly one TPMT_PUBLIC");
    assertEquals(0x000B, pub.nameAlg.toInt(), "pubArea's name algorithm is SHA-256");
    assertEquals(USER_KEY_ATTRIBUTES, pub.objectAttributes.toInt(), "pubArea has the user key's attributes");
    assertEquals(0, pub.authPolicy.length, "the user key has no policy");
    TPMS_RSA_PARMS rsa = assertInstanceOf(TPMS_RSA_PARMS.class, pub.parameters);
    assertEquals(2048, rsa.keyBits);
    assertTrue(rsa.exponent == 0 || rsa.exponent == 65537, "exponent 65537");
    byte[] modulus = assertInstanceOf(TPM2B_PUBLIC_KEY_RSA.class, pub.unique).buffer;
    RSAPublicKey credential = assertInstanceOf(RSAPublicKey.class, credentialKey);
    assertEquals(credential.getModulus(), new BigInteger(1, modulus), "pubArea holds the credential key");
    assertEquals(BigInteger.valueOf(65537), credential.getPublicExponent());

    assertEquals(256, signature.length, "an RSA-2048 signature");
    Signature v = Signature.getInstance("SHA256withRSA");
    v.initVerify(akKey);
    v.update(certInfo);
    assertTrue(v.verify(signature), "the AK's signature over the exact certInfo bytes verifies");
  }

  static void assertVerifies(AttestationStatement s, byte[] qualifyingData, PublicKey credentialKey)
      throws Exception {
    assertEquals(AttestationFormat.TPM, s.format());
    assertVerifies(s.certifiedKey().toByteArray(), s.keyPublicArea().toByteArray(), s.signature().toByteArray(),
        s.certificateChain().get(0).getPublicKey(), qualifyingData, credentialKey);
  }
}
