package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * MakeCredential against TPM2_ActivateCredential's math done independently in {@link SoftTpm} (the real TPM is
 * exercised by the end-to-end test with swtpm).
 */
final class MakeCredentialTest {
  private static final SoftTpm TPM = new SoftTpm();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] akName() {
    return SoftTpm.name(TPM.akPublic());
  }

  @Test
  void theTpmSideRecoversTheCredential() throws Exception {
    for (int size : new int[] {1, 16, 32}) {
      byte[] secret = new byte[size];
      RANDOM.nextBytes(secret);
      MakeCredential.Blobs blobs = MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), secret, RANDOM);
      assertEquals(256, blobs.encryptedSecret().length, "RSA-2048 OAEP output");
      assertEquals(2 + 32 + 2 + size, blobs.credentialBlob().length, "TPM2B_DIGEST(hmac) || encIdentity");
      assertEquals(0, blobs.credentialBlob()[0]);
      assertEquals(32, blobs.credentialBlob()[1]);
      assertArrayEquals(secret, TPM.activateCredential(akName(), blobs.credentialBlob(), blobs.encryptedSecret()));
    }
  }

  @Test
  void anotherAkNameFailsTheIntegrityCheck() throws Exception {
    byte[] secret = new byte[32];
    MakeCredential.Blobs blobs = MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), secret, RANDOM);
    byte[] other = SoftTpm.name(TPM.userPublic());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TPM.activateCredential(other, blobs.credentialBlob(), blobs.encryptedSecret()));
    assertTrue(String.valueOf(e.getMessage()).contains("INTEGRITY"), e.getMessage());
  }

  @Test
  void anotherEkCannotOpenTheSeed() throws Exception {
    SoftTpm other = new SoftTpm();
    MakeCredential.Blobs blobs =
        MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), new byte[32], RANDOM);
    assertThrows(IllegalStateException.class,
        () -> other.activateCredential(akName(), blobs.credentialBlob(), blobs.encryptedSecret()));
  }

  @Test
  void aTamperedBlobFailsTheIntegrityCheck() throws Exception {
    MakeCredential.Blobs blobs =
        MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), new byte[32], RANDOM);
    byte[] blob = blobs.credentialBlob();
    blob[blob.length - 1] ^= 1;
    assertThrows(IllegalStateException.class,
        () -> TPM.activateCredential(akName(), blob, blobs.encryptedSecret()));
  }

  @Test
  void eachCallUsesAFreshSeed() throws Exception {
    byte[] secret = new byte[32];
    MakeCredential.Blobs a = MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), secret, RANDOM);
    MakeCredential.Blobs b = MakeCredential.make((RSAPublicKey) TPM.ek.getPublic(), akName(), secret, RANDOM);
    assertFalse(Arrays.equals(a.credentialBlob(), b.credentialBlob()));
    assertFalse(Arrays.equals(a.encryptedSecret(), b.encryptedSecret()));
  }

  @Test
  void theCredentialSizeIsBounded() {
    RSAPublicKey ek = (RSAPublicKey) TPM.ek.getPublic();
    assertThrows(IllegalArgumentException.class, () -> MakeCredential.make(ek, akName(), new byte[0], RANDOM));
    assertThrows(IllegalArgumentException.class, () -> MakeCredential.make(ek, akName(), new byte[33], RANDOM));
  }
}
