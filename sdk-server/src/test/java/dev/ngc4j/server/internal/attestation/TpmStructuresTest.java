package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The strict TPMT_PUBLIC and TPMS_ATTEST readers. */
final class TpmStructuresTest {
  private static final SoftTpm TPM = new SoftTpm();

  @Test
  void aUserKeyPublicAreaParsesFieldByField() throws Exception {
    byte[] encoded = TPM.userPublic();
    assertEquals(280, encoded.length, "docs/tpm.md: the user key's TPMT_PUBLIC is 280 bytes");
    TpmPublicArea p = TpmPublicArea.parse(encoded);
    assertEquals(Tpm.ALG_SHA256, p.nameAlg());
    assertEquals(0x00040072, p.attributes());
    assertEquals(0, p.authPolicy().length);
    assertEquals(Tpm.ALG_NULL, p.symmetricAlg());
    assertEquals(Tpm.ALG_RSASSA, p.scheme());
    assertEquals(Tpm.ALG_SHA256, p.schemeHash());
    assertEquals(2048, p.keyBits());
    assertEquals(0, p.exponent());
    assertEquals(BigInteger.valueOf(65537), p.exponentValue());
    RSAPublicKey key = (RSAPublicKey) TPM.user.getPublic();
    assertEquals(key.getModulus(), p.modulus());
    assertTrue(p.holds(key));
    assertArrayEquals(encoded, p.encoded());
  }

  @Test
  void theNameIsTheAlgorithmIdAndSha256OfTheExactBytes() throws Exception {
    byte[] encoded = TPM.akPublic();
    byte[] name = TpmPublicArea.parse(encoded).name();
    assertEquals(34, name.length);
    assertEquals(0x00, name[0]);
    assertEquals(0x0B, name[1]);
    assertArrayEquals(SoftTpm.sha256(encoded), Arrays.copyOfRange(name, 2, 34));
  }

  @Test
  void anEkPublicAreaWithItsSymmetricAlgorithmAndPolicyParses() throws Exception {
    TpmPublicArea ek = TpmPublicArea.parse(TPM.ekPublic());
    assertEquals(0x000300B2, ek.attributes());
    assertArrayEquals(SoftTpm.EK_POLICY, ek.authPolicy());
    assertEquals(Tpm.ALG_AES, ek.symmetricAlg());
    assertEquals(128, ek.symmetricKeyBits());
    assertEquals(Tpm.ALG_CFB, ek.symmetricMode());
    assertEquals(Tpm.ALG_NULL, ek.scheme());
  }

  @Test
  void everyTruncationAndEveryTrailingByteIsRefused() {
    byte[] encoded = TPM.userPublic();
    for (int n = 0; n < encoded.length; n++) {
      byte[] cut = Arrays.copyOf(encoded, n);
      TpmFormatException e = assertThrows(TpmFormatException.class, () -> TpmPublicArea.parse(cut));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
    TpmFormatException e =
        assertThrows(TpmFormatException.class, () -> TpmPublicArea.parse(Arrays.copyOf(encoded, encoded.length + 1)));
    assertTrue(e.getMessage().contains("1 bytes left over"), e.getMessage());
  }

  @Test
  void anUnknownSchemeOrAnOversizedModulusIsRefused() {
    SoftTpm.PublicTemplate t = SoftTpm.userTemplate((RSAPublicKey) TPM.user.getPublic());
    t.scheme = 0x0099;
    assertThrows(TpmFormatException.class, () -> TpmPublicArea.parse(t.marshal()));
    SoftTpm.PublicTemplate big = SoftTpm.userTemplate((RSAPublicKey) TPM.user.getPublic());
    big.modulus = new byte[513];
    assertThrows(TpmFormatException.class, () -> TpmPublicArea.parse(big.marshal()));
    byte[] ecc = TPM.userPublic();
    ecc[1] = 0x23;
    TpmFormatException e = assertThrows(TpmFormatException.class, () -> TpmPublicArea.parse(ecc));
    assertTrue(e.getMessage().contains("ECC"), e.getMessage());
  }

  @Test
  void aCertifyAttestParsesAndIs173BytesWithA32ByteNonce() throws Exception {
    byte[] pub = TPM.userPublic();
    byte[] nonce = SoftTpm.sha256(new byte[] {1, 2, 3});
    byte[] encoded = TPM.certify(pub, nonce).marshal();
    assertEquals(173, encoded.length, "docs/tpm.md: the TPM's TPM2B_ATTEST body was 173 bytes");
    TpmAttest a = TpmAttest.parse(encoded);
    assertEquals(Tpm.GENERATED_VALUE, a.magic());
    assertEquals(Tpm.ST_ATTEST_CERTIFY, a.type());
    assertArrayEquals(nonce, a.extraData());
    assertArrayEquals(SoftTpm.name(pub), a.name());
    assertArrayEquals(SoftTpm.name(TPM.akPublic()), a.qualifiedSigner());
  }

  @Test
  void anAttestIsReadStrictly() throws Exception {
    byte[] encoded = TPM.certify(TPM.userPublic(), new byte[32]).marshal();
    for (int n = 0; n < encoded.length; n++) {
      byte[] cut = Arrays.copyOf(encoded, n);
      assertThrows(TpmFormatException.class, () -> TpmAttest.parse(cut));
    }
    assertThrows(TpmFormatException.class, () -> TpmAttest.parse(Arrays.copyOf(encoded, encoded.length + 1)));
    byte[] quote = encoded.clone();
    quote[5] = 0x18;
    assertThrows(TpmFormatException.class, () -> TpmAttest.parse(quote));
    SoftTpm.Attest bigData = TPM.certify(TPM.userPublic(), new byte[67]);
    assertThrows(TpmFormatException.class, () -> TpmAttest.parse(bigData.marshal()));
  }
}
