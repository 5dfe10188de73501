package dev.ngc4j.provider.tpm.internal.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tss.tpm.TPMS_ID_OBJECT;

/**
 * The pure parts of the attestation package, on the statement captured from swtpm: the verifier-style statement
 * check (accepts the real statement, refuses each field changed), the stored statement's encoding, the credential
 * blob split and the DER trimming of an NV read.
 */
class TpmStructuresTest {
  private static byte[] certInfo = new byte[0];
  private static byte[] pubArea = new byte[0];
  private static byte[] sig = new byte[0];
  private static byte[] akPubArea = new byte[0];
  private static byte[] qualifyingData = new byte[0];

  @BeforeAll
  static void loadCapturedStatement() throws Exception {
    String json;
    try (InputStream in = TpmStructuresTest.class.getResourceAsStream(CapturedStatementTest.RESOURCE)) {
      json = new String(in == null ? new byte[0] : in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Map<?, ?> m = assertInstanceOf(Map.class, MiniJson.parse(json));
    certInfo = b64(m, "certInfo");
    pubArea = b64(m, "pubArea");
    sig = b64(m, "sig");
    akPubArea = b64(m, "akPubArea");
    qualifyingData = b64(m, "qualifyingData");
  }

  private static byte[] b64(Map<?, ?> m, String field) {
    return Base64.getDecoder().decode(assertInstanceOf(String.class, m.get(field)));
  }

  @Test
  void theCapturedStatementPassesTheChecksAndTheAkIsOneOfOurs() {
    PublicKey ak = TpmStructures.checkAk(akPubArea);
    TpmStructures.checkStatement(certInfo, pubArea, sig, qualifyingData, ak);
  }

  @Test
  void eachChangedFieldIsRefusedForItsOwnReason() {
    PublicKey ak = TpmStructures.checkAk(akPubArea);
    refused("magic", ak, c -> c[0] ^= 1, certInfo.clone(), pubArea, sig, qualifyingData);
    refused("type", ak, c -> c[5] ^= 1, certInfo.clone(), pubArea, sig, qualifyingData);
    byte[] otherData = qualifyingData.clone();
    otherData[0] ^= 1;
    refused("extraData", ak, c -> { }, certInfo.clone(), pubArea, sig, otherData);
    byte[] otherPub = pubArea.clone();
    otherPub[otherPub.length - 1] ^= 1;
    refused("certified name", ak, c -> { }, certInfo.clone(), otherPub, sig, qualifyingData);
    byte[] otherSig = sig.clone();
    otherSig[10] ^= 1;
    refused("signature", ak, c -> { }, certInfo.clone(), pubArea, otherSig, qualifyingData);
    refused("after its last field", ak, c -> { }, Arrays.copyOf(certInfo, certInfo.length + 1), pubArea, sig,
        qualifyingData);
    refused("truncated", ak, c -> { }, Arrays.copyOf(certInfo, certInfo.length - 40), pubArea, sig,
        qualifyingData);
    // The user key's public area is not an AK.
    assertThrows(IllegalArgumentException.class, () -> TpmStructures.checkAk(pubArea));
  }

  private static void refused(String reason, PublicKey ak, Consumer<byte[]> edit, byte[] info, byte[] pub,
      byte[] signature, byte[] data) {
    edit.accept(info);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TpmStructures.checkStatement(info, pub, signature, data, ak));
    assertTrue(String.valueOf(e.getMessage()).contains(reason), reason + ": " + e.getMessage());
  }

  @Test
  void theStoredStatementRoundTripsAndDamageIsReported() throws Exception {
    CertifiedKey k = new CertifiedKey(qualifyingData, certInfo, pubArea, sig, akPubArea);
    Path file = Path.of("attestation.ngc");
    byte[] encoded = k.encode();
    CertifiedKey back = CertifiedKey.decode(file, encoded);
    assertArrayEquals(qualifyingData, back.challenge());
    assertArrayEquals(certInfo, back.certInfo());
    assertArrayEquals(pubArea, back.pubArea());
    assertArrayEquals(sig, back.signature());
    assertArrayEquals(akPubArea, back.akPublicArea());
    for (int i : new int[] {0, 9, 20, encoded.length - 1}) {
      byte[] damaged = encoded.clone();
      damaged[i] ^= 1;
      ContainerCorruptedException e =
          assertThrows(ContainerCorruptedException.class, () -> CertifiedKey.decode(file, damaged));
      assertEquals(ErrorCode.CONTAINER_CORRUPTED, e.code());
    }
    assertThrows(ContainerCorruptedException.class,
        () -> CertifiedKey.decode(file, Arrays.copyOf(encoded, encoded.length - 1)));
  }

  @Test
  void aCredentialBlobIsSplitIntoItsHmacAndEncryptedIdentity() throws Exception {
    byte[] hmac = new byte[32];
    Arrays.fill(hmac, (byte) 7);
    byte[] identity = new byte[34];
    Arrays.fill(identity, (byte) 9);
    byte[] blob = new byte[2 + 32 + 34];
    blob[1] = 32;
    System.arraycopy(hmac, 0, blob, 2, 32);
    System.arraycopy(identity, 0, blob, 34, 34);
    TPMS_ID_OBJECT id = TpmKeyEnrollment.idObject(blob);
    assertArrayEquals(hmac, id.integrityHMAC);
    assertArrayEquals(identity, id.encIdentity);
    for (byte[] bad : new byte[][] {new byte[0], new byte[] {0, 32}, Arrays.copyOf(blob, 34), new byte[300]}) {
      NgcException e = assertThrows(NgcException.class, () -> TpmKeyEnrollment.idObject(bad));
      assertEquals(ErrorCode.ATTESTATION_INVALID, e.code());
    }
  }

  @Test
  void nvPaddingAfterTheCertificateIsCut() {
    byte[] der = {0x30, (byte) 0x82, 0x00, 0x03, 1, 2, 3};
    byte[] padded = Arrays.copyOf(der, 20);
    Arrays.fill(padded, der.length, padded.length, (byte) 0xFF);
    assertArrayEquals(der, TpmKeyEnrollment.trimDer(padded));
    assertArrayEquals(der, TpmKeyEnrollment.trimDer(der));
    byte[] notDer = {1, 2, 3};
    assertArrayEquals(notDer, TpmKeyEnrollment.trimDer(notDer));
  }
}
