package dev.ngc4j.testkit.kdc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a lab {@link MitKdc} for manual tests until the process is stopped (SIGTERM or Ctrl-C), which stops
 * {@code krb5kdc} too. {@code ./scripts/pkinit-kdc.sh} starts it in the background; it can also run in a terminal.
 *
 * <p>Besides the KDC it sets up one identity of each kind, with files in {@code <dir>/lab}:
 *
 * <ul>
 *   <li>certificate trust: user {@code alice} with a CA-issued certificate ({@code alice.pem},
 *       {@code alice-key.pem});
 *   <li>key trust (emulated): user {@code bob} with a self-signed CA:FALSE certificate
 *       ({@code bob-selfsigned.pem}, {@code bob-selfsigned-key.pem}) bound by {@link MitKdc#trustSelfSigned};
 *   <li>service {@code host/localhost} with a keytab.
 * </ul>
 *
 * <p>When everything runs it writes {@code <dir>/env}, shell {@code export} lines naming all of it (written last,
 * atomically, so its presence means "ready"), and prints the same.
 *
 * <p>Arguments: {@code --dir <path>} (required; the lab's database and PKI are recreated there),
 * {@code --realm <REALM>} (default {@code WHFB.TEST}), {@code --port <n>} (default 0: a free port),
 * {@code --user <name>} (default {@code alice}), {@code --key-trust-user <name>} (default {@code bob}),
 * {@code --require-freshness}, {@code --crl-check}.
 *
 * <p>Thread safety: not applicable (a program entry point).
 *
 * @since 0.1.0
 */
public final class MitKdcMain {
  private static final String USAGE = "usage: MitKdcMain --dir <path> [--realm R] [--port N] [--user NAME]"
      + " [--key-trust-user NAME] [--require-freshness] [--crl-check]";

  private MitKdcMain() {}

  /**
   * Starts the lab KDC and waits until the process is stopped.
   *
   * @param args the arguments described above
   * @throws Exception if the KDC cannot start
   * @since 0.1.0
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    MitKdc kdc = MitKdc.builder(options.dir()).realm(options.realm()).port(options.port())
        .requireFreshness(options.requireFreshness()).crlCheck(options.crlCheck()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kdc.close();
      stopped.countDown();
    }, "ngc4j-lab-kdc-shutdown"));
    String env = setUp(kdc, options);
    Path envFile = kdc.dir().resolve("env");
    Path tmp = kdc.dir().resolve("env.tmp");
    Files.writeString(tmp, env, StandardCharsets.UTF_8);
    Files.move(tmp, envFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    PrintStream out = System.out;
    out.print(env);
    out.println("# lab KDC ready: " + kdc + "; SIGTERM or Ctrl-C stops it");
    out.flush();
    stopped.await();
  }

  /** Creates the lab identities and returns the env file's text. */
  static String setUp(MitKdc kdc, Options options) throws IOException {
    Path lab = Files.createDirectories(kdc.dir().resolve("lab"));
    String realm = kdc.realm();

    kdc.addUser(options.user());
    KeyPair userKeys = TestPki.freshKeyPair();
    X509Certificate userCert = kdc.issueClientCertificate(userKeys.getPublic(), options.user());
    Path userPem = MitKdc.writeCertificatePem(lab.resolve(options.user() + ".pem"), userCert);
    Path userKey = MitKdc.writePrivateKeyPem(lab.resolve(options.user() + "-key.pem"), userKeys.getPrivate());

    String kt = options.keyTrustUser();
    kdc.addUser(kt);
    KeyPair ktKeys = TestPki.freshKeyPair();
    X509Certificate ktCert = TestPki.selfSigned(ktKeys, kt, false);
    Path ktPem = MitKdc.writeCertificatePem(lab.resolve(kt + "-selfsigned.pem"), ktCert);
    Path ktKey = MitKdc.writePrivateKeyPem(lab.resolve(kt + "-selfsigned-key.pem"), ktKeys.getPrivate());
    kdc.trustSelfSigned(kt, ktCert);

    String service = "host/localhost";
    Path keytab = kdc.addService(service);
    Path ca = kdc.dir().resolve("pki").resolve("ca.pem");

    StringBuilder env = new StringBuilder();
    export(env, "KRB5_CONFIG", kdc.krb5Conf().toString());
    export(env, "KRB5_KDC_PROFILE", kdc.kdcConf().toString());
    export(env, "PKINIT_KDC_REALM", realm);
    export(env, "PKINIT_KDC_HOST", MitKdc.HOST);
    export(env, "PKINIT_KDC_PORT", Integer.toString(kdc.port()));
    export(env, "PKINIT_KDC_PID", kdc.pid().isPresent() ? Long.toString(kdc.pid().getAsLong()) : "");
    export(env, "PKINIT_KDC_JAVA_PID", Long.toString(ProcessHandle.current().pid()));
    export(env, "PKINIT_KDC_LOG", kdc.dir().resolve("log").resolve("krb5kdc.log").toString());
    export(env, "PKINIT_KDC_CA", ca.toString());
    export(env, "PKINIT_KDC_CRL_URI", kdc.crlUri().toString());
    export(env, "PKINIT_KDC_USER", options.user() + "@" + realm);
    export(env, "PKINIT_KDC_USER_CERT", userPem.toString());
    export(env, "PKINIT_KDC_USER_KEY", userKey.toString());
    export(env, "PKINIT_KDC_KT_USER", kt + "@" + realm);
    export(env, "PKINIT_KDC_KT_CERT", ktPem.toString());
    export(env, "PKINIT_KDC_KT_KEY", ktKey.toString());
    export(env, "PKINIT_KDC_SERVICE", service + "@" + realm);
    export(env, "PKINIT_KDC_SERVICE_KEYTAB", keytab.toString());
    env.append("# certificate trust: kinit -X X509_user_identity=FILE:$PKINIT_KDC_USER_CERT,$PKINIT_KDC_USER_KEY")
        .append(" $PKINIT_KDC_USER\n");
    env.append("# key trust: kinit -X X509_anchors=FILE:$PKINIT_KDC_CA -X X509_anchors=FILE:$PKINIT_KDC_KT_CERT")
        .append(" -X X509_user_identity=FILE:$PKINIT_KDC_KT_CERT,$PKINIT_KDC_KT_KEY $PKINIT_KDC_KT_USER\n");
    return env.toString();
  }

  private static void export(StringBuilder env, String name, String value) {
    env.append("export ").append(name).append("='").append(value.replace("'", "'\\''")).append("'\n");
  }

  /** Parsed command line. */
  record Options(Path dir, String realm, int port, String user, String keyTrustUser, boolean requireFreshness,
      boolean crlCheck) {

    static Options parse(String[] args) {
      Path dir = null;
      String realm = MitKdc.DEFAULT_REALM;
      int port = 0;
      String user = "alice";
      String keyTrustUser = "bob";
      boolean freshness = false;
      boolean crl = false;
      List<String> list = List.of(args);
      for (int i = 0; i < list.size(); i++) {
        String arg = list.get(i);
        switch (arg) {
          case "--require-freshness" -> freshness = true;
          case "--crl-check" -> crl = true;
          case "--dir", "--realm", "--port", "--user", "--key-trust-user" -> {
            if (i + 1 >= list.size()) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = list.get(++i);
            switch (arg) {
              case "--dir" -> dir = Path.of(value);
              case "--realm" -> realm = value;
              case "--port" -> port = parsePort(value);
              case "--user" -> user = value;
              default -> keyTrustUser = value;
            }
          }
          default -> throw new IllegalArgumentException("unknown argument: " + arg);
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("--dir is required");
      }
      if (user.equals(keyTrustUser)) {
        throw new IllegalArgumentException("--user and --key-trust-user must differ");
      }
      KerberosName.parse(user, realm);
      KerberosName.parse(keyTrustUser, realm);
      return new Options(dir, realm, port, user, keyTrustUser, freshness, crl);
    }

    private static int parsePort(String value) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port needs a number: " + value, e);
      }
    }
  }
}
