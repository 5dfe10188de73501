package dev.ngc4j.testkit.kdc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ngc4j.testkit.internal.Commands;
import dev.ngc4j.testkit.internal.HarnessFiles;
import dev.ngc4j.testkit.internal.Loopback;
import dev.ngc4j.testkit.internal.Processes;
import dev.ngc4j.testkit.internal.RunningInstances;
import dev.ngc4j.testkit.internal.ToolFinder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.jspecify.annotations.Nullable;

/**
 * A real MIT Kerberos KDC ({@code krb5kdc}) with PKINIT, started by a test in its own directory on a free loopback
 * port, with its own realm, database, CA, KDC certificate and CRL, and stopped again by pid. It is the counterpart
 * the PKINIT client is proven against (issue 5): certificate trust, key trust as MIT can emulate it (kerberos.md
 * 1.4), and every broken KDC certificate a strict client must refuse ({@link KdcCertProfile}).
 *
 * <h2>What {@link Builder#start()} does</h2>
 *
 * <ol>
 *   <li>Checks that {@code krb5kdc}, {@code kdb5_util}, {@code kadmin.local}, {@code kinit}, {@code klist},
 *       {@code kvno} and the PKINIT plugin ({@code pkinit.so}) are installed, and fails with {@link #INSTALL_HINT}
 *       otherwise.
 *   <li>Builds the PKI in Java (BouncyCastle's certificate builders; no JCA provider is registered): the CA and an
 *       unrelated CA (RSA-2048, cached per JVM), a KDC key (RSA-2048, one per instance, generated ahead on a
 *       background thread while the previous instance runs) and a KDC certificate of the chosen profile, and an empty
 *       CRL of the CA, which an HTTP server on 127.0.0.1 serves at {@link #crlUri()}.
 *   <li>Writes {@code krb5.conf} (the client profile) and {@code kdc.conf} into the directory (never {@code /etc}),
 *       creates the database with {@code kdb5_util create -s} (random master password, stash file in the
 *       directory), and starts {@code krb5kdc -r REALM -P pidfile}, listening on UDP and TCP 127.0.0.1:{@link #port()}.
 *       It polls (with a deadline) until the TCP port answers; a failure carries the tail of the KDC log.
 * </ol>
 *
 * <p>KDC settings: the four AES enctypes, {@code pkinit_eku_checking = kpClientAuth}, {@code pkinit_allow_upn =
 * true}, {@code pkinit_indicator = pkinit}, anchors {@code FILE:pki/ca.pem} plus {@code DIR:pki/kt-anchors} (the
 * key-trust anchors), and optionally {@code pkinit_require_freshness} and {@code pkinit_require_crl_checking} with
 * {@code pkinit_revoke = FILE:pki/ca-crl.pem}. The client profile ({@link #krb5Conf()}) points at the KDC over TCP
 * ({@code udp_preference_limit = 1}), trusts the CA, and wants the KDC EKU with {@code pkinit_kdc_hostname}
 * {@code localhost} and the realm's DNS name.
 *
 * <h2>Files in the directory</h2>
 *
 * <p>{@code krb5.conf}, {@code kdc.conf}, {@code db/} (database, stash, ACL), {@code pki/} ({@code ca.pem},
 * {@code other-ca.pem}, {@code kdc.pem}, {@code kdc-key.pem}, {@code ca.crl}, {@code ca-crl.pem},
 * {@code kt-anchors/}), {@code keytabs/}, {@code log/krb5kdc.log} ({@link #kdcLog()}), {@code run/krb5kdc.pid}, and
 * {@code trace/}: every MIT tool run by this class writes its {@code KRB5_TRACE} there.
 *
 * <h2>Stopping</h2>
 *
 * <p>{@link #stop()} sends SIGTERM to the pid from the pid file after checking in {@code /proc} that it is a live
 * {@code krb5kdc} started for this directory, and SIGKILL if it has not exited within 5 seconds; the directory stays,
 * so {@link #restart()} brings the same KDC back. {@link #close()} also stops the CRL server. A JVM shutdown hook
 * stops any instance a test forgot.
 *
 * <p>Thread safety: safe for concurrent use; state-changing methods are serialized.
 *
 * @since 0.1.0
 */
public final class MitKdc implements AutoCloseable {
  /** The realm unless {@link Builder#realm(String)} says otherwise. */
  public static final String DEFAULT_REALM = "WHFB.TEST";
  /** The loopback address the KDC and the CRL server listen on. */
  public static final String HOST = "127.0.0.1";
  /** The install hint every "tool missing" failure carries. */
  public static final String INSTALL_HINT =
      "install krb5-kdc krb5-pkinit krb5-admin-server krb5-user (./scripts/setup-debian.sh)";

  static final List<String> TOOLS = List.of("krb5kdc", "kdb5_util", "kadmin.local", "kinit", "klist", "kvno");
  private static final Duration START_DEADLINE = Duration.ofSeconds(15);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
  private static final Duration TOOL_DEADLINE = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 10;
  private static final String ENCTYPES = "aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal"
      + " aes256-cts-hmac-sha384-192:normal aes128-cts-hmac-sha256-128:normal";
  private static final Duration POLL = Duration.ofMillis(10);
  /** Where tools are after PATH (the daemons live in /usr/sbin). */
  private static final ToolFinder TOOL_FINDER = new ToolFinder(INSTALL_HINT,
      "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");
  private static final RunningInstances<MitKdc> RUNNING =
      new RunningInstances<>("ngc4j-krb5kdc-cleanup", MitKdc::close);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final String realm;
  private final boolean requireFreshness;
  private final int dhMinBits;
  private final boolean crlCheck;
  private final int fixedPort;
  private final KeyPair kdcKeys;
  private final HttpServer crlServer;
  private final URI crlUri;
  private final Map<BigInteger, Instant> revoked = new LinkedHashMap<>();
  private final AtomicInteger toolRuns = new AtomicInteger();
  private BigInteger crlNumber = BigInteger.ZERO;
  private volatile byte[] crl = new byte[0];
  private volatile X509Certificate kdcCertificate;
  private volatile int port;
  private volatile long pid = -1;
  private volatile boolean closed;

  // ------------------------------------------------------------------------------------------------------------
  // Building and starting
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Starts building a KDC that keeps its files in {@code dir}.
   *
   * @param dir a directory for the configuration, database, PKI, logs and pid file (created if missing; the caller
   *     deletes it afterwards, typically a JUnit {@code @TempDir}); must not hold a running KDC
   * @return a builder with the defaults: realm {@code WHFB.TEST}, {@link KdcCertProfile#STANDARD}, no freshness or
   *     CRL requirement, a free port
   * @since 0.1.0
   */
  public static Builder builder(Path dir) {
    return new Builder(Objects.requireNonNull(dir, "dir"));
  }

  /**
   * Settings for a {@link MitKdc}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Path dir;
    private String realm = DEFAULT_REALM;
    private KdcCertProfile profile = KdcCertProfile.STANDARD;
    private boolean requireFreshness;
    private int dhMinBits = 2048;
    private boolean crlCheck;
    private int port;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * Sets the realm.
     *
     * @param realm upper-case letters, digits, dots and dashes; default {@code WHFB.TEST}
     * @return this builder
     * @throws IllegalArgumentException if the realm has other characters
     * @since 0.1.0
     */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm");
      if (!realm.matches("[A-Z0-9][A-Z0-9.-]*")) {
        throw new IllegalArgumentException("realm must be upper case [A-Z0-9.-]: " + realm);
      }
      this.realm = realm;
      return this;
    }

    /**
     * Sets the profile of the KDC's certificate.
     *
     * @param profile default {@link KdcCertProfile#STANDARD}
     * @return this builder
     * @since 0.1.0
     */
    public Builder kdcCertificate(KdcCertProfile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * Makes the KDC require an RFC 8070 freshness token ({@code pkinit_require_freshness}).
     *
     * @param require default {@code false}
     * @return this builder
     * @since 0.1.0
     */
    public Builder requireFreshness(boolean require) {
      this.requireFreshness = require;
      return this;
    }

    /**
     * Sets the smallest Diffie-Hellman modulus the KDC accepts ({@code pkinit_dh_min_bits}); a client offering a
     * smaller group gets KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED with the groups the KDC takes (TD-DH-PARAMETERS).
     *
     * @param bits 2048 (MIT's default) or 4096
     * @return this builder
     * @throws IllegalArgumentException for other sizes
     * @since 0.1.0
     */
    public Builder dhMinBits(int bits) {
      if (bits != 2048 && bits != 4096) {
        throw new IllegalArgumentException("MIT's pkinit_dh_min_bits must be 2048 or 4096 here, not " + bits);
      }
      this.dhMinBits = bits;
      return this;
    }

    /**
     * Makes the KDC check client certificates against the CA's CRL ({@code pkinit_require_crl_checking}, with
     * {@code pkinit_revoke} pointing at the CRL file). The KDC reads the CRL when it starts; {@link
     * #revokeCertificate(X509Certificate)} restarts it. Key-trust anchors have no CRL, so with this on a self-signed
     * certificate is refused.
     *
     * @param check default {@code false}
     * @return this builder
     * @since 0.1.0
     */
    public Builder crlCheck(boolean check) {
      this.crlCheck = check;
      return this;
    }

    /**
     * Sets a fixed port for UDP and TCP (for a lab KDC with a known address); tests keep the default.
     *
     * @param port 1024 to 65535, or 0 (the default) for a free port chosen at start
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     * @since 0.1.0
     */
    public Builder port(int port) {
      if (port != 0 && (port < 1024 || port > 65535)) {
        throw new IllegalArgumentException("port must be 0 or 1024..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Builds the PKI, writes the profiles, creates the database and starts {@code krb5kdc}.
     *
     * @return the running KDC; close it when done
     * @throws IOException if the Kerberos packages are missing (the message says {@link #INSTALL_HINT}), the
     *     directory holds a running KDC, or the KDC does not start and answer within 15 seconds (the message carries
     *     the tail of its log)
     * @since 0.1.0
     */
    public MitKdc start() throws IOException {
      return MitKdc.start(this);
    }
  }

  private MitKdc(Path dir, Builder b, HttpServer crlServer) {
    this.dir = dir;
    this.realm = b.realm;
    this.requireFreshness = b.requireFreshness;
    this.dhMinBits = b.dhMinBits;
    this.crlCheck = b.crlCheck;
    this.fixedPort = b.port;
    this.crlServer = crlServer;
    this.crlUri = URI.create("http://" + HOST + ":" + crlServer.getAddress().getPort() + "/ca.crl");
    this.kdcKeys = TestPki.freshKeyPair();
    this.kdcCertificate = TestPki.kdcCertificate(b.profile, realm, kdcKeys.getPublic(), crlUri);
  }

  private static MitKdc start(Builder b) throws IOException {
    requireInstalled();
    Path d = b.dir.toAbsolutePath().normalize();
    if (d.toString().contains(",") || d.toString().contains("\"")) {
      throw new IOException("the KDC directory path must not contain ',' or '\"' (MIT's FILE: identities): " + d);
    }
    Files.createDirectories(d);
    Path pidFile = d.resolve("run").resolve("krb5kdc.pid");
    Optional<Long> old = Processes.readPid(pidFile);
    if (old.isPresent() && isKrb5kdc(old.get())) {
      throw new IOException("a krb5kdc (pid " + old.get() + ") already runs for " + d + "; close it first");
    }
    for (String sub : List.of("db", "keytabs", "pki")) {
      HarnessFiles.deleteTree(d.resolve(sub));
    }
    for (String sub : List.of("db", "keytabs", "pki/kt-anchors", "log", "run", "trace")) {
      Files.createDirectories(d.resolve(sub));
    }
    Files.deleteIfExists(pidFile);
    HttpServer server = HttpServer.create(new InetSocketAddress(Loopback.address(), 0), 0);
    @Nullable MitKdc kdc = null;
    boolean ok = false;
    try {
      MitKdc k = new MitKdc(d, b, server);
      kdc = k;
      server.createContext("/", k::serveCrl);
      server.start();
      k.writePki();
      k.port = b.port != 0 ? b.port : freePort();
      k.writeProfiles();
      k.createDatabase();
      k.launch();
      ok = true;
      return k;
    } finally {
      if (!ok) {
        if (kdc != null) {
          kdc.close();
        } else {
          server.stop(0);
        }
      }
    }
  }

  /**
   * Checks that MIT Kerberos with PKINIT is installed: the tools {@code krb5kdc}, {@code kdb5_util},
   * {@code kadmin.local}, {@code kinit}, {@code klist}, {@code kvno}, and the plugin
   * {@code /usr/lib/<arch>/krb5/plugins/preauth/pkinit.so}.
   *
   * @throws IOException naming what is missing and saying {@link #INSTALL_HINT}
   * @since 0.1.0
   */
  public static void requireInstalled() throws IOException {
    List<String> missing = new ArrayList<>(TOOL_FINDER.missing(TOOLS));
    if (findPkinitPlugin().isEmpty()) {
      missing.add("the PKINIT plugin krb5/plugins/preauth/pkinit.so");
    }
    if (!missing.isEmpty()) {
      throw new IOException("MIT Kerberos with PKINIT is not installed (missing: " + String.join(", ", missing)
          + "); " + INSTALL_HINT);
    }
  }

  private static Optional<Path> findPkinitPlugin() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so"));
    try (var libs = Files.list(Path.of("/usr/lib"))) {
      libs.forEach(lib -> candidates.add(lib.resolve("krb5/plugins/preauth/pkinit.so")));
    } catch (IOException e) {
      // no /usr/lib listing: only the default candidate is checked
    }
    candidates.add(Path.of("/usr/lib/krb5/plugins/preauth/pkinit.so"));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Accessors
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Returns the realm.
   *
   * @return the realm, e.g. {@code WHFB.TEST}
   * @since 0.1.0
   */
  public String realm() {
    return realm;
  }

  /**
   * Returns where the KDC listens (UDP and TCP).
   *
   * @return 127.0.0.1 and {@link #port()}
   * @since 0.1.0
   */
  public InetSocketAddress address() {
    try {
      return new InetSocketAddress(Loopback.address(), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns the KDC port (the same for UDP and TCP). A {@link #restart()} keeps it unless another process took it
   * meanwhile (then a new one is chosen, which this returns).
   *
   * @return the port
   * @since 0.1.0
   */
  public int port() {
    return port;
  }

  /**
   * Returns the KDC's directory.
   *
   * @return the absolute directory
   * @since 0.1.0
   */
  public Path dir() {
    return dir;
  }

  /**
   * Returns the client profile: set {@code KRB5_CONFIG} to it for MIT tools; it names the KDC, the CA anchor and
   * the client's PKINIT checks.
   *
   * @return {@code dir/krb5.conf}
   * @since 0.1.0
   */
  public Path krb5Conf() {
    return dir.resolve("krb5.conf");
  }

  /**
   * Returns the KDC profile ({@code KRB5_KDC_PROFILE}).
   *
   * @return {@code dir/kdc.conf}
   * @since 0.1.0
   */
  public Path kdcConf() {
    return dir.resolve("kdc.conf");
  }

  /**
   * Returns the CA certificate: the client's trust anchor for the KDC, and the issuer of client certificates.
   *
   * @return the CA certificate (shared by every instance of this JVM)
   * @since 0.1.0
   */
  public X509Certificate caCertificate() {
    return TestPki.ca().certificate();
  }

  /**
   * Returns the KDC's current certificate.
   *
   * @return the certificate of the profile given at start or to the last {@link #reissueKdcCertificate}
   * @since 0.1.0
   */
  public X509Certificate kdcCertificate() {
    return kdcCertificate;
  }

  /**
   * Returns an unrelated CA's certificate, which neither the KDC nor the client profile trusts (the issuer of
   * {@link KdcCertProfile#UNTRUSTED_CA}).
   *
   * @return the certificate
   * @since 0.1.0
   */
  public X509Certificate otherCaCertificate() {
    return TestPki.otherCa().certificate();
  }

  /**
   * Returns where the CA's CRL is served over HTTP on loopback; the CRL distribution point of the KDC and client
   * certificates.
   *
   * @return {@code http://127.0.0.1:<port>/ca.crl}
   * @since 0.1.0
   */
  public URI crlUri() {
    return crlUri;
  }

  /**
   * Returns the CA's current CRL, as served at {@link #crlUri()}.
   *
   * @return DER bytes (a copy)
   * @since 0.1.0
   */
  public byte[] crl() {
    return crl.clone();
  }

  /**
   * Returns whether {@code krb5kdc} is running (not stopped or closed).
   *
   * @return true while the KDC process is alive
   * @since 0.1.0
   */
  public boolean isRunning() {
    long p = pid;
    return p > 0 && isOurKdc(p);
  }

  /** The pid of the running krb5kdc, if any (for tests of the harness). */
  OptionalLong pid() {
    long p = pid;
    return p > 0 ? OptionalLong.of(p) : OptionalLong.empty();
  }

  /**
   * Returns the KDC's log ({@code log/krb5kdc.log}); PKINIT decisions and {@code ISSUE} lines show up here.
   *
   * @return the whole log so far, or "" if there is none
   * @since 0.1.0
   */
  public String kdcLog() {
    try {
      return new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Principals and certificates
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Adds a user that can only log in with PKINIT: {@code addprinc -nokey +requires_preauth}.
   *
   * @param name {@code alice} or {@code alice@REALM}
   * @throws IllegalArgumentException if the name has characters other than {@code [A-Za-z0-9._-]} (and {@code /})
   * @throws UncheckedIOException if kadmin.local fails (for example, the principal exists)
   * @since 0.1.0
   */
  public synchronized void addUser(String name) {
    KerberosName principal = principal(name);
    try {
      kadmin("addprinc -nokey +requires_preauth " + principal, "Principal \"" + principal + "\" created");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Adds a service principal with a random key ({@code addprinc -randkey}) and writes its keys to a keytab
   * ({@code ktadd}), so that {@code kvno} and service-side code can use it.
   *
   * @param principal e.g. {@code host/localhost}
   * @return the keytab, {@code dir/keytabs/<name>.keytab}
   * @throws IllegalArgumentException if the name has unsupported characters
   * @throws UncheckedIOException if kadmin.local fails
   * @since 0.1.0
   */
  public synchronized Path addService(String principal) {
    KerberosName name = principal(principal);
    Path keytab = dir.resolve("keytabs").resolve(name.fileName() + ".keytab");
    try {
      kadmin("addprinc -randkey " + name, "Principal \"" + name + "\" created");
      kadmin("ktadd -k " + keytab + " " + name, "added to keytab");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keytab;
  }

  /**
   * Certificate trust: the CA issues a client certificate for this public key, with the profile of kerberos.md 1.2:
   * EKU id-pkinit-KPClientAuth + clientAuth + MS smart-card logon, KU digitalSignature, SAN id-pkinit-san
   * {@code name@REALM} + MS UPN otherName {@code name@REALM}, subject {@code CN=name,O=ngc4j test}, CRL distribution
   * point {@link #crlUri()}, valid from an hour ago for a year.
   *
   * @param key the client's public key
   * @param principal {@code alice} or {@code alice@REALM}
   * @return the certificate
   * @since 0.1.0
   */
  public X509Certificate issueClientCertificate(PublicKey key, String principal) {
    Objects.requireNonNull(key, "key");
    return TestPki.clientCertificate(key, principal(principal), crlUri);
  }

  /**
   * Certificate trust from a PKCS#10 request: verifies the request's signature with its own public key, then issues
   * as {@link #issueClientCertificate(PublicKey, String)} (the request's subject and attributes are ignored).
   *
   * @param pkcs10Der the DER request
   * @param principal {@code alice} or {@code alice@REALM}
   * @return the certificate
   * @throws IllegalArgumentException if the request does not parse or its signature does not verify
   * @since 0.1.0
   */
  public X509Certificate signCertificateRequest(byte[] pkcs10Der, String principal) {
    Objects.requireNonNull(pkcs10Der, "pkcs10Der");
    PublicKey key;
    boolean valid;
    try {
      // The JDK's providers verify (BouncyCastle's would re-validate the modulus with Miller-Rabin rounds).
      JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(pkcs10Der);
      valid = request.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()));
      key = request.getPublicKey();
    } catch (IOException | RuntimeException | OperatorCreationException | PKCSException
        | GeneralSecurityException e) {
      throw new IllegalArgumentException("not a valid PKCS#10 request: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new IllegalArgumentException("the PKCS#10 request's signature does not verify with its public key");
    }
    return issueClientCertificate(key, principal);
  }

  /**
   * Key-trust emulation (kerberos.md 1.4): makes a self-signed client certificate a KDC trust anchor (a file in
   * {@code pki/kt-anchors}) and binds it to the principal with the {@code pkinit_cert_match} string attribute
   * {@code &&<SUBJECT>^DN$<ISSUER>^DN$}, then restarts the KDC if it runs (MIT reads anchors only at startup). A
   * second call for the same principal replaces its certificate.
   *
   * <p>Refused, because any anchor that can act as a CA lets its owner mint certificates for every principal of the
   * realm (kerberos.md 1.4, E5): a certificate with basicConstraints CA:TRUE, with keyUsage keyCertSign, or of
   * version 1. Also refused: a certificate that is not self-signed, and subjects with characters other than
   * {@code [A-Za-z0-9 =,.@_-]} (they would need escaping in the match expression, and multi-valued RDNs).
   *
   * @param principal the principal to bind ({@code bob} or {@code bob@REALM}); it must exist ({@link #addUser})
   * @param selfSigned the client's self-signed certificate
   * @throws IllegalArgumentException if the certificate is refused (see above)
   * @throws IOException if kadmin.local or the restart fails
   * @since 0.1.0
   */
  public synchronized void trustSelfSigned(String principal, X509Certificate selfSigned) throws IOException {
    Objects.requireNonNull(selfSigned, "selfSigned");
    KerberosName name = principal(principal);
    if (selfSigned.getBasicConstraints() >= 0) {
      throw new IllegalArgumentException("refusing a CA:TRUE certificate as a key-trust anchor: its key could issue"
          + " certificates for any principal of the realm; make it basicConstraints CA:FALSE");
    }
    boolean[] keyUsage = selfSigned.getKeyUsage();
    if (keyUsage != null && keyUsage.length > 5 && keyUsage[5]) {
      throw new IllegalArgumentException("refusing a key-trust anchor with keyUsage keyCertSign");
    }
    if (selfSigned.getVersion() < 3) {
      throw new IllegalArgumentException("refusing a version " + selfSigned.getVersion() + " certificate as a"
          + " key-trust anchor (OpenSSL treats self-signed v1 certificates as CAs)");
    }
    if (!selfSigned.getSubjectX500Principal().equals(selfSigned.getIssuerX500Principal())) {
      throw new IllegalArgumentException("not self-signed: subject " + selfSigned.getSubjectX500Principal()
          + ", issuer " + selfSigned.getIssuerX500Principal());
    }
    try {
      selfSigned.verify(selfSigned.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not self-signed: the signature does not verify with its own key", e);
    }
    String rfc2253 = selfSigned.getSubjectX500Principal().getName(X500Principal.RFC2253);
    if (rfc2253.isEmpty() || !rfc2253.matches("[A-Za-z0-9 =,.@_-]+")) {
      throw new IllegalArgumentException("unsupported subject for a key-trust anchor: '" + rfc2253 + "'");
    }
    // MIT prints the subject with OpenSSL's XN_FLAG_SEP_COMMA_PLUS: the RDNs in certificate (ASN.1) order, the
    // reverse of RFC 2253's string order (checked against krb5kdc 1.20 with a two-RDN subject).
    List<String> rdns = new ArrayList<>(List.of(rfc2253.split(",", -1)));
    Collections.reverse(rdns);
    String regex = "^" + String.join(",", rdns).replace(".", "[.]") + "$";
    HarnessFiles.writeAtomically(dir.resolve("pki/kt-anchors").resolve(name.fileName() + ".pem"),
        TestPki.pem(selfSigned));
    kadmin("set_string " + name + " pkinit_cert_match \"&&<SUBJECT>" + regex + "<ISSUER>" + regex + "\"",
        "Attribute set for principal");
    restartIfRunning();
  }

  /**
   * Gives the KDC a new certificate of another profile (same KDC key) and restarts it if it runs.
   *
   * @param profile the new certificate's profile
   * @throws IOException if writing or the restart fails
   * @since 0.1.0
   */
  public synchronized void reissueKdcCertificate(KdcCertProfile profile) throws IOException {
    Objects.requireNonNull(profile, "profile");
    kdcCertificate = TestPki.kdcCertificate(profile, realm, kdcKeys.getPublic(), crlUri);
    HarnessFiles.writeAtomically(dir.resolve("pki/kdc.pem"), TestPki.pem(kdcCertificate));
    restartIfRunning();
  }

  /**
   * Adds the KDC's current certificate to the CA's CRL: {@link #crlUri()} serves the new CRL at once, and
   * {@code pki/ca.crl} / {@code pki/ca-crl.pem} are rewritten. The KDC keeps running with the revoked certificate.
   *
   * @throws IOException if the CRL files cannot be written
   * @since 0.1.0
   */
  public synchronized void revokeKdcCertificate() throws IOException {
    revoke(kdcCertificate);
  }

  /**
   * Adds a certificate the CA issued (a client certificate) to the CA's CRL, as {@link #revokeKdcCertificate()},
   * and restarts the KDC if it runs with {@link Builder#crlCheck(boolean)} (it reads the CRL at startup).
   *
   * @param certificate a certificate issued by {@link #caCertificate()}
   * @throws IllegalArgumentException if another CA issued it
   * @throws IOException if writing or the restart fails
   * @since 0.1.0
   */
  public synchronized void revokeCertificate(X509Certificate certificate) throws IOException {
    revoke(certificate);
    if (crlCheck) {
      restartIfRunning();
    }
  }

  private void revoke(X509Certificate certificate) throws IOException {
    Objects.requireNonNull(certificate, "certificate");
    if (!certificate.getIssuerX500Principal().equals(caCertificate().getSubjectX500Principal())) {
      throw new IllegalArgumentException("the harness CA did not issue " + certificate.getSubjectX500Principal());
    }
    revoked.putIfAbsent(certificate.getSerialNumber(), Instant.now().minusSeconds(1));
    publishCrl();
  }

  // ------------------------------------------------------------------------------------------------------------
  // Life cycle
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Stops the KDC if it runs and starts it again with the same directory, database and port (a new port only if
   * another process took it meanwhile); anchors, the KDC certificate and the CRL are re-read.
   *
   * @throws IOException if the KDC does not come back within 15 seconds
   * @throws IllegalStateException after {@link #close()}
   * @since 0.1.0
   */
  public synchronized void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException("this KDC is closed");
    }
    stop();
    launch();
  }

  private void restartIfRunning() throws IOException {
    if (!closed && isRunning()) {
      restart();
    }
  }

  /**
   * Stops {@code krb5kdc} (SIGTERM, SIGKILL after 5 seconds) and keeps the directory and the CRL server: for "KDC
   * down" tests; {@link #restart()} brings it back. Idempotent.
   *
   * @throws UncheckedIOException if the process survives SIGKILL
   * @since 0.1.0
   */
  public synchronized void stop() {
    long p = pid;
    pid = -1;
    RUNNING.remove(this);
    try {
      if (p > 0 && isOurKdc(p)) {
        terminate(p);
      }
    } finally {
      try {
        Files.deleteIfExists(pidFile());
      } catch (IOException e) {
        // a stale pid file is detected by the next start (the pid is checked in /proc)
      }
    }
  }

  /**
   * Stops the KDC and the CRL server. Deletes nothing: the directory belongs to the caller. Idempotent.
   *
   * @throws UncheckedIOException if the KDC process survives SIGKILL
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      crlServer.stop(0);
    }
  }

  @Override
  public String toString() {
    return "MitKdc[" + realm + " at " + HOST + ":" + port + (pid > 0 ? ", pid " + pid : ", stopped") + ", " + dir
        + (closed ? ", closed]" : "]");
  }

  private void launch() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        port = freePort();
        writeProfiles();
      }
      long logStart = size(logFile());
      Files.deleteIfExists(pidFile());
      ToolResult result = runTool(List.of(tool("krb5kdc"), "-r", realm, "-P", pidFile().toString()), "krb5kdc",
          START_DEADLINE);
      if (result.exitCode() != 0) {
        String log = logSince(logStart);
        last = new IOException("krb5kdc did not start on " + HOST + ":" + port + " (" + result.describe() + "): "
            + tail(log));
        if (fixedPort == 0 && log.contains("Address already in use")) {
          continue; // another process took the port meanwhile: try another one
        }
        throw last;
      }
      long p = awaitPid();
      pid = p;
      RUNNING.add(this);
      boolean ready = false;
      try {
        awaitAnswer(p, logStart);
        String log = logSince(logStart);
        // krb5kdc runs on without a preauth plugin that fails to load; a PKINIT harness must not.
        if (log.contains("preauth pkinit failed to initialize")) {
          throw new IOException("krb5kdc started without PKINIT: " + tail(log));
        }
        ready = true;
        return;
      } finally {
        if (!ready) {
          stop();
        }
      }
    }
    throw last != null ? last : new IOException("no free loopback port for krb5kdc");
  }

  private long awaitPid() throws IOException {
    return Processes.awaitPid(pidFile(), START_DEADLINE, POLL).orElseThrow(() -> new IOException(
        "krb5kdc wrote no pid file " + pidFile() + " within " + START_DEADLINE + ": " + tail(kdcLog())));
  }

  private void awaitAnswer(long p, long logStart) throws IOException {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    IOException lastError = null;
    while (System.nanoTime() < deadline) {
      if (!isOurKdc(p)) {
        throw new IOException("krb5kdc (pid " + p + ") exited right after starting: " + tail(logSince(logStart)));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(Loopback.address(), port), 500);
        // Ready means serving and done initialising: the port may answer a moment before krb5kdc logs it.
        if (logSince(logStart).contains("commencing operation")) {
          return;
        }
      } catch (IOException e) {
        lastError = e;
      }
      Processes.pause(POLL);
    }
    throw new IOException("krb5kdc (pid " + p + ") did not become ready (accept TCP connections on " + HOST + ":"
        + port + " and log 'commencing operation') within " + START_DEADLINE + " (" + lastError + "): " + tail(logSince(logStart)), lastError);
  }

  private void terminate(long p) {
    Processes.terminate("krb5kdc", p, this::isOurKdc, MitKdc::isKrb5kdc, STOP_DEADLINE, POLL);
  }

  // ------------------------------------------------------------------------------------------------------------
  // MIT tools
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Runs MIT {@code kinit} with a certificate identity: {@code kinit -X X509_anchors=FILE:<CA> [-X
   * X509_anchors=FILE:<extra>]... -X X509_user_identity=FILE:<cert>,<key> -c FILE:<ccache> <principal>}, with
   * {@code KRB5_CONFIG=}{@link #krb5Conf()}. Anchors given on the command line replace the profile's, so the CA is
   * always passed; for key trust, pass the self-signed certificate itself as an extra anchor (MIT's client checks its
   * own chain first, kerberos.md 1.4).
   *
   * @param certPem the client certificate (PEM)
   * @param keyPem its private key (unencrypted PEM)
   * @param principal the client principal, {@code alice} or {@code alice@REALM}
   * @param ccache the credential cache file to write
   * @param extraAnchors more anchor files (PEM), may be empty
   * @return the exit code and output; standard input is empty, so a PKINIT failure ends in a failed password prompt
   * @throws IllegalArgumentException if a path contains a comma (MIT's FILE: syntax cannot take it)
   * @since 0.1.0
   */
  public ToolResult kinitWithCertificate(Path certPem, Path keyPem, String principal, Path ccache,
      List<Path> extraAnchors) {
    List<String> command = new ArrayList<>(List.of(tool("kinit"), "-X", "X509_anchors=FILE:" + caFile()));
    for (Path anchor : extraAnchors) {
      command.add("-X");
      command.add("X509_anchors=FILE:" + fileArgument(anchor));
    }
    command.addAll(List.of("-X", "X509_user_identity=FILE:" + fileArgument(certPem) + "," + fileArgument(keyPem),
        "-c", "FILE:" + fileArgument(ccache), Objects.requireNonNull(principal, "principal")));
    return runToolUnchecked(command, "kinit");
  }

  /**
   * Runs {@code klist -e -f -c FILE:<ccache>}: lists the tickets with their enctypes and flags.
   *
   * @param ccache the credential cache file
   * @return the exit code and output
   * @since 0.1.0
   */
  public ToolResult klist(Path ccache) {
    return runToolUnchecked(List.of(tool("klist"), "-e", "-f", "-c", "FILE:" + fileArgument(ccache)), "klist");
  }

  /**
   * Runs {@code kvno -c FILE:<ccache> <service>}: gets a service ticket with the TGT in the cache (and stores it
   * there).
   *
   * @param ccache the credential cache file
   * @param service e.g. {@code host/localhost}
   * @return the exit code and output
   * @since 0.1.0
   */
  public ToolResult kvno(Path ccache, String service) {
    return runToolUnchecked(List.of(tool("kvno"), "-c", "FILE:" + fileArgument(ccache),
        Objects.requireNonNull(service, "service")), "kvno");
  }

  private ToolResult runToolUnchecked(List<String> command, String name) {
    try {
      return runTool(command, name, TOOL_DEADLINE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void kadmin(String query, String expected) throws IOException {
    ToolResult result = runTool(List.of(tool("kadmin.local"), "-r", realm, "-q", query), "kadmin", TOOL_DEADLINE);
    // kadmin.local -q exits 0 even when the query fails, so success is recognized by its message.
    if (result.exitCode() != 0 || !(result.stdout() + result.stderr()).contains(expected)) {
      throw new IOException("kadmin.local failed: " + query + " (" + result.describe() + ")");
    }
  }

  /** Runs a tool with the KDC's environment; stdout and stderr go to files under run/ and are read back. */
  private ToolResult runTool(List<String> command, String name, Duration deadline) throws IOException {
    int n = toolRuns.incrementAndGet();
    Path out = dir.resolve("run").resolve(name + "-" + n + ".out");
    Path err = dir.resolve("run").resolve(name + "-" + n + ".err");
    ProcessBuilder builder = Commands.builder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    for (String variable : List.of("KRB5CCNAME", "KRB5_KTNAME", "KRB5_CLIENT_KTNAME", "KRB5_TRACE", "KRB5RCACHEDIR",
        "KRB5RCACHENAME", "KRB5_CONFIG", "KRB5_KDC_PROFILE")) {
      env.remove(variable);
    }
    env.put("KRB5_CONFIG", krb5Conf().toString());
    env.put("KRB5_KDC_PROFILE", kdcConf().toString());
    env.put("KRB5CCNAME", "FILE:" + dir.resolve("run").resolve("default.ccache"));
    env.put("KRB5_TRACE", dir.resolve("trace").resolve(name + "-" + n + ".log").toString());
    int exitCode = Commands.run(builder, deadline);
    return new ToolResult(exitCode, HarnessFiles.readOrEmpty(out), HarnessFiles.readOrEmpty(err));
  }

  private static String fileArgument(Path file) {
    String s = file.toAbsolutePath().toString();
    if (s.contains(",")) {
      throw new IllegalArgumentException("MIT's FILE: syntax cannot take a path with a comma: " + s);
    }
    return s;
  }

  // ------------------------------------------------------------------------------------------------------------
  // PEM helpers for tests
  // ------------------------------------------------------------------------------------------------------------

  /**
   * Writes certificates as PEM (for {@code kinit}'s {@code FILE:} identities and anchors).
   *
   * @param file the file to (over)write
   * @param chain the certificates, leaf first
   * @return {@code file}
   * @throws IOException if writing fails
   * @since 0.1.0
   */
  public static Path writeCertificatePem(Path file, X509Certificate... chain) throws IOException {
    HarnessFiles.writeAtomically(file, TestPki.pem(chain));
    return file;
  }

  /**
   * Writes a private key as unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), readable by the owner only
   * where the file system has POSIX permissions.
   *
   * @param file the file to (over)write
   * @param key the key
   * @return {@code file}
   * @throws IOException if writing fails
   * @since 0.1.0
   */
  public static Path writePrivateKeyPem(Path file, PrivateKey key) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, TestPki.pem(key), StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Files
  // ------------------------------------------------------------------------------------------------------------

  private Path pidFile() {
    return dir.resolve("run").resolve("krb5kdc.pid");
  }

  private Path logFile() {
    return dir.resolve("log").resolve("krb5kdc.log");
  }

  private Path caFile() {
    return dir.resolve("pki").resolve("ca.pem");
  }

  private void writePki() throws IOException {
    HarnessFiles.writeAtomically(caFile(), TestPki.pem(caCertificate()));
    HarnessFiles.writeAtomically(dir.resolve("pki/other-ca.pem"), TestPki.pem(otherCaCertificate()));
    HarnessFiles.writeAtomically(dir.resolve("pki/kdc.pem"), TestPki.pem(kdcCertificate));
    writePrivateKeyPem(dir.resolve("pki/kdc-key.pem"), kdcKeys.getPrivate());
    publishCrl();
  }

  private void publishCrl() throws IOException {
    crlNumber = crlNumber.add(BigInteger.ONE);
    byte[] der = TestPki.crl(TestPki.ca(), revoked, crlNumber);
    HarnessFiles.writeAtomically(dir.resolve("pki/ca.crl"), der);
    HarnessFiles.writeAtomically(dir.resolve("pki/ca-crl.pem"), TestPki.crlPem(der));
    crl = der;
  }

  private void serveCrl(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!"/ca.crl".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = crl;
      exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void writeProfiles() throws IOException {
    Path pki = dir.resolve("pki");
    String dnsName = realm.toLowerCase(Locale.ROOT);
    HarnessFiles.writeAtomically(krb5Conf(), "# client profile written by ngc4j's MitKdc (KRB5_CONFIG)\n"
        + "[libdefaults]\n"
        + "    default_realm = " + realm + "\n"
        + "    dns_lookup_kdc = false\n"
        + "    dns_lookup_realm = false\n"
        + "    dns_canonicalize_hostname = false\n"
        + "    rdns = false\n"
        + "    udp_preference_limit = 1\n"
        + "    ticket_lifetime = 10h\n"
        + "    forwardable = true\n"
        + "\n"
        + "[realms]\n"
        + "    " + realm + " = {\n"
        + "        kdc = " + HOST + ":" + port + "\n"
        + "        pkinit_anchors = FILE:" + pki.resolve("ca.pem") + "\n"
        + "        pkinit_eku_checking = kpKDC\n"
        + "        pkinit_kdc_hostname = localhost\n"
        + "        pkinit_kdc_hostname = " + dnsName + "\n"
        + "    }\n"
        + "\n"
        + "[domain_realm]\n"
        + "    localhost = " + realm + "\n"
        + "    ." + dnsName + " = " + realm + "\n");
    StringBuilder realmSettings = new StringBuilder()
        .append("        database_name = ").append(dir.resolve("db/principal")).append('\n')
        .append("        key_stash_file = ").append(dir.resolve("db/stash")).append('\n')
        .append("        acl_file = ").append(dir.resolve("db/kadm5.acl")).append('\n')
        .append("        max_life = 10h\n")
        .append("        max_renewable_life = 7d\n")
        .append("        supported_enctypes = ").append(ENCTYPES).append('\n')
        .append("        pkinit_identity = FILE:").append(pki.resolve("kdc.pem")).append(',')
        .append(pki.resolve("kdc-key.pem")).append('\n')
        .append("        pkinit_anchors = FILE:").append(pki.resolve("ca.pem")).append('\n')
        .append("        pkinit_anchors = DIR:").append(pki.resolve("kt-anchors")).append('\n')
        .append("        pkinit_allow_upn = true\n")
        .append("        pkinit_eku_checking = kpClientAuth\n")
        .append("        pkinit_indicator = pkinit\n")
        .append("        pkinit_require_freshness = ").append(requireFreshness).append('\n')
        .append("        pkinit_dh_min_bits = ").append(dhMinBits).append('\n');
    if (crlCheck) {
      realmSettings.append("        pkinit_revoke = FILE:").append(pki.resolve("ca-crl.pem")).append('\n')
          .append("        pkinit_require_crl_checking = true\n");
    }
    HarnessFiles.writeAtomically(kdcConf(), "# KDC profile written by ngc4j's MitKdc (KRB5_KDC_PROFILE)\n"
        + "[kdcdefaults]\n"
        + "    kdc_listen = " + HOST + ":" + port + "\n"
        + "    kdc_tcp_listen = " + HOST + ":" + port + "\n"
        + "\n"
        + "[realms]\n"
        + "    " + realm + " = {\n"
        + realmSettings
        + "    }\n"
        + "\n"
        + "[logging]\n"
        + "    kdc = FILE:" + logFile() + "\n"
        + "    default = FILE:" + dir.resolve("log/krb5lib.log") + "\n");
    Path acl = dir.resolve("db/kadm5.acl");
    if (!Files.exists(acl)) {
      Files.writeString(acl, "");
    }
  }

  private void createDatabase() throws IOException {
    byte[] secret = new byte[24];
    RANDOM.nextBytes(secret);
    String masterPassword = HexFormat.of().formatHex(secret);
    ToolResult result = runTool(List.of(tool("kdb5_util"), "create", "-s", "-r", realm, "-P", masterPassword),
        "kdb5_util", TOOL_DEADLINE);
    if (result.exitCode() != 0) {
      // the master password is not in the output: kdb5_util does not echo it
      throw new IOException("kdb5_util create failed for " + realm + " (" + result.describe() + ")");
    }
  }

  private KerberosName principal(String name) {
    KerberosName parsed = KerberosName.parse(Objects.requireNonNull(name, "principal"), realm);
    if (!parsed.realm().equals(realm)) {
      throw new IllegalArgumentException("principal " + name + " is not in realm " + realm);
    }
    return parsed;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Process and file helpers
  // ------------------------------------------------------------------------------------------------------------

  /** True while the pid is a live (not zombie) krb5kdc whose command line names this KDC's pid file. */
  private boolean isOurKdc(long p) {
    if (!isKrb5kdc(p)) {
      return false;
    }
    try {
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p), "cmdline")),
          StandardCharsets.UTF_8);
      return cmdline.contains(pidFile().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** True while the pid is a live (not zombie) process named krb5kdc ({@code /proc/PID/stat}). */
  static boolean isKrb5kdc(long p) {
    return Processes.isLive(p, "krb5kdc");
  }

  /** A port free on 127.0.0.1 for both TCP and UDP (checked by binding both). */
  private static int freePort() throws IOException {
    InetAddress loopback = Loopback.address();
    for (int i = 0; i < 50; i++) {
      int p;
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        p = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, p))) {
          return udp.getLocalPort();
        } catch (IOException e) {
          // UDP side taken: try another
        }
      }
    }
    throw new IOException("no port free for both TCP and UDP on " + HOST);
  }

  private static String tool(String name) {
    try {
      return TOOL_FINDER.path(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private String logSince(long offset) {
    try (InputStream in = Files.newInputStream(logFile())) {
      in.skipNBytes(Math.min(offset, size(logFile())));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String log) {
    String joined = HarnessFiles.lastLines(log, 8);
    return joined.isEmpty() ? "(the KDC log is empty)" : "KDC log: " + joined;
  }
}
