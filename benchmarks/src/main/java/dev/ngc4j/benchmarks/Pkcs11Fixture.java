package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.pkcs11.Pkcs11CredentialProvider;
import dev.ngc4j.provider.pkcs11.Pkcs11Session;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.UnlockedKey;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A fresh SoftHSM2 token for one benchmark trial, with the PKCS#11 provider open on it and one container (the
 * "anchor") unlocked by the token PIN for the whole trial, so that the provider holds the token's login throughout.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} from the process environment when the library is initialised, and JMH
 * forks inherit the runner's environment, so the benchmarks are run as
 * {@code SOFTHSM2_CONF=/tmp/ngc4j-pkcs11-bench/softhsm2.conf java -cp benchmarks/target/benchmarks.jar ...}. The
 * trial's set-up writes that file (with a token directory {@code tokens/} next to it) through the {@link SoftHsm}
 * harness and creates a token with a random label with {@code softhsm2-util}, before anything in the fork loads the
 * library; the tear-down deletes the token's directory. A file at that path that the harness did not write (a real
 * SoftHSM2 configuration) is never overwritten: the set-up fails instead.
 *
 * <p>The provider is built with {@code poolSize(0)}, so its background pool top-up after a login never generates keys
 * while something is being measured; the benchmarks fill the pool themselves where they need an entry.
 *
 * <p>Thread safety: set up and torn down by JMH's thread; the provider objects it hands out are thread-safe.
 */
final class Pkcs11Fixture implements AutoCloseable {
  /** The token's user PIN (also the anchor container's gesture). */
  static final String PIN = "482915";
  /** The anchor container's id: its key pair is labelled {@code ngc4j:} + this id on the token. */
  static final ContainerId ANCHOR = ContainerId.of("bench-anchor");
  /** An example value for the variable, used in messages. */
  static final String EXAMPLE_CONF = "/tmp/ngc4j-pkcs11-bench/softhsm2.conf";
  /** The first line of a configuration file the {@link SoftHsm} harness writes. */
  private static final String HARNESS_MARKER = "# written by ngc4j's SoftHsm test harness";
  private static final String SO_PIN = "87654321";

  private final SoftHsm softHsm;
  private final String label;
  private final String serial;
  private final Path data;
  private @Nullable Pkcs11Session session;
  private @Nullable KeyContainer anchor;
  private @Nullable UnlockedKey unlocked;

  private Pkcs11Fixture(SoftHsm softHsm, String label, String serial, Path data) {
    this.softHsm = softHsm;
    this.label = label;
    this.serial = serial;
    this.data = data;
  }

  /** Returns a gesture source that answers every request with the token PIN. */
  static GestureSource pin() {
    return request -> Pin.of(PIN.toCharArray());
  }

  /**
   * Creates the token, opens the provider and unlocks the anchor container. Everything made so far is removed if a
   * step fails.
   *
   * @return the fixture; close it in the trial's tear-down
   * @throws IllegalStateException if {@code SOFTHSM2_CONF} is unset or names a file the harness did not write, or
   *     SoftHSM2 or OpenSC is missing (saying what to install)
   * @throws NgcException if the provider fails
   * @throws IOException if the data directory cannot be made
   */
  static Pkcs11Fixture open() throws NgcException, IOException {
    SoftHsm softHsm = SoftHsm.at(checkedConfig());
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String label = "ngc4j-bench-" + HexFormat.of().formatHex(random);
    String serial = softHsm.createToken(label, SO_PIN, PIN);
    Pkcs11Fixture f;
    try {
      f = new Pkcs11Fixture(softHsm, label, serial, Files.createTempDirectory("ngc4j-pkcs11-bench"));
    } catch (IOException | RuntimeException e) {
      softHsm.removeToken(serial);
      throw e;
    }
    boolean ok = false;
    try {
      f.start();
      ok = true;
      return f;
    } finally {
      if (!ok) {
        f.close();
      }
    }
  }

  private void start() throws NgcException {
    Pkcs11Session s = Pkcs11CredentialProvider.builder()
        .library(SoftHsm.LIBRARY.toString())
        .tokenLabel(label)
        .poolSize(0)
        .build()
        .open(new ProviderContext(data, Clock.systemUTC(), Map.of()));
    session = s;
    s.fillKeyPool(pin(), 1);
    try (PooledKey key = s.keySource().generate()) {
      anchor = s.containers().create(spec(ANCHOR), key, pin());
    }
    unlocked = Objects.requireNonNull(anchor).unlock(pin());
  }

  /**
   * Returns the spec of a container for the benchmark user, with the PIN as its protector.
   *
   * @param id the container id
   * @return the spec
   */
  static ContainerSpec spec(ContainerId id) {
    return new ContainerSpec(id, UserPrincipal.of("alice@contoso.example"), ProtectorSpec.pin(), PinPolicy.defaults());
  }

  /** Returns the provider session. */
  Pkcs11Session session() {
    return Objects.requireNonNull(session, "session");
  }

  /** Returns the anchor container. */
  KeyContainer anchor() {
    return Objects.requireNonNull(anchor, "anchor");
  }

  /** Returns the anchor container's key, unlocked for the whole trial (it holds the provider's login). */
  UnlockedKey unlocked() {
    return Objects.requireNonNull(unlocked, "unlocked");
  }

  /** Returns the token's label. */
  String label() {
    return label;
  }

  /**
   * Closes the unlocked key (the provider logs out) and the provider session (the provider finalises the module it
   * initialised), then deletes the token's directory and the data directory.
   */
  @Override
  public void close() {
    try {
      UnlockedKey u = unlocked;
      if (u != null) {
        u.close();
        unlocked = null;
      }
      Pkcs11Session s = session;
      if (s != null) {
        s.close();
        session = null;
      }
    } finally {
      softHsm.removeToken(serial);
      try {
        CloudFixture.deleteRecursively(data);
      } catch (IOException e) {
        // a temporary directory left behind is harmless
      }
    }
  }

  /**
   * Returns the path {@code SOFTHSM2_CONF} names, after checking that it is set and that the harness may write it.
   */
  private static Path checkedConfig() {
    String conf = System.getenv(SoftHsm.CONF_VARIABLE);
    if (conf == null || conf.isBlank()) {
      throw new IllegalStateException(SoftHsm.CONF_VARIABLE + " is not set. SoftHSM2 reads it from the environment"
          + " when the library is initialised, and JMH forks inherit the runner's environment, so start the runner"
          + " with it, naming a file of the benchmarks' own (written by the set-up, tokens next to it, removed after"
          + " each trial): " + SoftHsm.CONF_VARIABLE + "=" + EXAMPLE_CONF
          + " java -cp benchmarks/target/benchmarks.jar dev.ngc4j.benchmarks.BenchmarkRatios 'Pkcs11' ...");
    }
    Path path = Path.of(conf).toAbsolutePath().normalize();
    if (Files.exists(path)) {
      String first;
      try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        String line = r.readLine();
        first = line == null ? "" : line;
      } catch (IOException e) {
        first = "";
      }
      if (!first.equals(HARNESS_MARKER)) {
        throw new IllegalStateException(SoftHsm.CONF_VARIABLE + "=" + path + " is an existing SoftHSM2"
            + " configuration that ngc4j's harness did not write; the benchmarks rewrite the file they are given, so"
            + " point " + SoftHsm.CONF_VARIABLE + " at a path of their own, e.g. " + EXAMPLE_CONF);
      }
    }
    return path;
  }
}
