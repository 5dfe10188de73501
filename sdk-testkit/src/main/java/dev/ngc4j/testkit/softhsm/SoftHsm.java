package dev.ngc4j.testkit.softhsm;

import dev.ngc4j.testkit.internal.Commands;
import dev.ngc4j.testkit.internal.HarnessFiles;
import dev.ngc4j.testkit.internal.ToolFinder;
import dev.ngc4j.testkit.kdc.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A SoftHSM2 setup for tests: its configuration file (the one the environment variable {@code SOFTHSM2_CONF} names),
 * a token directory next to it, tokens created with {@code softhsm2-util}, and OpenSC's {@code pkcs11-tool} run
 * with the right environment.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment when the library is initialised, so a JVM
 * that loads the library in-process must be started with it set (for Maven: surefire's
 * {@code environmentVariables}); {@link #fromEnvironment()} writes the file it names before anything loads the
 * library. A process does not see tokens that {@code softhsm2-util} creates after its C_Initialize: tokens for the
 * same JVM are created in-process (C_InitToken), tokens made here are for other processes or for a JVM that has not
 * initialised the library yet.
 *
 * <p>Missing tools fail with what to install ({@code apt-get install softhsm2 opensc}); nothing is skipped.
 *
 * <p>Thread safety: safe for concurrent use; tool runs are independent processes.
 *
 * @since 0.1.0
 */
public final class SoftHsm {
  /** SoftHSM2's PKCS#11 module as Debian installs it. */
  public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  /** The environment variable SoftHSM2 reads its configuration from. */
  public static final String CONF_VARIABLE = "SOFTHSM2_CONF";
  private static final String INSTALL = "install SoftHSM2 and OpenSC: apt-get install softhsm2 opensc"
      + " (scripts/setup-debian.sh does it)";
  private static final Duration TOOL_DEADLINE = Duration.ofSeconds(60);
  private static final ToolFinder TOOL_FINDER = new ToolFinder(INSTALL, "/usr/bin", "/bin", "/usr/local/bin");

  private final Path config;
  private final Path tokens;

  private SoftHsm(Path config, Path tokens) {
    this.config = config;
    this.tokens = tokens;
  }

  /**
   * Checks the tools and the library, and writes the configuration that {@code SOFTHSM2_CONF} names, with its token
   * directory {@code tokens/} next to it (both owner-only). Existing tokens there are kept.
   *
   * @return the harness
   * @throws IllegalStateException if {@code SOFTHSM2_CONF} is not set or a tool or the library is missing, saying
   *     what to do
   */
  public static SoftHsm fromEnvironment() {
    String conf = System.getenv(CONF_VARIABLE);
    if (conf == null || conf.isBlank()) {
      throw new IllegalStateException(CONF_VARIABLE + " is not set: SoftHSM2 reads it from the environment when the "
          + "library is initialised, so start the JVM with it (surefire: <environmentVariables><SOFTHSM2_CONF>"
          + "${project.build.directory}/softhsm/softhsm2.conf</SOFTHSM2_CONF></environmentVariables>)");
    }
    return at(Path.of(conf));
  }

  /**
   * Like {@link #fromEnvironment()} for a given configuration path (for child processes started with it).
   *
   * @param configFile where to write the configuration
   * @return the harness
   * @throws IllegalStateException if a tool or the library is missing
   */
  public static SoftHsm at(Path configFile) {
    requireInstalled();
    Path conf = configFile.toAbsolutePath().normalize();
    Path dir = Objects.requireNonNull(conf.getParent(), "parent");
    Path tokens = dir.resolve("tokens");
    try {
      Files.createDirectories(tokens);
      trySetOwnerOnly(dir, "rwx------");
      trySetOwnerOnly(tokens, "rwx------");
      String text = "# written by ngc4j's SoftHsm test harness\n"
          + "directories.tokendir = " + tokens + "\n"
          + "objectstore.backend = file\n"
          + "log.level = ERROR\n"
          + "slots.removable = false\n"
          + "slots.mechanisms = ALL\n"
          + "library.reset_on_fork = false\n";
      Path tmp = dir.resolve(conf.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      trySetOwnerOnly(tmp, "rw-------");
      Files.move(tmp, conf, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the SoftHSM2 configuration " + conf + ": " + e, e);
    }
    return new SoftHsm(conf, tokens);
  }

  /**
   * Fails unless {@code softhsm2-util}, {@code pkcs11-tool} and the SoftHSM2 library are installed.
   *
   * @throws IllegalStateException saying what to install
   */
  public static void requireInstalled() {
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(LIBRARY)) {
      missing.add(LIBRARY.toString());
    }
    missing.addAll(TOOL_FINDER.missing(List.of("softhsm2-util", "pkcs11-tool")));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("SoftHSM2 tests need " + String.join(", ", missing) + ": " + INSTALL);
    }
  }

  /**
   * Returns the configuration file.
   *
   * @return the path {@code SOFTHSM2_CONF} names
   */
  public Path config() {
    return config;
  }

  /**
   * Returns the token directory.
   *
   * @return the directory
   */
  public Path tokens() {
    return tokens;
  }

  /**
   * Creates a token with {@code softhsm2-util --init-token --free} (for processes that initialise the library later).
   *
   * @param label the label, up to 32 characters
   * @param soPin the security officer's PIN
   * @param userPin the user PIN
   * @return the new token's serial number
   * @throws IllegalStateException if the tool fails
   */
  public String createToken(String label, String soPin, String userPin) {
    Objects.requireNonNull(label, "label");
    if (label.isEmpty() || label.length() > 32) {
      throw new IllegalArgumentException("a token label has 1 to 32 characters");
    }
    ToolResult r = run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", soPin,
        "--pin", userPin));
    if (!r.succeeded()) {
      throw new IllegalStateException("softhsm2-util --init-token failed: " + r.describe());
    }
    return serialOf(label).orElseThrow(() -> new IllegalStateException("token '" + label + "' not listed after init"));
  }

  /**
   * Returns the serial of the token with a label, from {@code softhsm2-util --show-slots}.
   *
   * @param label the label
   * @return its serial, if present
   */
  public Optional<String> serialOf(String label) {
    ToolResult r = run(List.of("softhsm2-util", "--show-slots"));
    String currentLabel = null;
    for (String line : r.stdout().lines().toList()) {
      String t = line.strip();
      if (t.startsWith("Label:")) {
        currentLabel = t.substring("Label:".length()).strip();
      } else if (t.startsWith("Serial number:") && label.equals(currentLabel)) {
        return Optional.of(t.substring("Serial number:".length()).strip());
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code pkcs11-tool --module <SoftHSM2>} with the arguments and this configuration.
   *
   * @param args the arguments after {@code --module}
   * @return the result
   */
  public ToolResult pkcs11Tool(String... args) {
    List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", LIBRARY.toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  /**
   * Lists the objects of a token ({@code --list-objects}), logged in when a PIN is given.
   *
   * @param label the token's label
   * @param userPin the user PIN, or {@code null} for public objects only
   * @return the tool's output
   * @throws IllegalStateException if the tool fails
   */
  public String listObjects(String label, @org.jspecify.annotations.Nullable String userPin) {
    List<String> args = new ArrayList<>(List.of("--token-label", label, "--list-objects"));
    if (userPin != null) {
      args.addAll(List.of("--login", "--pin", userPin));
    }
    return require(pkcs11Tool(args.toArray(String[]::new)), "--list-objects");
  }

  /**
   * Generates an RSA-2048 key pair on a token ({@code --keypairgen}), sensitive and not extractable (pkcs11-tool's
   * defaults for private keys), signing allowed.
   *
   * @param label the token's label
   * @param userPin the user PIN
   * @param idHex the CKA_ID in hex
   * @param keyLabel the CKA_LABEL
   * @throws IllegalStateException if the tool fails
   */
  public void generateKeyPair(String label, String userPin, String idHex, String keyLabel) {
    require(pkcs11Tool("--token-label", label, "--login", "--pin", userPin, "--keypairgen", "--key-type",
        "rsa:2048", "--id", idHex, "--label", keyLabel, "--usage-sign"), "--keypairgen");
  }

  /**
   * Signs data with a token key ({@code --sign}, mechanism SHA256-RSA-PKCS).
   *
   * @param label the token's label
   * @param userPin the user PIN
   * @param idHex the key's CKA_ID in hex
   * @param data the data
   * @return the signature
   * @throws IllegalStateException if the tool fails
   */
  public byte[] sign(String label, String userPin, String idHex, byte[] data) {
    try {
      Path dir = Files.createTempDirectory("ngc4j-pkcs11-tool");
      try {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        Files.write(in, data);
        require(pkcs11Tool("--token-label", label, "--login", "--pin", userPin, "--sign", "--id", idHex,
            "--mechanism", "SHA256-RSA-PKCS", "--input-file", in.toString(), "--output-file", out.toString()),
            "--sign");
        return Files.readAllBytes(out);
      } finally {
        HarnessFiles.deleteTreeQuietly(dir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run pkcs11-tool --sign: " + e, e);
    }
  }

  /**
   * Reads a public key object ({@code --read-object --type pubkey}) as DER SubjectPublicKeyInfo; needs no PIN.
   *
   * @param label the token's label
   * @param idHex the key's CKA_ID in hex
   * @return the DER encoding
   * @throws IllegalStateException if the tool fails
   */
  public byte[] readPublicKey(String label, String idHex) {
    try {
      Path dir = Files.createTempDirectory("ngc4j-pkcs11-tool");
      try {
        Path out = dir.resolve("pub.der");
        require(pkcs11Tool("--token-label", label, "--read-object", "--type", "pubkey", "--id", idHex,
            "--output-file", out.toString()), "--read-object");
        return Files.readAllBytes(out);
      } finally {
        HarnessFiles.deleteTreeQuietly(dir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run pkcs11-tool --read-object: " + e, e);
    }
  }

  /**
   * Finds a token's directory by its serial: SoftHSM2 names it by a UUID whose last 16 hex digits are the serial.
   * Deleting it simulates pulling the token out.
   *
   * @param serial the serial
   * @return the directory, if present
   */
  public Optional<Path> tokenDirectory(String serial) {
    String want = serial.toLowerCase(Locale.ROOT);
    try (Stream<Path> dirs = Files.list(tokens)) {
      return dirs.filter(Files::isDirectory)
          .filter(d -> d.getFileName().toString().replace("-", "").toLowerCase(Locale.ROOT).endsWith(want))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Deletes a token's directory (a token removed).
   *
   * @param serial the serial
   * @return true if it existed
   */
  public boolean removeToken(String serial) {
    Optional<Path> dir = tokenDirectory(serial);
    dir.ifPresent(HarnessFiles::deleteTreeQuietly);
    return dir.isPresent();
  }

  /** Deletes every token directory (the configuration file stays). */
  public void cleanup() {
    try (Stream<Path> dirs = Files.list(tokens)) {
      dirs.forEach(HarnessFiles::deleteTreeQuietly);
    } catch (IOException e) {
      // nothing to clean
    }
  }

  private ToolResult run(List<String> command) {
    ProcessBuilder builder = Commands.builder(command);
    Map<String, String> env = builder.environment();
    env.put(CONF_VARIABLE, config.toString());
    try {
      Path out = Files.createTempFile("ngc4j-softhsm", ".out");
      Path err = Files.createTempFile("ngc4j-softhsm", ".err");
      try {
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = builder.start();
        if (!Commands.awaitOrKill(p, TOOL_DEADLINE)) {
          throw new IllegalStateException(command.get(0) + " did not finish within " + TOOL_DEADLINE);
        }
        return new ToolResult(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e + "; " + INSTALL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static String require(ToolResult r, String what) {
    if (!r.succeeded()) {
      throw new IllegalStateException("pkcs11-tool " + what + " failed: " + r.describe());
    }
    return r.stdout();
  }

  private static void trySetOwnerOnly(Path p, String perms) {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    } catch (IOException | UnsupportedOperationException e) {
      // not POSIX: leave as is
    }
  }

  @Override
  public String toString() {
    return "SoftHsm[" + config + "]";
  }
}
