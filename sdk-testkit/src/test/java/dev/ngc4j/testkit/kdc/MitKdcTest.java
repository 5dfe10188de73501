package dev.ngc4j.testkit.kdc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MitKdc harness against the real MIT tools: kinit, klist and kvno, as the PKINIT client's tests will use it. */
class MitKdcTest {
  private static final String SERVICE = "host/localhost";

  @TempDir Path dir;

  @Test
  void certificateTrustWithMitKinitGetsATgtThenKvnoAServiceTicket() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      assertEquals("WHFB.TEST", kdc.realm());
      kdc.addUser("alice");
      Path keytab = kdc.addService(SERVICE);
      assertTrue(Files.size(keytab) > 0, "the service keytab is written");
      Path ccache = dir.resolve("alice.ccache");

      ToolResult kinit = kinit(kdc, Certs.key(0), kdc.issueClientCertificate(Certs.key(0).getPublic(), "alice"),
          "alice", ccache, List.of());
      assertTrue(kinit.succeeded(), () -> kinit.describe() + "\n" + kdc.kdcLog());

      ToolResult klist = kdc.klist(ccache);
      assertTrue(klist.succeeded(), klist::describe);
      assertTrue(klist.stdout().contains("Default principal: alice@WHFB.TEST"), klist.stdout());
      assertTrue(klist.stdout().contains("krbtgt/WHFB.TEST@WHFB.TEST"), klist.stdout());
      assertTrue(klist.stdout().contains("aes256-cts-hmac-sha1-96"), klist.stdout());
      // F(orwardable) I(nitial) A (pre-authenticated): the TGT came from a pre-authenticated AS exchange.
      assertTrue(klist.stdout().lines().anyMatch(l -> l.contains("Flags:") && l.contains("I") && l.contains("A")),
          klist.stdout());

      ToolResult kvno = kdc.kvno(ccache, SERVICE);
      assertTrue(kvno.succeeded(), () -> kvno.describe() + "\n" + kdc.kdcLog());
      assertTrue(kvno.stdout().contains("host/localhost@WHFB.TEST: kvno = "), kvno.stdout());

      String log = kdc.kdcLog();
      assertTrue(log.contains("ISSUE") && log.contains("alice@WHFB.TEST for krbtgt/WHFB.TEST@WHFB.TEST"), log);
      assertTrue(log.contains("alice@WHFB.TEST for host/localhost@WHFB.TEST"), log);
    }
  }

  @Test
  void aCertificateFromAPkcs10RequestWorksWithKinitAndATamperedRequestIsRefused() throws Exception {
    KeyPair keys = Certs.key(1);
    PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
        new X500Principal("CN=ignored"), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    byte[] der = request.getEncoded();
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      kdc.addUser("carol");
      X509Certificate cert = kdc.signCertificateRequest(der, "carol@WHFB.TEST");
      assertArrayEquals(keys.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
      assertEquals(List.of("carol@WHFB.TEST"), Certs.upns(cert));
      ToolResult kinit = kinit(kdc, keys, cert, "carol", dir.resolve("carol.ccache"), List.of());
      assertTrue(kinit.succeeded(), () -> kinit.describe() + "\n" + kdc.kdcLog());

      byte[] tampered = der.clone();
      tampered[tampered.length - 5] ^= 0x01; // inside the signature
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> kdc.signCertificateRequest(tampered, "carol"));
      assertTrue(String.valueOf(e.getMessage()).contains("signature"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> kdc.signCertificateRequest(new byte[] {0x30, 0x03}, "x"));
      assertThrows(IllegalArgumentException.class, () -> kdc.issueClientCertificate(keys.getPublic(), "a@OTHER"));
    }
  }

  @Test
  void clientCertificatesCarryThePkinitClientProfile() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      X509Certificate cert = kdc.issueClientCertificate(Certs.key(0).getPublic(), "alice");
      cert.verify(kdc.caCertificate().getPublicKey());
      cert.checkValidity();
      assertEquals(kdc.caCertificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
      assertEquals(-1, cert.getBasicConstraints());
      assertEquals(List.of("digitalSignature"), Certs.keyUsage(cert));
      assertEquals(List.of(TestPki.ID_PKINIT_KP_CLIENT_AUTH, TestPki.CLIENT_AUTH, TestPki.MS_SMARTCARD_LOGON),
          cert.getExtendedKeyUsage());
      assertEquals(List.of(new Certs.Krb5PrincipalName("WHFB.TEST", 1, List.of("alice"))), Certs.pkinitSans(cert));
      assertEquals(List.of("alice@WHFB.TEST"), Certs.upns(cert));
      assertEquals(List.of(kdc.crlUri().toString()), Certs.crlDistributionPoints(cert));
      assertTrue(cert.getSubjectX500Principal().getName().contains("CN=alice"));
    }
  }

  @Test
  void keyTrustEmulationAcceptsTheSelfSignedCertificateOnlyForItsPrincipal() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      kdc.addUser("bob");
      kdc.addUser("alice");
      KeyPair keys = Certs.key(2);
      X509Certificate selfSigned = TestPki.selfSigned(keys, "bob", false);
      Path certPem = MitKdc.writeCertificatePem(dir.resolve("bob-selfsigned.pem"), selfSigned);
      Path keyPem = MitKdc.writePrivateKeyPem(dir.resolve("bob-selfsigned-key.pem"), keys.getPrivate());
      List<Path> ownAnchor = List.of(certPem);

      ToolResult before = kdc.kinitWithCertificate(certPem, keyPem, "bob", dir.resolve("before.ccache"), ownAnchor);
      assertFalse(before.succeeded(), "not yet an anchor, so the KDC must refuse: " + before.describe());

      long pidBefore = kdc.pid().orElseThrow();
      kdc.trustSelfSigned("bob", selfSigned);
      assertNotEquals(pidBefore, kdc.pid().orElseThrow(), "anchors load at startup, so the KDC restarted");
      assertTrue(Files.exists(kdc.dir().resolve("pki/kt-anchors/bob.pem")));

      Path ccache = dir.resolve("bob.ccache");
      ToolResult kinit = kdc.kinitWithCertificate(certPem, keyPem, "bob@WHFB.TEST", ccache, ownAnchor);
      assertTrue(kinit.succeeded(), () -> kinit.describe() + "\n" + kdc.kdcLog());
      assertTrue(kdc.klist(ccache).stdout().contains("Default principal: bob@WHFB.TEST"));
      kdc.addService(SERVICE);
      ToolResult kvno = kdc.kvno(ccache, SERVICE);
      assertTrue(kvno.succeeded(), kvno::describe);

      ToolResult asAlice = kdc.kinitWithCertificate(certPem, keyPem, "alice", dir.resolve("alice.ccache"), ownAnchor);
      assertFalse(asAlice.succeeded(), "bob's key-trust certificate must not log alice in: " + asAlice.describe());
      assertTrue(kdc.kdcLog().contains("PREAUTH_FAILED: alice@WHFB.TEST"), kdc.kdcLog());
      assertTrue(kdc.kdcLog().contains("Client name mismatch"), kdc.kdcLog());

      // A subject with two RDNs: the match expression must follow MIT's RDN order.
      kdc.addUser("frank");
      X509Certificate twoRdns = TestPki.selfSigned(keys, new X500Name("CN=frank,O=ngc4j test,DC=whfb"), false);
      Path twoRdnsPem = MitKdc.writeCertificatePem(dir.resolve("frank-selfsigned.pem"), twoRdns);
      kdc.trustSelfSigned("frank", twoRdns);
      ToolResult frank = kdc.kinitWithCertificate(twoRdnsPem, keyPem, "frank", dir.resolve("frank.ccache"),
          List.of(twoRdnsPem));
      assertTrue(frank.succeeded(), () -> frank.describe() + "\n" + kdc.kdcLog());
    }
  }

  @Test
  void trustSelfSignedRefusesCertificatesThatCouldActAsACa() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      kdc.addUser("bob");
      X509Certificate caTrue = TestPki.selfSigned(Certs.key(2), "bob", true);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> kdc.trustSelfSigned("bob", caTrue));
      assertTrue(String.valueOf(e.getMessage()).contains("CA:TRUE"), e.getMessage());

      X509Certificate caIssued = kdc.issueClientCertificate(Certs.key(2).getPublic(), "bob");
      assertThrows(IllegalArgumentException.class, () -> kdc.trustSelfSigned("bob", caIssued));

      try (Stream<Path> anchors = Files.list(kdc.dir().resolve("pki/kt-anchors"))) {
        assertEquals(0, anchors.count(), "nothing refused may become an anchor");
      }
      assertFalse(kdc.kdcLog().contains("pkinit_cert_match"));
    }
  }

  @Test
  void addingAPrincipalTwiceFailsInsteadOfPassingSilently() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      kdc.addUser("dave");
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> kdc.addUser("dave"));
      assertTrue(String.valueOf(e.getMessage()).contains("addprinc"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> kdc.addUser("dave; delprinc krbtgt"));
      assertThrows(IllegalArgumentException.class, () -> kdc.addUser("dave@OTHER.TEST"));
    }
  }

  @Test
  void stopRestartAndCloseLeaveNoKrb5kdcProcessBehind() throws Exception {
    Path kdcDir = dir.resolve("kdc");
    MitKdc kdc = MitKdc.builder(kdcDir).start();
    try {
      kdc.addUser("alice");
      KeyPair keys = Certs.key(0);
      X509Certificate cert = kdc.issueClientCertificate(keys.getPublic(), "alice");
      long first = kdc.pid().orElseThrow();
      assertTrue(MitKdc.isKrb5kdc(first));
      assertEquals(List.of(first), liveKrb5kdcFor(kdcDir));

      kdc.stop();
      assertFalse(kdc.isRunning());
      assertFalse(MitKdc.isKrb5kdc(first), "pid " + first + " is gone after stop()");
      assertEquals(List.of(), liveKrb5kdcFor(kdcDir));
      ToolResult down = kinit(kdc, keys, cert, "alice", dir.resolve("down.ccache"), List.of());
      assertFalse(down.succeeded(), "no KDC, no ticket: " + down.describe());
      assertTrue(Files.exists(kdc.krb5Conf()), "stop keeps the directory");

      kdc.restart();
      long second = kdc.pid().orElseThrow();
      assertNotEquals(first, second);
      ToolResult up = kinit(kdc, keys, cert, "alice", dir.resolve("up.ccache"), List.of());
      assertTrue(up.succeeded(), up::describe);
    } finally {
      kdc.close();
    }
    assertFalse(kdc.isRunning());
    assertEquals(List.of(), liveKrb5kdcFor(kdcDir));
    kdc.close(); // idempotent
    assertThrows(IllegalStateException.class, kdc::restart);
    assertThrows(IOException.class, () -> fetch(kdc.crlUri()), "close() stops the CRL server too");
  }

  @Test
  void revokingTheKdcCertificatePutsItsSerialIntoTheServedCrl() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      BigInteger serial = kdc.kdcCertificate().getSerialNumber();
      assertEquals(List.of(kdc.crlUri().toString()), Certs.crlDistributionPoints(kdc.kdcCertificate()));
      X509CRL before = Certs.crl(fetch(kdc.crlUri()));
      before.verify(kdc.caCertificate().getPublicKey());
      assertEquals(kdc.caCertificate().getSubjectX500Principal(), before.getIssuerX500Principal());
      assertEquals(null, before.getRevokedCertificate(serial));

      kdc.revokeKdcCertificate();

      byte[] served = fetch(kdc.crlUri());
      assertArrayEquals(kdc.crl(), served);
      X509CRL after = Certs.crl(served);
      after.verify(kdc.caCertificate().getPublicKey());
      assertTrue(after.getRevokedCertificate(serial) != null, "the served CRL lists " + serial);
      assertTrue(after.getNextUpdate().toInstant().isAfter(java.time.Instant.now()));
      assertArrayEquals(served, Files.readAllBytes(kdc.dir().resolve("pki/ca.crl")));
      assertTrue(kdc.isRunning(), "the KDC keeps running with its revoked certificate");
    }
  }

  @Test
  void withCrlCheckingTheKdcRefusesARevokedClientCertificate() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).crlCheck(true).start()) {
      assertTrue(Files.readString(kdc.kdcConf()).contains("pkinit_require_crl_checking = true"));
      kdc.addUser("alice");
      KeyPair keys = Certs.key(0);
      X509Certificate cert = kdc.issueClientCertificate(keys.getPublic(), "alice");
      ToolResult good = kinit(kdc, keys, cert, "alice", dir.resolve("good.ccache"), List.of());
      assertTrue(good.succeeded(), () -> good.describe() + "\n" + kdc.kdcLog());

      kdc.revokeCertificate(cert);
      ToolResult revoked = kinit(kdc, keys, cert, "alice", dir.resolve("revoked.ccache"), List.of());
      assertFalse(revoked.succeeded(), "a revoked client certificate must be refused: " + revoked.describe());
      assertThrows(IllegalArgumentException.class,
          () -> kdc.revokeCertificate(TestPki.selfSigned(Certs.key(2), "bob", false)));
    }
  }

  @Test
  void requiredFreshnessIsConfiguredAndMitKinitSendsTheToken() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).realm("EXAMPLE.TEST").requireFreshness(true).start()) {
      assertTrue(Files.readString(kdc.kdcConf()).contains("pkinit_require_freshness = true"));
      String krb5 = Files.readString(kdc.krb5Conf());
      assertTrue(krb5.contains("default_realm = EXAMPLE.TEST"), krb5);
      assertTrue(krb5.contains("kdc = 127.0.0.1:" + kdc.port()), krb5);
      assertEquals(kdc.port(), kdc.address().getPort());
      kdc.addUser("erin");
      KeyPair keys = Certs.key(1);
      ToolResult kinit = kinit(kdc, keys, kdc.issueClientCertificate(keys.getPublic(), "erin"), "erin",
          dir.resolve("erin.ccache"), List.of());
      assertTrue(kinit.succeeded(), () -> kinit.describe() + "\n" + kdc.kdcLog());
      assertTrue(kdc.kdcLog().contains("PKINIT: freshness token received from erin@EXAMPLE.TEST"), kdc.kdcLog());
    }
  }

  @Test
  void aKdcWhosePkinitCannotLoadFailsToStartInsteadOfRunningWithoutIt() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      Files.writeString(kdc.dir().resolve("pki/kdc-key.pem"), "not a key\n");
      IOException e = assertThrows(IOException.class, kdc::restart);
      assertTrue(String.valueOf(e.getMessage()).contains("without PKINIT"), e.getMessage());
      assertTrue(String.valueOf(e.getMessage()).contains("kdc-key.pem"), "the log tail says why: " + e.getMessage());
      assertFalse(kdc.isRunning());
      assertEquals(List.of(), liveKrb5kdcFor(kdc.dir()));
    }
  }

  @Test
  void aSecondKdcCannotStartOnADirectoryWhoseKdcRuns() throws Exception {
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).start()) {
      IOException e = assertThrows(IOException.class, () -> MitKdc.builder(dir.resolve("kdc")).start());
      assertTrue(String.valueOf(e.getMessage()).contains("already runs"), e.getMessage());
      assertTrue(kdc.isRunning());
    }
  }

  // ------------------------------------------------------------------------------------------------------------

  private ToolResult kinit(MitKdc kdc, KeyPair keys, X509Certificate cert, String principal, Path ccache,
      List<Path> extraAnchors) throws IOException {
    String name = ccache.getFileName().toString();
    Path certPem = MitKdc.writeCertificatePem(dir.resolve(name + ".pem"), cert);
    Path keyPem = MitKdc.writePrivateKeyPem(dir.resolve(name + "-key.pem"), keys.getPrivate());
    assertTrue(Files.readString(keyPem, StandardCharsets.US_ASCII).startsWith("-----BEGIN PRIVATE KEY-----"));
    return kdc.kinitWithCertificate(certPem, keyPem, principal, ccache, extraAnchors);
  }

  private static byte[] fetch(URI uri) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      connection.setConnectTimeout(5000);
      connection.setReadTimeout(5000);
      assertEquals(200, connection.getResponseCode());
      assertEquals("application/pkix-crl", connection.getContentType());
      return Certs.readAll(connection.getInputStream());
    } finally {
      connection.disconnect();
    }
  }

  /** Live (non-zombie) krb5kdc processes whose command line names a file under {@code kdcDir}. */
  static List<Long> liveKrb5kdcFor(Path kdcDir) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String cmdline;
        try {
          cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue; // exited meanwhile
        }
        long pid = Long.parseLong(name);
        if (cmdline.contains("krb5kdc") && cmdline.contains(kdcDir.toAbsolutePath().toString())
            && MitKdc.isKrb5kdc(pid)) {
          pids.add(pid);
        }
      }
    }
    return pids;
  }
}
