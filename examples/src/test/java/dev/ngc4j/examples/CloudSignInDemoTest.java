package dev.ngc4j.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo runs the real cloud flow against the service over HTTPS. */
class CloudSignInDemoTest {
  @TempDir Path dataDirectory;

  static String run(Path dir, boolean temporary, CloudSignInDemo.Result[] out) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      out[0] = CloudSignInDemo.run(dir, temporary, ps);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDemoJoinsProvisionsSignsInRenewsAndCleansUp() throws Exception {
    CloudSignInDemo.Result[] r = new CloudSignInDemo.Result[1];
    String printed = run(dataDirectory, false, r);
    CloudSignInDemo.Result result = r[0];
    assertAll(
        () -> assertTrue(result.succeeded(), result + "\n" + printed),
        () -> assertEquals("software", result.providerId()),
        () -> assertTrue(result.registered(), "the directory has the key for this device"),
        () -> assertTrue(result.signedIn(), "the PRT carries an MFA claim"),
        () -> assertTrue(result.renewed(), "renewal gave a new token with the same session key"),
        () -> assertEquals(ErrorCode.WRONG_GESTURE, result.wrongPinCode()),
        () -> assertTrue(result.prtPresent() && result.allChecksPassed(), printed),
        () -> assertTrue(printed.contains("Service: https://127.0.0.1:"), printed),
        () -> assertTrue(printed.contains("claim upn = alice@contoso.example"), printed),
        () -> assertTrue(printed.contains("lifetime 14 days"), printed),
        () -> assertTrue(printed.contains("PrtPresent : YES"), printed),
        () -> assertTrue(printed.contains("Demo finished: OK"), printed),
        () -> assertFalse(printed.contains("482915"), "the PIN is never printed"),
        () -> assertFalse(printed.contains("correct horse"), "the password is never printed"));
  }

  @Test
  void aSecondRunInTheSameDirectoryReusesTheServiceAndTheJoinedDevice() throws Exception {
    CloudSignInDemo.Result[] first = new CloudSignInDemo.Result[1];
    CloudSignInDemo.Result[] second = new CloudSignInDemo.Result[1];
    String p1 = run(dataDirectory, false, first);
    String p2 = run(dataDirectory, false, second);
    assertTrue(first[0].succeeded(), p1);
    assertTrue(second[0].succeeded(), p2);
    assertEquals(first[0].deviceId(), second[0].deviceId(), "the device stays joined across runs");
  }

  @Test
  void aTemporaryDirectoryIsDeleted() throws Exception {
    Path tmp = Files.createTempDirectory(dataDirectory, "t");
    CloudSignInDemo.Result[] r = new CloudSignInDemo.Result[1];
    String printed = run(tmp, true, r);
    assertTrue(r[0].succeeded(), printed);
    assertFalse(Files.exists(tmp));
  }
}
