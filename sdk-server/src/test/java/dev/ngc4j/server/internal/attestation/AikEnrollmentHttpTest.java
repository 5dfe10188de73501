package dev.ngc4j.server.internal.attestation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.ngc4j.server.AttestationPolicy;
import dev.ngc4j.server.AuditRecord;
import dev.ngc4j.server.KeyInfo;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.server.support.MutableClock;
import dev.ngc4j.server.support.WireClient;
import dev.ngc4j.server.support.WireClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AIK enrollment over real HTTPS (NgcServer, embedded database): the EK of a software "TPM" certified by a local
 * TPM-maker CA with swtpm's EK profile, MakeCredential answered with ActivateCredential's math, every refusal with
 * its stable code and reason, the issued AIK certificate checked field by field, and a key registration whose TPM
 * attestation is then required and verified.
 */
final class AikEnrollmentHttpTest {
  private static final String T = "contoso.example";
  private static final String UPN = "alice@contoso.example";
  private static final String PASSWORD = "Passw0rd!";
  private static final String MFA = "123456";
  private static final Base64.Encoder STD = Base64.getEncoder();
  private static final Duration VALIDITY = Duration.ofDays(400);

  @TempDir static Path dataDir;
  private static MutableClock clock;
  private static NgcService service;
  private static NgcServer server;
  private static WireClient client;
  private static TestPki.Ca makerRoot;
  private static TestPki.Ca makerIssuer;
  private static WireClient.Device device;
  private static WireClient.Device otherDevice;

  @BeforeAll
  static void start() throws Exception {
    clock = new MutableClock();
    Instant now = clock.instant();
    makerRoot = TestPki.root("swtpm-localca-rootca", now);
    makerIssuer = TestPki.intermediate(makerRoot, "swtpm-localca", now);
    TpmTrust trust = TpmTrust.builder().ekRoots(List.of(makerRoot.certificate))
        .ekIntermediates(List.of(makerIssuer.certificate)).aikCertificateValidity(VALIDITY).build();
    service = NgcService.builder().dataDirectory(dataDir).clock(clock).testIdentitySource(true).tpmTrust(trust)
        .attestationPolicy(AttestationPolicy.REQUIRED).build();
    server = NgcServer.builder().service(service).https(true).start();
    client = new WireClient(WireClient.http(server.uri(), java.net.http.HttpClient.newBuilder()
        .sslContext(server.clientSslContext()).connectTimeout(Duration.ofSeconds(10)).build()), clock);
    service.createTenant(T, "Contoso");
    service.createUser(T, UPN, "Alice", PASSWORD.toCharArray(), MFA.toCharArray());
    device = client.join(client.accessToken(T, UPN, PASSWORD, null));
    otherDevice = client.join(client.accessToken(T, UPN, PASSWORD, null));
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  // ---- client side of the wire contract -------------------------------------------------------------------

  /** Who signs a request: the certificate in x5c and the key that signs. */
  private static final class Sender {
    private final byte[] certificate;
    private final PrivateKey key;

    Sender(byte[] certificate, PrivateKey key) {
      this.certificate = certificate.clone();
      this.key = key;
    }

    static Sender of(WireClient.Device d) {
      return new Sender(d.certificate, d.deviceKey.getPrivate());
    }

    byte[] certificate() {
      return certificate.clone();
    }

    PrivateKey key() {
      return key;
    }
  }

  private static Response post(String path, WireClient.Device as, PrivateKey signer, Map<String, Object> payload) {
    return post(path, new Sender(as.certificate, signer), payload);
  }

  private static Response post(String path, Sender as, Map<String, Object> payload) {
    PrivateKey signer = as.key();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.put("x5c", List.of(STD.encodeToString(as.certificate())));
    String jws = WireClient.rs256(header, payload, signer);
    return client.json("POST", path, null, JSONObjectUtils.toJSONString(Map.of("request", jws)));
  }

  private static Map<String, Object> timed(Map<String, Object> payload) {
    long now = clock.instant().getEpochSecond();
    Map<String, Object> p = new LinkedHashMap<>(payload);
    p.putIfAbsent("iat", now);
    p.putIfAbsent("exp", now + 300);
    return p;
  }

  private static Response challenge(WireClient.Device as, X509Certificate ek, byte[] ekPub, byte[] akPub) {
    return challenge(Sender.of(as), ek, ekPub, akPub);
  }

  private static Response challenge(Sender as, X509Certificate ek, byte[] ekPub, byte[] akPub) {
    try {
      return post("/EnrollmentServer/aik/challenge", as, timed(Map.of(
          "ek_cert", STD.encodeToString(ek.getEncoded()), "ek_pub", STD.encodeToString(ekPub),
          "ak_pub", STD.encodeToString(akPub))));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response certificate(WireClient.Device as, String challenge, byte[] secret, byte[] akPub) {
    return post("/EnrollmentServer/aik/certificate", as, as.deviceKey.getPrivate(), timed(Map.of(
        "challenge", challenge, "secret", STD.encodeToString(secret), "ak_pub", STD.encodeToString(akPub))));
  }

  private static X509Certificate ekCertificate(SoftTpm tpm) {
    return TestPki.ekCertificate(makerIssuer, tpm.ek.getPublic(), new TestPki.EkProfile(clock.instant()));
  }

  /** Step 1 answered by the software TPM: the challenge and the activated secret. */
  private static final class Activated {
    private final String challenge;
    private final byte[] secret;

    Activated(String challenge, byte[] secret) {
      this.challenge = challenge;
      this.secret = secret.clone();
    }

    String challenge() {
      return challenge;
    }

    byte[] secret() {
      return secret.clone();
    }
  }

  private static Activated activate(WireClient.Device as, SoftTpm tpm) {
    Response r = challenge(as, ekCertificate(tpm), tpm.ekPublic(), tpm.akPublic());
    assertEquals(200, r.status(), r.body());
    assertEquals(3, r.json().size(), r.body());
    byte[] blob = Base64.getDecoder().decode(r.string("credential_blob"));
    byte[] encryptedSecret = Base64.getDecoder().decode(r.string("encrypted_secret"));
    byte[] secret = tpm.activateCredential(SoftTpm.name(tpm.akPublic()), blob, encryptedSecret);
    return new Activated(r.string("challenge"), secret);
  }

  private static List<X509Certificate> enroll(WireClient.Device as, SoftTpm tpm) {
    Activated a = activate(as, tpm);
    Response r = certificate(as, a.challenge(), a.secret(), tpm.akPublic());
    assertEquals(200, r.status(), r.body());
    List<X509Certificate> chain = new ArrayList<>();
    for (Object der : (List<?>) WireClient.at(r.json(), "x5c")) {
      chain.add(TestPki.jdk(Base64.getDecoder().decode((String) der)));
    }
    return chain;
  }

  private static void assertRefused(Response r, int status, String code, String reasonFragment) {
    assertEquals(status, r.status(), r.body());
    Map<String, Object> json = r.json();
    assertEquals(code, json.get("code"), r.body());
    assertFalse(WireClient.str(json, "TraceId").isEmpty());
    assertFalse(WireClient.str(json, "ErrorType").isEmpty());
    assertTrue(WireClient.str(json, "Message").contains(reasonFragment), r.body());
  }

  // ---- happy path ------------------------------------------------------------------------------------------

  @Test
  void theAikCertificateHasTheAikProfileInEveryField() throws Exception {
    SoftTpm tpm = new SoftTpm();
    long mark = lastAudit();
    Instant now = clock.instant();
    List<X509Certificate> chain = enroll(device, tpm);
    assertEquals(2, chain.size());
    X509Certificate aik = chain.get(0);
    X509Certificate ca = chain.get(1);
    assertEquals(service.aikCaCertificate().orElseThrow(), ca);
    assertEquals(3, aik.getVersion());
    assertArrayEquals(new byte[] {0x30, 0x00}, aik.getSubjectX500Principal().getEncoded(), "empty subject");
    assertEquals(ca.getSubjectX500Principal(), aik.getIssuerX500Principal());
    aik.verify(ca.getPublicKey());
    assertEquals("SHA256withRSA", aik.getSigAlgName());
    RSAPublicKey key = (RSAPublicKey) aik.getPublicKey();
    assertEquals(((RSAPublicKey) tpm.ak.getPublic()).getModulus(), key.getModulus());
    assertEquals(((RSAPublicKey) tpm.ak.getPublic()).getPublicExponent(), key.getPublicExponent());
    assertEquals(List.of("2.23.133.8.3"), aik.getExtendedKeyUsage());
    assertEquals(-1, aik.getBasicConstraints());
    boolean[] usage = aik.getKeyUsage();
    assertTrue(usage[0], "digitalSignature");
    for (int i = 1; i < usage.length; i++) {
      assertFalse(usage[i], "key usage bit " + i);
    }
    assertTrue(aik.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.17", "2.5.29.19", "2.5.29.15")),
        aik.getCriticalExtensionOIDs().toString());
    Collection<List<?>> sans = aik.getSubjectAlternativeNames();
    assertEquals(1, sans.size());
    assertEquals(4, sans.iterator().next().get(0), "directoryName");
    TpmIdentity identity = TpmIdentity.fromSubjectAltName(aik);
    assertEquals("id:00001014", identity.manufacturer());
    assertEquals("swtpm", identity.model());
    assertEquals("id:20191023", identity.version());
    assertEquals(3, identity.directoryName().getRDNs().length);
    assertFalse(aik.getNotBefore().toInstant().isAfter(now));
    assertEquals(now.plus(VALIDITY), aik.getNotAfter().toInstant());
    List<AuditRecord> audit = service.audit(mark, 100);
    assertTrue(audit.stream().anyMatch(e -> e.event().equals("aik.issued") && e.subject().equals(device.id.toString())
        && e.detail().contains("tpm=id:00001014/swtpm/id:20191023")), audit.toString());
  }

  @Test
  void aKeyCertifiedByTheEnrolledAikRegistersAsAttestedAndAForgedOneIsRefusedWithItsReason() throws Exception {
    SoftTpm tpm = new SoftTpm();
    List<X509Certificate> chain = enroll(device, tpm);
    String token = client.deviceToken(T, UPN, PASSWORD, MFA, device);

    // a key without attestation: REQUIRED refuses it and says why
    assertRefused(client.registerKey(token, tpm.user), 400, "attestation_invalid", "no attestation statement");

    // a statement with a wrong magic: refused with the verifier's reason in the DRS Message
    Response bad = client.registerKey(token, registration(tpm, chain, true));
    assertRefused(bad, 400, "attestation_invalid", "tpm_magic: certInfo's magic is");

    Response ok = client.registerKey(token, registration(tpm, chain, false));
    assertEquals(200, ok.status(), ok.body());
    KeyInfo key = service.keysOfUser(UPN).stream().filter(k -> k.kid().toString().equals(ok.string("kid")))
        .findFirst().orElseThrow();
    assertEquals("verified:tpm", key.attestation());
  }

  private static Map<String, Object> registration(SoftTpm tpm, List<X509Certificate> chain, boolean breakMagic)
      throws Exception {
    String nonce = client.get("/EnrollmentServer/nonce/" + T + "/", Map.of()).string("Value");
    byte[] pub = tpm.userPublic();
    SoftTpm.Attest attest = tpm.certify(pub, SoftTpm.sha256(nonce.getBytes(StandardCharsets.UTF_8)));
    if (breakMagic) {
      attest.magic = 0xFF544348;
    }
    byte[] info = attest.marshal();
    List<String> x5c = new ArrayList<>();
    for (X509Certificate c : chain) {
      x5c.add(STD.encodeToString(c.getEncoded()));
    }
    Map<String, Object> attestation = new LinkedHashMap<>();
    attestation.put("fmt", "tpm");
    attestation.put("x5c", x5c);
    attestation.put("certInfo", STD.encodeToString(info));
    attestation.put("pubArea", STD.encodeToString(pub));
    attestation.put("sig", STD.encodeToString(tpm.sign(info)));
    attestation.put("nonce", nonce);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kngc", STD.encodeToString(WireClient.rsa1(tpm.user)));
    body.put("attestation", attestation);
    return body;
  }

  // ---- refusals of step 1 -----------------------------------------------------------------------------------

  @Test
  void anEkCertificateFromAnotherMakerIsEkUntrusted() {
    SoftTpm tpm = new SoftTpm();
    TestPki.Ca rogue = TestPki.root("swtpm-localca-rootca", clock.instant());
    X509Certificate ek = TestPki.ekCertificate(rogue, tpm.ek.getPublic(), new TestPki.EkProfile(clock.instant()));
    assertRefused(challenge(device, ek, tpm.ekPublic(), tpm.akPublic()), 400, "ek_untrusted",
        "does not chain to a configured TPM maker's root");
  }

  @Test
  void anExpiredEkCertificateIsEkUntrusted() {
    SoftTpm tpm = new SoftTpm();
    TestPki.EkProfile p = new TestPki.EkProfile(clock.instant());
    p.notBefore = clock.instant().minus(Duration.ofDays(30));
    p.notAfter = clock.instant().minus(Duration.ofDays(1));
    X509Certificate ek = TestPki.ekCertificate(makerIssuer, tpm.ek.getPublic(), p);
    assertRefused(challenge(device, ek, tpm.ekPublic(), tpm.akPublic()), 400, "ek_untrusted", "does not chain");
  }

  @Test
  void anEkCertificateWithoutTheEkUsageIsEkInvalid() {
    SoftTpm tpm = new SoftTpm();
    TestPki.EkProfile p = new TestPki.EkProfile(clock.instant());
    p.eku = "2.23.133.8.3";
    X509Certificate ek = TestPki.ekCertificate(makerIssuer, tpm.ek.getPublic(), p);
    assertRefused(challenge(device, ek, tpm.ekPublic(), tpm.akPublic()), 400, "ek_invalid", "2.23.133.8.1");
  }

  @Test
  void anEkCertificateWithoutTheTpmIdentityIsEkInvalid() {
    SoftTpm tpm = new SoftTpm();
    TestPki.EkProfile p = new TestPki.EkProfile(clock.instant());
    p.san = null;
    X509Certificate ek = TestPki.ekCertificate(makerIssuer, tpm.ek.getPublic(), p);
    assertRefused(challenge(device, ek, tpm.ekPublic(), tpm.akPublic()), 400, "ek_invalid", "subjectAltName");
  }

  @Test
  void anEkCertificateForAnotherKeyThanEkPubIsEkInvalid() {
    SoftTpm tpm = new SoftTpm();
    SoftTpm other = new SoftTpm();
    assertRefused(challenge(device, ekCertificate(tpm), other.ekPublic(), tpm.akPublic()), 400, "ek_invalid",
        "not the key in ek_pub");
  }

  @Test
  void anEkPubThatIsNotAStandardEkIsEkInvalid() {
    SoftTpm tpm = new SoftTpm();
    SoftTpm.PublicTemplate t = SoftTpm.ekTemplate((RSAPublicKey) tpm.ek.getPublic());
    t.attributes &= ~Tpm.RESTRICTED;
    assertRefused(challenge(device, ekCertificate(tpm), t.marshal(), tpm.akPublic()), 400, "ek_invalid",
        "not a standard RSA EK");
    SoftTpm.PublicTemplate sym = SoftTpm.ekTemplate((RSAPublicKey) tpm.ek.getPublic());
    sym.symBits = 256;
    assertRefused(challenge(device, ekCertificate(tpm), sym.marshal(), tpm.akPublic()), 400, "ek_invalid",
        "AES-128-CFB");
  }

  @Test
  void anAkThatIsNotARestrictedSigningKeyIsAkInvalid() {
    SoftTpm tpm = new SoftTpm();
    SoftTpm.PublicTemplate t = SoftTpm.akTemplate((RSAPublicKey) tpm.ak.getPublic());
    t.attributes &= ~Tpm.RESTRICTED;
    assertRefused(challenge(device, ekCertificate(tpm), tpm.ekPublic(), t.marshal()), 400, "ak_invalid",
        "lack restricted");
    SoftTpm.PublicTemplate decrypt = SoftTpm.akTemplate((RSAPublicKey) tpm.ak.getPublic());
    decrypt.attributes |= Tpm.DECRYPT;
    assertRefused(challenge(device, ekCertificate(tpm), tpm.ekPublic(), decrypt.marshal()), 400, "ak_invalid",
        "decrypt");
    SoftTpm.PublicTemplate sha1 = SoftTpm.akTemplate((RSAPublicKey) tpm.ak.getPublic());
    sha1.schemeHash = Tpm.ALG_SHA1;
    assertRefused(challenge(device, ekCertificate(tpm), tpm.ekPublic(), sha1.marshal()), 400, "ak_invalid",
        "RSASSA with SHA256");
  }

  // ---- refusals of step 2 -----------------------------------------------------------------------------------

  @Test
  void aWrongSecretIsAikSecretMismatch() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    byte[] wrong = a.secret().clone();
    wrong[0] ^= 1;
    assertRefused(certificate(device, a.challenge(), wrong, tpm.akPublic()), 400, "aik_secret_mismatch",
        "not the one the credential protected");
  }

  @Test
  void aChallengeIsAnsweredOnce() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    assertEquals(200, certificate(device, a.challenge(), a.secret(), tpm.akPublic()).status());
    assertRefused(certificate(device, a.challenge(), a.secret(), tpm.akPublic()), 400, "aik_challenge_replayed",
        "already used");
  }

  @Test
  void anExpiredChallengeIsAikChallengeExpired() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    try {
      assertRefused(certificate(device, a.challenge(), a.secret(), tpm.akPublic()), 400, "aik_challenge_expired",
          "expired at");
    } finally {
      clock.advance(Duration.ofMinutes(5).plusSeconds(1).negated());
    }
  }

  @Test
  void anotherDevicesChallengeIsAikChallengeInvalid() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    assertRefused(certificate(otherDevice, a.challenge(), a.secret(), tpm.akPublic()), 400,
        "aik_challenge_invalid", "another device");
  }

  @Test
  void aChallengeForAnotherAkIsAikChallengeInvalid() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    assertRefused(certificate(device, a.challenge(), a.secret(), new SoftTpm().akPublic()), 400,
        "aik_challenge_invalid", "another AK");
  }

  @Test
  void aForgedOrAlteredChallengeIsAikChallengeInvalid() {
    SoftTpm tpm = new SoftTpm();
    Activated a = activate(device, tpm);
    char[] c = a.challenge().toCharArray();
    c[c.length / 2] = c[c.length / 2] == 'A' ? 'B' : 'A';
    assertRefused(certificate(device, new String(c), a.secret(), tpm.akPublic()), 400, "aik_challenge_invalid",
        "not issued by this service");
  }

  // ---- the device-signed request ------------------------------------------------------------------------------

  @Test
  void anUnknownDeviceIsDeviceUnknown() {
    SoftTpm tpm = new SoftTpm();
    KeyPair key = SoftTpm.rsa();
    TestPki.AikProfile p = new TestPki.AikProfile(clock.instant());
    p.subject = "CN=7E980AD9-B86D-4306-9425-9AC066FB014A";
    TestPki.Ca self = TestPki.root("not the service", clock.instant());
    X509Certificate cert = TestPki.aikCertificate(self, key.getPublic(), p);
    Sender stranger;
    try {
      stranger = new Sender(cert.getEncoded(), key.getPrivate());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
    assertRefused(challenge(stranger, ekCertificate(tpm), tpm.ekPublic(), tpm.akPublic()), 400, "device_unknown",
        "certificate is unknown");
  }

  @Test
  void aRequestNotSignedByTheDeviceKeyIsDeviceSignatureInvalid() {
    SoftTpm tpm = new SoftTpm();
    Response r = post("/EnrollmentServer/aik/challenge", device, SoftTpm.rsa().getPrivate(), timed(Map.of(
        "ek_cert", "AA==", "ek_pub", STD.encodeToString(tpm.ekPublic()), "ak_pub", STD.encodeToString(tpm.akPublic()))));
    assertRefused(r, 400, "device_signature_invalid", "signature is invalid");
  }

  @Test
  void aRequestOutsideItsTimeWindowIsAssertionTime() {
    SoftTpm tpm = new SoftTpm();
    long now = clock.instant().getEpochSecond();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("ek_cert", STD.encodeToString(new byte[] {1}));
    payload.put("ek_pub", STD.encodeToString(tpm.ekPublic()));
    payload.put("ak_pub", STD.encodeToString(tpm.akPublic()));
    payload.put("iat", now - 7200);
    payload.put("exp", now - 6900);
    assertRefused(post("/EnrollmentServer/aik/challenge", device, device.deviceKey.getPrivate(), payload), 400,
        "assertion_time", "not at");
  }

  @Test
  void malformedRequestsAreInvalidRequest() {
    assertRefused(client.json("POST", "/EnrollmentServer/aik/challenge", null, "{\"request\":\"x.y.z\"}"), 400,
        "invalid_request", "");
    assertRefused(client.json("POST", "/EnrollmentServer/aik/challenge", null, "{\"req\":1}"), 400,
        "invalid_request", "");
    Response unknownMember = post("/EnrollmentServer/aik/certificate", device, device.deviceKey.getPrivate(),
        timed(Map.of("challenge", "x", "secret", "AA==", "ak_pub", "AA==", "surprise", "1")));
    assertRefused(unknownMember, 400, "invalid_request", "unknown payload member");
    Response get = client.get("/EnrollmentServer/aik/challenge", Map.of());
    assertEquals(405, get.status(), get.body());
  }

  // ---- configuration -----------------------------------------------------------------------------------------

  @Test
  void theManufacturerAllowListRefusesOtherMakers() throws Exception {
    SoftTpm tpm = new SoftTpm();
    X509Certificate ek = ekCertificate(tpm);
    EkCheck ibmOnly = new EkCheck(TpmTrust.builder().ekRoots(List.of(makerRoot.certificate))
        .ekIntermediates(List.of(makerIssuer.certificate)).allowedManufacturers(List.of("id:49424d00")).build());
    dev.ngc4j.server.internal.protocol.Refusal r = org.junit.jupiter.api.Assertions.assertThrows(
        dev.ngc4j.server.internal.protocol.Refusal.class, () -> ibmOnly.check(ek, clock.instant()));
    assertEquals("ek_untrusted", r.kind().code());
    assertTrue(String.valueOf(r.detail()).contains("id:00001014"), r.detail());
    EkCheck swtpm = new EkCheck(TpmTrust.builder().ekRoots(List.of(makerRoot.certificate))
        .ekIntermediates(List.of(makerIssuer.certificate)).allowedManufacturers(List.of("ID:00001014")).build());
    TpmIdentity id = swtpm.check(ek, clock.instant());
    X500Name name = id.directoryName();
    assertEquals(3, name.getRDNs().length);
  }

  @Test
  void withoutTpmTrustTheEndpointsDoNotExistAndTheCaSurvivesARestart(@TempDir Path other) throws Exception {
    try (NgcService plain = NgcService.builder().dataDirectory(other).clock(clock).build()) {
      assertTrue(plain.aikCaCertificate().isEmpty());
      dev.ngc4j.server.ServiceResponse r = plain.handle(dev.ngc4j.server.ServiceRequest
          .builder(java.net.URI.create("https://127.0.0.1:1"), "POST", "/EnrollmentServer/aik/challenge")
          .header("Content-Type", "application/json").body("{}".getBytes(StandardCharsets.UTF_8)).build());
      assertEquals(404, r.status(), r.bodyText());
    }
    TpmTrust trust = TpmTrust.builder().ekRoots(List.of(makerRoot.certificate)).build();
    X509Certificate first;
    try (NgcService s = NgcService.builder().dataDirectory(other).clock(clock).tpmTrust(trust).build()) {
      first = s.aikCaCertificate().orElseThrow();
    }
    try (NgcService s = NgcService.builder().dataDirectory(other).clock(clock).tpmTrust(trust).build()) {
      assertEquals(first, s.aikCaCertificate().orElseThrow(), "the AIK CA is kept under the master key");
    }
  }

  private static long lastAudit() throws Exception {
    List<AuditRecord> all = service.audit(0, 10_000);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
  }
}
