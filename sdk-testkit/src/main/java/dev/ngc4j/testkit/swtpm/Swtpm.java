package dev.ngc4j.testkit.swtpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import dev.ngc4j.testkit.internal.Commands;
import dev.ngc4j.testkit.internal.HarnessFiles;
import dev.ngc4j.testkit.internal.Loopback;
import dev.ngc4j.testkit.internal.Processes;
import dev.ngc4j.testkit.internal.RunningInstances;
import dev.ngc4j.testkit.internal.ToolFinder;
import org.jspecify.annotations.Nullable;

/**
 * A software TPM 2.0 ({@code swtpm}) started by a test on a free loopback port, with a fresh state that carries an
 * endorsement key and its certificate, and stopped again in an orderly way. Any module's tests and the JMH
 * benchmarks can use it; it needs the Debian packages {@code swtpm} and {@code swtpm-tools} (which bring
 * {@code certtool} from {@code gnutls-bin}), installed by {@code ./scripts/setup-debian.sh}.
 *
 * <h2>What {@link #start(Path)} does</h2>
 *
 * <ol>
 *   <li>Once per JVM, it "manufactures" a template TPM in a temporary directory: {@code swtpm_setup} with a private
 *       configuration whose certificate tool is {@code swtpm_localca}, a local CA acting as the TPM maker. The
 *       template gets an RSA-2048 EK (persistent {@code 0x81010001}) with its certificate in NV index
 *       {@code 0x01c00002}, an ECC EK, and a platform certificate; the CA (root
 *       {@code swtpm-localca-rootca} and issuer {@code swtpm-localca}) lives in the template's {@code ca}
 *       directory. This takes about a second.
 *   <li>For each instance it copies the template's {@code state}, {@code ca} and {@code ekcerts} directories into
 *       the given directory (milliseconds), so every instance starts from a fresh, never-used TPM. Instances of one
 *       JVM share the CA and the EK; use {@link #startWithNewEndorsementKey(Path)} for a TPM with its own EK
 *       (another {@code swtpm_setup} run, same CA).
 *   <li>It picks a free port pair on 127.0.0.1 (data channel {@link #port()}, swtpm control channel
 *       {@link #controlPort()} = port + 1), starts {@code swtpm socket --tpm2 --daemon} bound to 127.0.0.1 with a
 *       pid file and a log in the directory, and polls (with a deadline) until TPM2_GetRandom answers. The TPM is
 *       started ({@code startup-clear}) and its dictionary-attack counter is reset.
 * </ol>
 *
 * <p>The dictionary-attack limits stay those of a fresh TPM (3 tries, then 1000 seconds of lockout) unless the
 * caller relaxes them with {@link #relaxDictionaryAttack()}, which tests and benchmarks that use PIN-protected keys
 * call right after starting.
 *
 * <p>The data channel takes raw TPM 2.0 command bytes (one command per {@code write}, see
 * {@link #sendCommand(byte[])}), one client connection at a time; swtpm has no resource manager and only three
 * transient object slots.
 *
 * <h2>Stopping</h2>
 *
 * <p>{@link #close()} sends TPM2_Shutdown(CLEAR) over the data channel (so the next start is orderly and adds no
 * dictionary-attack failure), then SIGTERM to the pid from the pid file after checking that it is an
 * {@code swtpm} process, and SIGKILL if it has not exited by a deadline. It is idempotent. A JVM shutdown hook
 * stops any instance a test forgot and deletes the template, so nothing is left running.
 *
 * <p>Thread safety: safe for concurrent use; the TPM itself serves one connection at a time, so commands sent
 * through this class wait while another client (such as a provider session under test) is connected, up to the
 * I/O timeout.
 *
 * @since 0.1.0
 */
public final class Swtpm implements AutoCloseable {
  /** The NV index holding the RSA-2048 EK certificate (TCG EK Credential Profile), {@code 0x01c00002}. */
  public static final int EK_CERT_NV_INDEX = 0x01c00002;
  /** The persistent handle of the RSA-2048 EK that {@code swtpm_setup} creates. */
  public static final int EK_HANDLE = 0x81010001;
  /** The loopback address every instance binds to. */
  public static final String HOST = "127.0.0.1";
  /** The install hint every "tool missing" failure carries. */
  public static final String INSTALL_HINT =
      "apt-get install swtpm swtpm-tools (./scripts/setup-debian.sh installs them when missing)";

  static final List<String> TOOLS = List.of("swtpm", "swtpm_setup", "swtpm_localca", "certtool");
  private static final Duration START_DEADLINE = Duration.ofSeconds(15);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
  private static final Duration SETUP_DEADLINE = Duration.ofMinutes(2);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);
  private static final int PORT_ATTEMPTS = 20;
  private static final int RELAXED_MAX_TRIES = 100;
  private static final int RELAXED_RECOVERY_SECONDS = 1;
  private static final int RELAXED_LOCKOUT_RECOVERY_SECONDS = 1;
  private static final Duration POLL = Duration.ofMillis(20);
  private static final ToolFinder TOOL_FINDER = new ToolFinder(INSTALL_HINT, "/usr/bin", "/usr/local/bin", "/bin");
  private static final RunningInstances<Swtpm> RUNNING = new RunningInstances<>("ngc4j-swtpm-cleanup", Swtpm::close);
  private static final Object TEMPLATE_LOCK = new Object();
  private static @Nullable Path template;

  private final Path dir;
  private final int port;
  private final long pid;
  private volatile boolean closed;

  private Swtpm(Path dir, int port, long pid) {
    this.dir = dir;
    this.port = port;
    this.pid = pid;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Starting
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Starts a fresh software TPM whose state, CA and EK certificates are copied from this JVM's template into
   * {@code dir}.
   *
   * @param dir a directory for the state, CA, logs and pid file (created if missing; the caller deletes it
   *     afterwards, typically a JUnit {@code @TempDir}); must not hold a running instance
   * @return the running TPM; close it when done
   * @throws IOException if swtpm is not installed (the message says {@code apt-get install swtpm swtpm-tools}),
   *     provisioning fails, or the TPM does not answer within 15 seconds
   * @since 0.1.0
   */
  public static Swtpm start(Path dir) throws IOException {
    Path d = prepareDirectory(dir);
    Path tpl = template();
    copyTree(tpl.resolve("state"), d.resolve("state"));
    copyTree(tpl.resolve("ca"), d.resolve("ca"));
    copyTree(tpl.resolve("ekcerts"), d.resolve("ekcerts"));
    writeConfig(d);
    return launch(d);
  }

  /**
   * Starts a software TPM manufactured anew ({@code swtpm_setup}, about a second): its own EK and EK certificate,
   * issued by the same local CA as every other instance of this JVM.
   *
   * @param dir a directory for the state, CA, logs and pid file, as for {@link #start(Path)}
   * @return the running TPM; close it when done
   * @throws IOException as {@link #start(Path)}
   * @since 0.1.0
   */
  public static Swtpm startWithNewEndorsementKey(Path dir) throws IOException {
    Path d = prepareDirectory(dir);
    Path tpl = template();
    copyTree(tpl.resolve("ca"), d.resolve("ca"));
    manufacture(d);
    return launch(d);
  }

  /**
   * Checks that the swtpm tools are installed.
   *
   * @throws IOException naming the missing tools and saying {@code apt-get install swtpm swtpm-tools}
   * @since 0.1.0
   */
  public static void requireInstalled() throws IOException {
    List<String> missing = TOOL_FINDER.missing(TOOLS);
    if (!missing.isEmpty()) {
      throw new IOException("The software TPM tools " + missing + " are not installed (not found on PATH). Install"
          + " them with: " + INSTALL_HINT);
    }
  }

  private static Path prepareDirectory(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    requireInstalled();
    Path d = dir.toAbsolutePath().normalize();
    Files.createDirectories(d);
    Path pidFile = d.resolve("swtpm.pid");
    Optional<Long> old = Processes.readPid(pidFile);
    if (old.isPresent() && isSwtpm(old.get())) {
      throw new IOException("An swtpm (pid " + old.get() + ") already runs on " + d + "; close it first");
    }
    Files.deleteIfExists(pidFile);
    return d;
  }

  private static Path template() throws IOException {
    synchronized (TEMPLATE_LOCK) {
      Path t = template;
      if (t != null && Files.isRegularFile(t.resolve("state").resolve("tpm2-00.permall"))) {
        return t;
      }
      Path fresh = Files.createTempDirectory("ngc4j-swtpm-template-");
      boolean ok = false;
      try {
        manufacture(fresh);
        ok = true;
      } finally {
        if (!ok) {
          HarnessFiles.deleteTree(fresh);
        }
      }
      template = fresh;
      Runtime.getRuntime().addShutdownHook(
          new Thread(() -> HarnessFiles.deleteTreeQuietly(fresh), "ngc4j-swtpm-template-cleanup"));
      return fresh;
    }
  }

  /** Runs swtpm_setup into {@code d/state}, with the CA in {@code d/ca} (created by swtpm_localca if absent). */
  private static void manufacture(Path d) throws IOException {
    writeConfig(d);
    Files.createDirectories(d.resolve("state"));
    Files.createDirectories(d.resolve("ekcerts"));
    Files.createDirectories(d.resolve("ca"));
    List<String> command = List.of(
        tool("swtpm_setup"), "--tpm2",
        "--tpmstate", d.resolve("state").toString(),
        "--config", d.resolve("conf").resolve("swtpm_setup.conf").toString(),
        "--create-ek-cert", "--create-platform-cert", "--lock-nvram",
        "--pcr-banks", "sha256",
        "--write-ek-cert-files", d.resolve("ekcerts").toString(),
        "--overwrite",
        "--logfile", d.resolve("setup.log").toString());
    int exit = run(command, d.resolve("setup.out"), SETUP_DEADLINE, d.resolve("conf"));
    if (exit != 0 || !Files.isRegularFile(d.resolve("state").resolve("tpm2-00.permall"))) {
      throw new IOException("swtpm_setup failed (exit " + exit + ") provisioning " + d.resolve("state") + ": "
          + tail(d.resolve("setup.log")) + " " + tail(d.resolve("setup.out")));
    }
  }

  /** Writes the private swtpm_setup / swtpm_localca configuration under {@code d/conf}. */
  private static void writeConfig(Path d) throws IOException {
    Path conf = Files.createDirectories(d.resolve("conf"));
    Path ca = d.resolve("ca");
    write(conf.resolve("swtpm_setup.conf"),
        "create_certs_tool = " + tool("swtpm_localca") + "\n"
            + "create_certs_tool_config = " + conf.resolve("swtpm-localca.conf") + "\n"
            + "create_certs_tool_options = " + conf.resolve("swtpm-localca.options") + "\n"
            + "active_pcr_banks = sha256\n");
    write(conf.resolve("swtpm-localca.conf"),
        "statedir = " + ca + "\n"
            + "signingkey = " + ca.resolve("signkey.pem") + "\n"
            + "issuercert = " + ca.resolve("issuercert.pem") + "\n"
            + "certserial = " + ca.resolve("certserial") + "\n");
    write(conf.resolve("swtpm-localca.options"),
        "--platform-manufacturer ngc4j-test\n--platform-version 1.0\n--platform-model swtpm\n");
  }

  private static Swtpm launch(Path d) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int port = freePortPair();
      List<String> command = List.of(
          tool("swtpm"), "socket", "--tpm2", "--daemon",
          "--tpmstate", "dir=" + d.resolve("state"),
          "--server", "type=tcp,port=" + port + ",bindaddr=" + HOST,
          "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=" + HOST,
          "--flags", "not-need-init,startup-clear",
          "--pid", "file=" + d.resolve("swtpm.pid"),
          "--log", "file=" + d.resolve("swtpm.log"));
      int exit = run(command, d.resolve("swtpm.out"), START_DEADLINE, null);
      if (exit != 0) {
        String why = tail(d.resolve("swtpm.log")) + " " + tail(d.resolve("swtpm.out"));
        last = new IOException("swtpm did not start on " + HOST + ":" + port + " (exit " + exit + "): " + why);
        if (why.toLowerCase(Locale.ROOT).contains("in use")) {
          continue; // another process took the port meanwhile: try another pair
        }
        throw last;
      }
      long pid = awaitPid(d.resolve("swtpm.pid"));
      Swtpm tpm = new Swtpm(d, port, pid);
      RUNNING.add(tpm);
      boolean ready = false;
      try {
        tpm.awaitAnswer();
        tpm.resetDictionaryAttack();
        ready = true;
        return tpm;
      } finally {
        if (!ready) {
          tpm.close();
        }
      }
    }
    throw last != null ? last : new IOException("no free loopback port pair found for swtpm");
  }

  private static long awaitPid(Path pidFile) throws IOException {
    return Processes.awaitPid(pidFile, START_DEADLINE, POLL).orElseThrow(
        () -> new IOException("swtpm wrote no pid file " + pidFile + " within " + START_DEADLINE));
  }

  private void awaitAnswer() throws IOException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!isSwtpm(pid)) {
        throw new IOException("swtpm (pid " + pid + ") exited right after starting: " + tail(dir.resolve("swtpm.log")));
      }
      try {
        byte[] response = exchange(TpmCommands.getRandom(8), Duration.ofSeconds(2));
        if (TpmCommands.responseCode(response) == 0) {
          return;
        }
        last = new IOException("TPM2_GetRandom answered rc " + TpmCommands.hex(TpmCommands.responseCode(response)));
      } catch (IOException e) {
        last = e;
      }
      Processes.pause(POLL);
    }
    throw new IOException("swtpm (pid " + pid + ") did not answer TPM2_GetRandom on " + HOST + ":" + port
        + " within " + START_DEADLINE + ": " + last, last);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Accessors
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Returns the address the TPM listens on.
   *
   * @return {@code 127.0.0.1}
   * @since 0.1.0
   */
  public String host() {
    return HOST;
  }

  /**
   * Returns the TPM command (data) port.
   *
   * @return the port
   * @since 0.1.0
   */
  public int port() {
    return port;
  }

  /**
   * Returns swtpm's control port ({@link #port()} + 1), which speaks swtpm's own control protocol (not the MS
   * simulator's platform protocol).
   *
   * @return the control port
   * @since 0.1.0
   */
  public int controlPort() {
    return port + 1;
  }

  /**
   * Returns the device setting that points ngc4j's TPM provider at this instance.
   *
   * @return {@code tcp:127.0.0.1:<port>}
   * @since 0.1.0
   */
  public String deviceSpec() {
    return "tcp:" + HOST + ":" + port;
  }

  /**
   * Returns the directory given to {@link #start(Path)}: {@code state/}, {@code ca/}, {@code ekcerts/},
   * {@code conf/}, {@code swtpm.pid}, {@code swtpm.log}.
   *
   * @return the directory
   * @since 0.1.0
   */
  public Path dir() {
    return dir;
  }

  /**
   * Returns the process id of the swtpm daemon.
   *
   * @return the pid
   * @since 0.1.0
   */
  public long pid() {
    return pid;
  }

  /**
   * Returns the local CA's root certificate ({@code ca/swtpm-localca-rootca-cert.pem}): the "TPM manufacturer
   * root" an EK certificate chains to.
   *
   * @return the root certificate
   * @throws IOException if the file is missing or does not parse
   * @since 0.1.0
   */
  public X509Certificate ekRootCertificate() throws IOException {
    return readCertificate(dir.resolve("ca").resolve("swtpm-localca-rootca-cert.pem"));
  }

  /**
   * Returns the local CA's issuing certificate ({@code ca/issuercert.pem}, subject {@code CN=swtpm-localca}),
   * which signed the EK certificate.
   *
   * @return the intermediate certificate
   * @throws IOException if the file is missing or does not parse
   * @since 0.1.0
   */
  public X509Certificate ekIssuerCertificate() throws IOException {
    return readCertificate(dir.resolve("ca").resolve("issuercert.pem"));
  }

  /**
   * Returns the RSA-2048 EK certificate as {@code swtpm_setup} wrote it next to the state (the same bytes are in
   * NV index {@link #EK_CERT_NV_INDEX}).
   *
   * @return the EK certificate
   * @throws IOException if the file is missing or does not parse
   * @since 0.1.0
   */
  public X509Certificate ekCertificate() throws IOException {
    return readCertificate(dir.resolve("ekcerts").resolve("ek-rsa2048.crt"));
  }

  /**
   * Returns whether the daemon process is alive (a zombie counts as gone).
   *
   * @return true while swtpm runs
   * @since 0.1.0
   */
  public boolean isRunning() {
    return isSwtpm(pid);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Talking to the TPM
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Sends one raw TPM 2.0 command over a new connection to the data port and returns the raw response. The
   * command is written in one {@code write} (swtpm processes whatever one read returns once it holds 10 bytes).
   * Waits while another client is connected, up to the 5-second I/O timeout.
   *
   * @param command a complete TPM 2.0 command (header with its size field, handles, auth area, parameters)
   * @return the complete response, header included
   * @throws IOException if the TPM cannot be reached, times out, or answers with a malformed frame
   * @since 0.1.0
   */
  public byte[] sendCommand(byte[] command) throws IOException {
    Objects.requireNonNull(command, "command");
    return exchange(command.clone(), IO_TIMEOUT);
  }

  /**
   * Clears the dictionary-attack counter and lockout (TPM2_DictionaryAttackLockReset with swtpm's empty lockout
   * authorisation).
   *
   * @throws IOException if the TPM cannot be reached or refuses (the message has the response code)
   * @since 0.1.0
   */
  public void resetDictionaryAttack() throws IOException {
    expectSuccess("TPM2_DictionaryAttackLockReset", exchange(TpmCommands.dictionaryAttackLockReset(), IO_TIMEOUT));
  }

  /**
   * Sets the dictionary-attack parameters (TPM2_DictionaryAttackParameters with the empty lockout authorisation).
   * Fresh swtpm states have 3 tries, 1000 s recovery and 1000 s lockout recovery.
   *
   * @param maxTries failures that put the TPM into lockout
   * @param recoveryTimeSeconds seconds per failure to decay (0 disables DA protection)
   * @param lockoutRecoverySeconds seconds before the lockout authorisation can be retried after a failure
   * @throws IOException if the TPM cannot be reached or refuses
   * @since 0.1.0
   */
  public void setDictionaryAttackParameters(int maxTries, int recoveryTimeSeconds, int lockoutRecoverySeconds)
      throws IOException {
    expectSuccess("TPM2_DictionaryAttackParameters", exchange(
        TpmCommands.dictionaryAttackParameters(maxTries, recoveryTimeSeconds, lockoutRecoverySeconds), IO_TIMEOUT));
  }

  /**
   * Relaxes the dictionary-attack limits for tests and clears the failure counter: 100 tries before lockout, one
   * failure forgiven per second, and one second before the lockout authorisation may be retried
   * ({@link #setDictionaryAttackParameters} with 100, 1, 1, then {@link #resetDictionaryAttack()}). Protection stays
   * on (wrong authorisations are still counted), but a test that enters a few wrong PINs on purpose, or a benchmark
   * that runs for minutes, no longer puts the TPM into a lockout that a fresh swtpm state keeps for 1000 seconds
   * after 3 failures. Calling it again (for instance before each test on a shared instance) clears the counter
   * again.
   *
   * <p>It talks to the TPM over the harness's own connection, so call it while no other client (such as a
   * provider session) holds the data port; otherwise it waits up to the 5-second I/O timeout and fails.
   *
   * @throws IOException if the TPM cannot be reached or refuses (the message has the response code)
   * @since 0.1.0
   */
  public void relaxDictionaryAttack() throws IOException {
    setDictionaryAttackParameters(RELAXED_MAX_TRIES, RELAXED_RECOVERY_SECONDS, RELAXED_LOCKOUT_RECOVERY_SECONDS);
    resetDictionaryAttack();
  }

  /**
   * Reads one TPM property (TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES)).
   *
   * @param property the TPM_PT value, such as {@link #PT_LOCKOUT_COUNTER}
   * @return the value
   * @throws IOException if the TPM cannot be reached or does not report the property
   * @since 0.1.0
   */
  public int property(int property) throws IOException {
    byte[] response = exchange(TpmCommands.getProperty(property), IO_TIMEOUT);
    expectSuccess("TPM2_GetCapability", response);
    return TpmCommands.propertyValue(response, property);
  }

  /** TPM_PT_LOCKOUT_COUNTER: the current dictionary-attack failure count. */
  public static final int PT_LOCKOUT_COUNTER = 0x20E;
  /** TPM_PT_MAX_AUTH_FAIL: failures that put the TPM into lockout. */
  public static final int PT_MAX_AUTH_FAIL = 0x20F;
  /** TPM_PT_LOCKOUT_INTERVAL: seconds per failure to decay. */
  public static final int PT_LOCKOUT_INTERVAL = 0x210;
  /** TPM_PT_LOCKOUT_RECOVERY: seconds before the lockout authorisation may be retried after a failure. */
  public static final int PT_LOCKOUT_RECOVERY = 0x211;
  /** TPM_PT_HR_TRANSIENT_MIN: the guaranteed number of transient object slots. */
  public static final int PT_HR_TRANSIENT_MIN = 0x10E;

  private static void expectSuccess(String what, byte[] response) throws IOException {
    int rc = TpmCommands.responseCode(response);
    if (rc != 0) {
      throw new IOException(what + " failed with TPM response code " + TpmCommands.hex(rc));
    }
  }

  private byte[] exchange(byte[] command, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.connect(new InetSocketAddress(Loopback.address(), port), (int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(command);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] header = in.readNBytes(TpmCommands.HEADER_LENGTH);
      if (header.length < TpmCommands.HEADER_LENGTH) {
        throw new IOException("swtpm closed the connection after " + header.length + " response bytes");
      }
      int size = TpmCommands.u32(header, 2);
      if (size < TpmCommands.HEADER_LENGTH || size > TpmCommands.MAX_RESPONSE) {
        throw new IOException("swtpm answered with an implausible response size " + size);
      }
      byte[] body = in.readNBytes(size - TpmCommands.HEADER_LENGTH);
      if (body.length != size - TpmCommands.HEADER_LENGTH) {
        throw new IOException("swtpm closed the connection in the middle of a response");
      }
      byte[] response = new byte[size];
      System.arraycopy(header, 0, response, 0, header.length);
      System.arraycopy(body, 0, response, header.length, body.length);
      return response;
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Failure injection (for tests of what a provider does when the TPM goes away)
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Kills the daemon with SIGKILL, without a TPM2_Shutdown: a crash or power loss. The next start of the same
   * state would count a dictionary-attack failure if a DA-protected object was used. Afterwards
   * {@link #close()} only tidies up.
   *
   * @throws IOException if the process does not go away within 5 seconds
   * @since 0.1.0
   */
  public void kill() throws IOException {
    resume();
    signal("KILL");
    if (!Processes.awaitExit(pid, Swtpm::isSwtpm, STOP_DEADLINE, POLL)) {
      throw new IOException("swtpm (pid " + pid + ") survived SIGKILL for " + STOP_DEADLINE);
    }
  }

  /**
   * Stops the daemon with SIGSTOP: the TPM hangs, with connections still open. {@link #resume()},
   * {@link #kill()} and {@link #close()} continue it.
   *
   * @throws IOException if the signal cannot be sent
   * @since 0.1.0
   */
  public void suspend() throws IOException {
    signal("STOP");
    // kill(1) returns before the kernel has stopped the process; until it has, swtpm may still answer a command.
    long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
    while (!"T".equals(Processes.state(pid))) {
      if (System.nanoTime() > deadline) {
        throw new IOException("swtpm (pid " + pid + ") did not stop within " + STOP_DEADLINE + " of SIGSTOP");
      }
      Processes.pause(Duration.ofMillis(1));
    }
  }

  /**
   * Continues a daemon stopped by {@link #suspend()}; harmless otherwise.
   *
   * @throws IOException if the signal cannot be sent
   * @since 0.1.0
   */
  public void resume() throws IOException {
    if (isSwtpm(pid)) {
      signal("CONT");
    }
  }

  private void signal(String name) throws IOException {
    if (!isSwtpm(pid)) {
      throw new IOException("pid " + pid + " is no longer an swtpm process; not signalling it");
    }
    int exit = run(List.of("kill", "-" + name, Long.toString(pid)), dir.resolve("kill.out"), STOP_DEADLINE, null);
    if (exit != 0) {
      throw new IOException("kill -" + name + " " + pid + " failed (exit " + exit + ")");
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Stopping
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Stops the TPM: TPM2_Shutdown(CLEAR) over the data port (skipped after 2 seconds if another client holds the
   * port), SIGTERM to the pid (checked to be swtpm), SIGKILL after 5 seconds. Idempotent; leaves nothing running.
   *
   * @throws UncheckedIOException if the process survives SIGKILL
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!isSwtpm(pid)) {
        return;
      }
      try {
        resume();
        exchange(TpmCommands.shutdownClear(), Duration.ofSeconds(2));
      } catch (IOException e) {
        // Busy or hung: the process is terminated anyway; a non-orderly stop only costs a DA failure next time.
      }
      terminate();
    } finally {
      RUNNING.remove(this);
      try {
        Files.deleteIfExists(dir.resolve("swtpm.pid"));
      } catch (IOException e) {
        // a stale pid file is detected by the next start (the pid is checked to be swtpm)
      }
    }
  }

  private void terminate() {
    Processes.terminate("swtpm", pid, Swtpm::isSwtpm, Swtpm::isSwtpm, STOP_DEADLINE, POLL);
  }

  @Override
  public String toString() {
    return "Swtpm[" + HOST + ":" + port + ", pid " + pid + ", " + dir + (closed ? ", closed]" : "]");
  }

  // ------------------------------------------------------------------------------------------------------------
  // Process and file helpers
  // ------------------------------------------------------------------------------------------------------------

  /** True while the pid is a live (not zombie) process named swtpm. */
  static boolean isSwtpm(long pid) {
    if (Files.isDirectory(Path.of("/proc", "self"))) {
      return Processes.isLive(pid, "swtpm");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    return handle.isPresent() && handle.get().isAlive()
        && handle.get().info().command().map(c -> c.endsWith("swtpm")).orElse(false);
  }

  /** A free port P on 127.0.0.1 such that P+1 is free too (checked by binding both). */
  private static int freePortPair() throws IOException {
    InetAddress loopback = Loopback.address();
    for (int i = 0; i < 50; i++) {
      try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
        int p = first.getLocalPort();
        if (p >= 65535) {
          continue;
        }
        ServerSocket second;
        try {
          second = new ServerSocket(p + 1, 1, loopback);
        } catch (IOException e) {
          continue; // P+1 taken: try another pair
        }
        second.close();
        return p;
      }
    }
    throw new IOException("no free port pair on " + HOST);
  }

  private static String tool(String name) throws IOException {
    if (TOOL_FINDER.find(name).isEmpty()) {
      requireInstalled();
    }
    return TOOL_FINDER.path(name);
  }

  /** Runs a command to completion with output to a file; returns the exit code. */
  private static int run(List<String> command, Path output, Duration deadline, @Nullable Path xdgConfig)
      throws IOException {
    ProcessBuilder builder = Commands.builder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    if (xdgConfig != null) {
      builder.environment().put("XDG_CONFIG_HOME", xdgConfig.toString());
    }
    return Commands.run(builder, deadline);
  }

  private static String tail(Path file) {
    return HarnessFiles.tail(file, 5);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("template directory " + from + " is missing");
    }
    HarnessFiles.deleteTree(to);
    Files.createDirectories(to);
    try (var entries = Files.list(from)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        Path target = to.resolve(entry.getFileName().toString());
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          copyTree(entry, target);
        } else {
          Files.copy(entry, target, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static X509Certificate readCertificate(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException e) {
      throw new IOException("cannot parse the certificate " + file + ": " + e.getMessage(), e);
    }
  }
}
