package dev.ngc4j.testkit.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwtpmTest {
  /** TPM2_GetRandom(16), no sessions. */
  private static final byte[] GET_RANDOM_16 = {
    (byte) 0x80, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x01, 0x7b, 0x00, 0x10
  };

  @Test
  void aStartedTpmAnswersRawCommandsAndStopsLeavingNothingRunning(@TempDir Path dir) throws Exception {
    Swtpm tpm = Swtpm.start(dir);
    long pid = tpm.pid();
    int port = tpm.port();
    try {
      assertTrue(tpm.isRunning());
      assertEquals("127.0.0.1", tpm.host());
      assertEquals(port + 1, tpm.controlPort());
      assertEquals("tcp:127.0.0.1:" + port, tpm.deviceSpec());
      byte[] response = tpm.sendCommand(GET_RANDOM_16);
      assertEquals(10 + 2 + 16, response.length);
      assertEquals(0, TpmCommands.responseCode(response));
      assertTrue(tpm.property(Swtpm.PT_HR_TRANSIENT_MIN) >= 3);
      assertEquals(0, tpm.property(Swtpm.PT_LOCKOUT_COUNTER));
    } finally {
      tpm.close();
    }
    assertFalse(tpm.isRunning());
    assertFalse(Swtpm.isSwtpm(pid), "the daemon is gone after close");
    assertFalse(Files.exists(dir.resolve("swtpm.pid")));
    assertThrows(IOException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1000);
      }
    }, "nothing listens on the data port any more");
    tpm.close();
  }

  @Test
  void theEkCertificateChainsToTheLocalCaRoot(@TempDir Path dir) throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      X509Certificate root = tpm.ekRootCertificate();
      X509Certificate issuer = tpm.ekIssuerCertificate();
      X509Certificate ek = tpm.ekCertificate();
      root.verify(root.getPublicKey());
      issuer.verify(root.getPublicKey());
      ek.verify(issuer.getPublicKey());
      assertTrue(issuer.getSubjectX500Principal().getName().contains("swtpm-localca"));
      assertEquals("RSA", ek.getPublicKey().getAlgorithm());
      assertTrue(ek.getExtendedKeyUsage().contains("2.23.133.8.1"), "EK certificate EKU");
    }
  }

  @Test
  void instancesRunSideBySideAndANewEndorsementKeyHasItsOwnCertificateFromTheSameRoot(
      @TempDir Path a, @TempDir Path b) throws Exception {
    try (Swtpm first = Swtpm.start(a); Swtpm second = Swtpm.startWithNewEndorsementKey(b)) {
      assertNotEquals(first.port(), second.port());
      assertNotEquals(first.pid(), second.pid());
      assertEquals(0, TpmCommands.responseCode(first.sendCommand(GET_RANDOM_16)));
      assertEquals(0, TpmCommands.responseCode(second.sendCommand(GET_RANDOM_16)));
      assertArrayEquals(first.ekRootCertificate().getEncoded(), second.ekRootCertificate().getEncoded());
      assertNotEquals(first.ekCertificate().getPublicKey(), second.ekCertificate().getPublicKey());
      second.ekCertificate().verify(second.ekIssuerCertificate().getPublicKey());
    }
  }

  @Test
  void dictionaryAttackParametersCanBeSetAndTheCounterReset(@TempDir Path dir) throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      assertEquals(3, tpm.property(Swtpm.PT_MAX_AUTH_FAIL), "libtpms default");
      tpm.setDictionaryAttackParameters(7, 60, 30);
      assertEquals(7, tpm.property(Swtpm.PT_MAX_AUTH_FAIL));
      assertEquals(60, tpm.property(Swtpm.PT_LOCKOUT_INTERVAL));
      tpm.resetDictionaryAttack();
      assertEquals(0, tpm.property(Swtpm.PT_LOCKOUT_COUNTER));
    }
  }

  @Test
  void aKilledTpmIsGoneAndCloseAfterwardsIsHarmless(@TempDir Path dir) throws Exception {
    Swtpm tpm = Swtpm.start(dir);
    tpm.kill();
    assertFalse(tpm.isRunning());
    assertThrows(IOException.class, () -> tpm.sendCommand(GET_RANDOM_16));
    tpm.close();
  }

  @Test
  void aSuspendedTpmTimesOutAndAnswersAgainWhenResumed(@TempDir Path dir) throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      tpm.suspend();
      long start = System.nanoTime();
      assertThrows(IOException.class, () -> tpm.sendCommand(GET_RANDOM_16));
      assertTrue(System.nanoTime() - start < 15_000_000_000L, "the harness's I/O timeout bounds the wait");
      tpm.resume();
      assertEquals(0, TpmCommands.responseCode(tpm.sendCommand(GET_RANDOM_16)));
    }
  }

  @Test
  void theInstallHintNamesTheDebianPackages() {
    assertTrue(Swtpm.INSTALL_HINT.contains("apt-get install swtpm swtpm-tools"));
    assertEquals(List.of("swtpm", "swtpm_setup", "swtpm_localca", "certtool"), Swtpm.TOOLS);
  }
}
