package dev.ngc4j.provider.pkcs11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider writes nothing to stdout or stderr: ipkcs11wrapper's own output (its banner and per-call lines) goes
 * to SLF4J. Proven in a child JVM that loads the provider, opens a session on a SoftHSM2 token and signs; a control
 * child that uses the wrapper directly shows that the wrapper does print when left alone, so an empty output is
 * evidence and not a blind spot. The child's SLF4J binding (slf4j-simple, writing to stderr) is left at WARN for the
 * provider's loggers: the provider's own INFO lines (device key created) are not what this test is about.
 */
class QuietOutputTest {
  private static final String PIN = "271828";

  @TempDir
  Path dir;

  private record Output(int exit, String stdout, String stderr) {}

  private Output runChild(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    if (Runtime.version().feature() >= 22) {
      // The JVM's own warning for JNI's System.loadLibrary (JEP 472, printed from JDK 24 on) is the application's
      // to silence, as the package documentation says; the test is about what the provider and the wrapper print.
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.dev.ngc4j.provider.pkcs11=warn");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(QuietChild.class.getName());
    command.addAll(List.of(args));
    Files.createDirectories(dir.resolve("tmp"));
    Path out = dir.resolve("child-" + args[0] + ".out");
    Path err = dir.resolve("child-" + args[0] + ".err");
    Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!child.waitFor(90, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError("the child JVM did not finish in 90 s");
    }
    return new Output(child.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void loadingTheProviderOpeningATokenAndSigningPrintsNothing() throws Exception {
    TestTokens.Token token = TestTokens.create("quiet", PIN);
    Output o = runChild("provider", SoftHsm.LIBRARY.toString(), token.label(), PIN, dir.resolve("data").toString());
    assertEquals(0, o.exit(), () -> "the child failed: " + o.stderr());
    assertEquals("", o.stdout(), "nothing on stdout");
    assertEquals("", o.stderr(), "nothing on stderr");
  }

  @Test
  void theWrapperLeftAlonePrintsSoTheCheckAboveCanFail() throws Exception {
    TestTokens.create("loud", PIN);
    Output o = runChild("raw", SoftHsm.LIBRARY.toString());
    assertEquals(0, o.exit(), () -> "the control child failed: " + o.stderr());
    assertFalse((o.stdout() + o.stderr()).isBlank(), "ipkcs11wrapper prints its banner or INFO lines by default");
  }
}
