package dev.ngc4j.provider.tpm.internal.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.FramedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The attestation files written before the storage code moved to provider-support (src/test/resources/format-v1)
 * read with the current code and re-encode to exactly the same bytes.
 */
class AttestationFormatCompatibilityTest {
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AttestationFormatCompatibilityTest.class.getResourceAsStream("/format-v1/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  @Test
  void theCertifiedKeyStatementReencodesToTheSameBytes() throws Exception {
    byte[] data = resource("containers/alice-1/" + TpmAttestor.CERTIFIED_KEY_FILE);
    CertifiedKey k = CertifiedKey.decode(Path.of(TpmAttestor.CERTIFIED_KEY_FILE), data);
    assertArrayEquals(new byte[32], k.challenge());
    assertArrayEquals(data, k.encode());
  }

  @Test
  void theAttestationKeyAndItsChainReadAsTheStoreReadsThemAndReencodeToTheSameBytes() throws Exception {
    Path akFile = Path.of(AttestationKeyStore.AK_FILE);
    byte[] ak = resource("attestation/" + AttestationKeyStore.AK_FILE);
    AttestationFiles.Reader r =
        new AttestationFiles.Reader(akFile, FramedFile.open(akFile, ak, "NGC4JAKB", 1, "x").body(), "x");
    byte[] srkName = r.bytes("the SRK name", 64);
    byte[] publicArea = r.bytes("the public area", 4096);
    byte[] privateArea = r.bytes("the private area", 4096);
    r.end();
    TpmStructures.rsaKey(publicArea);
    assertArrayEquals(ak, FramedFile.seal("NGC4JAKB", 1,
        new ByteWriter().bytes(srkName).bytes(publicArea).bytes(privateArea).toByteArray()));

    Path chainFile = Path.of(AttestationKeyStore.CHAIN_FILE);
    byte[] chain = resource("attestation/" + AttestationKeyStore.CHAIN_FILE);
    AttestationFiles.Reader c =
        new AttestationFiles.Reader(chainFile, FramedFile.open(chainFile, chain, "NGC4JAKC", 1, "x").body(), "x");
    byte[] akName = c.bytes("the AK name", 64);
    assertArrayEquals(AttestationFiles.sha256Name(publicArea), akName, "the chain is for this AK");
    int count = c.u8("the certificate count");
    assertEquals(2, count);
    ByteWriter w = new ByteWriter().bytes(akName).u8(count);
    for (int i = 0; i < count; i++) {
      w.bytes(c.bytes("certificate " + i, 16 * 1024));
    }
    c.end();
    assertArrayEquals(chain, FramedFile.seal("NGC4JAKC", 1, w.toByteArray()));
  }
}
