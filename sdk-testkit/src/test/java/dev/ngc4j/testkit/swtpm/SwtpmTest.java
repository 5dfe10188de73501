package dev.ngc4j.testkit.swtpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
  /** TPM_RC_AUTH_FAIL (0x08E) for the authorisation of session 1 (TPM_RC_S | TPM_RC_1). */
  private static final int RC_AUTH_FAIL_SESSION_1 = 0x98E;
  /** TPM_RC_LOCKOUT: the TPM is in dictionary-attack lockout. */
  private static final int RC_LOCKOUT = 0x921;
  /** TPM_RC_RETRY: send the command again (libtpms answers so when a DA-protected use must first be recorded). */
  private static final int RC_RETRY = 0x922;

  /** Sends a command and returns its response code, resending it (a few times) while the TPM answers RETRY. */
  private static int rcWithRetries(Swtpm tpm, byte[] command) throws IOException {
    int rc = RC_RETRY;
    for (int attempt = 0; attempt < 5 && rc == RC_RETRY; attempt++) {
      rc = TpmCommands.responseCode(tpm.sendCommand(command));
    }
    return rc;
  }

  /**
   * An owner NV index (0x01500000, 8 bytes) whose reads and writes need the password "test"; it is not NO_DA, so a
   * wrong password counts as a dictionary-attack failure (TPM 2.0 Part 1, 19.8).
   */
  private static final class PasswordNvIndex {
    static final int INDEX = 0x01500000;
    /** TPM2_NV_DefineSpace(TPM_RH_OWNER, auth "test", AUTHREAD | AUTHWRITE, SHA-256, 8 bytes), empty owner auth. */
    static final byte[] DEFINE = command(0x12A,
        u32(0x40000001),
        passwordSession(new byte[0]),
        u16(4), "test".getBytes(StandardCharsets.US_ASCII),
        u16(14), u32(INDEX), u16(0x000B), u32(0x00040004), u16(0), u16(8));
    /** TPM2_NV_Read(index, index, 8 bytes at 0) with the password "wrong". */
    static final byte[] WRONG_READ = command(0x14E,
        u32(INDEX), u32(INDEX),
        passwordSession("wrong".getBytes(StandardCharsets.US_ASCII)),
        u16(8), u16(0));

    private static byte[] command(int commandCode, byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(u16(0x8002)); // TPM_ST_SESSIONS
      out.writeBytes(u32(0)); // size, filled in below
      out.writeBytes(u32(commandCode));
      for (byte[] part : parts) {
        out.writeBytes(part);
      }
      byte[] b = out.toByteArray();
      System.arraycopy(u32(b.length), 0, b, 2, 4);
      return b;
    }

    /** An authorisation area with one password session (TPM_RS_PW). */
    private static byte[] passwordSession(byte[] password) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(u32(4 + 2 + 1 + 2 + password.length));
      out.writeBytes(u32(0x40000009));
      out.writeBytes(u16(0)); // no nonce
      out.write(0); // no session attributes
      out.writeBytes(u16(password.length));
      out.writeBytes(password);
      return out.toByteArray();
    }

    private static byte[] u16(int v) {
      return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] u32(int v) {
      return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
  }

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
  void relaxedDictionaryAttackLimitsLetManyWrongAuthorisationsThroughWithoutALockout(@TempDir Path dir)
      throws Exception {
    try (Swtpm tpm = Swtpm.start(dir)) {
      assertEquals(0, rcWithRetries(tpm, PasswordNvIndex.DEFINE), "TPM2_NV_DefineSpace");

      // A fresh TPM's limits: three wrong authorisations, and the fourth finds the TPM in lockout.
      for (int i = 0; i < 3; i++) {
        assertEquals(RC_AUTH_FAIL_SESSION_1, rcWithRetries(tpm, PasswordNvIndex.WRONG_READ));
      }
      assertEquals(RC_LOCKOUT, rcWithRetries(tpm, PasswordNvIndex.WRONG_READ));

      tpm.relaxDictionaryAttack();
      assertEquals(100, tpm.property(Swtpm.PT_MAX_AUTH_FAIL));
      assertEquals(1, tpm.property(Swtpm.PT_LOCKOUT_INTERVAL));
      assertEquals(1, tpm.property(Swtpm.PT_LOCKOUT_RECOVERY));
      assertEquals(0, tpm.property(Swtpm.PT_LOCKOUT_COUNTER), "the lockout is lifted and the counter cleared");

      for (int i = 0; i < 10; i++) {
        assertEquals(RC_AUTH_FAIL_SESSION_1, rcWithRetries(tpm, PasswordNvIndex.WRONG_READ),
            "wrong authorisation " + (i + 1) + " of 10 is refused as wrong, not as a lockout");
      }
      int failures = tpm.property(Swtpm.PT_LOCKOUT_COUNTER);
      assertTrue(failures > 0 && failures <= 10, "protection stays on: failures are still counted, " + failures);

      tpm.relaxDictionaryAttack();
      assertEquals(0, tpm.property(Swtpm.PT_LOCKOUT_COUNTER), "calling it again clears the counter again");
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
