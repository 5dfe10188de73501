package dev.ngc4j.examples;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ProvisionAndSignDemoTest {
  private static final Pattern NGC_SET_YES = Pattern.compile("(?m)^\\s*NgcSet : YES$");

  @TempDir Path dataDirectory;

  @Test
  void demoProvisionsSignsVerifiesAndRemovesTheCredential() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ProvisionAndSignDemo.Result result;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      result = ProvisionAndSignDemo.run(dataDirectory, out);
    }
    String printed = buffer.toString(StandardCharsets.UTF_8);

    assertAll(
        () -> assertEquals("software", result.providerId()),
        () -> assertTrue(result.rs256Verified(), "RS256 verified against the registered key"),
        () -> assertTrue(result.ps256Verified(), "PS256 verified against the registered key"),
        () -> assertTrue(result.tamperedRejected(), "a signature over another message is rejected"),
        () -> assertEquals(ErrorCode.WRONG_GESTURE, result.wrongPinCode()),
        () -> assertTrue(result.attemptsRemaining() > 0, "attempts remain after one wrong PIN"),
        () -> assertTrue(result.ngcSet()),
        () -> assertTrue(NGC_SET_YES.matcher(result.statusText()).find(), result.statusText()),
        () -> assertTrue(result.credentialRemoved()),
        () -> assertTrue(result.registrationRemoved()),
        () -> assertTrue(result.succeeded()),
        () -> assertFalse(result.dataDirectoryDeleted(), "a directory given by the caller is kept"),
        () -> assertTrue(printed.contains(result.statusText()), "the status is printed"),
        () -> assertTrue(printed.contains("UserVerificationException code=WRONG_GESTURE"), printed),
        () -> assertTrue(printed.contains("Demo finished: OK"), printed),
        () -> assertFalse(printed.contains("482915"), "the PIN is never printed"));
    assertEquals(0, recordsIn(dataDirectory.resolve("credentials")), "no credential record is left");
  }

  @Test
  void mainRunsInTheGivenDirectoryAndCanRunAgainThere() {
    String[] args = {dataDirectory.toString()};
    String first = printedBy(() -> ProvisionAndSignDemo.main(args));
    String second = printedBy(() -> ProvisionAndSignDemo.main(args));
    assertAll(
        () -> assertTrue(first.contains("Demo finished: OK"), first),
        () -> assertTrue(second.contains("Demo finished: OK"), "a second run in the same directory works: " + second),
        () -> assertTrue(first.contains("Data directory: " + dataDirectory + System.lineSeparator()),
            "the given directory is used, not a temporary one: " + first),
        () -> assertTrue(Files.isDirectory(dataDirectory), "a directory given by the caller is kept"));
  }

  @Test
  void withoutADirectoryTheDemoUsesATemporaryOneAndDeletesIt() throws Exception {
    ProvisionAndSignDemo.Result result;
    try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      result = ProvisionAndSignDemo.run(out);
    }
    assertTrue(result.succeeded(), result.toString());
    assertTrue(result.dataDirectoryDeleted());
    assertFalse(Files.exists(result.dataDirectory()));
  }

  /** Runs {@code main} with standard output captured (tests in this class run one at a time). */
  private static String printedBy(Executable main) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      assertDoesNotThrow(main);
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static long recordsIn(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
