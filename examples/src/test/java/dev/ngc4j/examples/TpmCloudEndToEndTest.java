package dev.ngc4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.Ngc4j;
import dev.ngc4j.core.cloud.EntraCloudClient;
import dev.ngc4j.provider.tpm.TpmCredentialProvider;
import dev.ngc4j.server.AttestationPolicy;
import dev.ngc4j.server.KeyInfo;
import dev.ngc4j.server.NgcServer;
import dev.ngc4j.server.NgcService;
import dev.ngc4j.server.TpmTrust;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.PrimaryRefreshToken;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow with the key in a TPM: a real swtpm (its EK certificate from a local CA standing in for the TPM
 * maker), the real TPM provider, the real client, and the real service over HTTPS with TPM attestation
 * <em>required</em>. The device joins with TPM device keys, the service certifies the device's attestation key
 * (EK certificate chain + credential activation), the user's key is certified by that AK with the directory's
 * nonce at enrolment and registered only because the statement verifies, and the user signs in and renews with
 * the PRT's session key kept in the TPM.
 */
class TpmCloudEndToEndTest {
  private static final String TENANT = "tpm.example";
  private static final char[] PIN = "739164".toCharArray();
  private static final char[] PASSWORD = "pa55-word-for-tpm-tests".toCharArray();
  private static final char[] MFA = "246813".toCharArray();

  @TempDir static Path dir;
  static Swtpm swtpm;
  static NgcService service;
  static NgcServer server;

  @BeforeAll
  static void start() throws Exception {
    swtpm = Swtpm.start(dir.resolve("tpm"));
    swtpm.relaxDictionaryAttack();
    service = NgcService.builder()
        .dataDirectory(dir.resolve("service"))
        .testIdentitySource(true)
        .attestationPolicy(AttestationPolicy.REQUIRED)
        .tpmTrust(TpmTrust.builder()
            .ekRoots(List.of(swtpm.ekRootCertificate()))
            .ekIntermediates(List.of(swtpm.ekIssuerCertificate()))
            .build())
        .build();
    server = NgcServer.builder().service(service).https(true).start();
    service.createTenant(TENANT, "TPM Example");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (swtpm != null) {
      swtpm.close();
    }
  }

  static GestureSource pin() {
    return request -> Pin.of(PIN);
  }

  static UserPrincipal newUser(String name) throws NgcException {
    UserPrincipal u = UserPrincipal.of(name + "@" + TENANT);
    service.createUser(TENANT, u.upn(), u.upn(), PASSWORD.clone(), MFA.clone());
    return u;
  }

  Ngc4j tpmDevice(String name, EntraCloudClient cloud, TestIdentityTokens identity) throws NgcException {
    return Ngc4j.builder()
        .dataDirectory(dir.resolve(name))
        .provider(TpmCredentialProvider.builder().device(swtpm.deviceSpec()).build())
        .requireHardware()
        .joinType(JoinType.CLOUD_JOINED)
        .remoteSession(() -> false)
        .directory(cloud)
        .tokenSource(identity)
        .keyPool(0, 0)
        .build();
  }

  @Test
  void aTpmKeyIsAttestedRegisteredAndSignsInWithTheSessionKeyInTheTpm() throws Exception {
    UserPrincipal alice = newUser("alice");
    EntraCloudClient cloud = EntraCloudClient.builder()
        .tenant(TENANT)
        .baseUri(server.uri())
        .sslContext(server.clientSslContext())
        .stateDirectory(dir.resolve("alice-device").resolve("cloud"))
        .build();
    TestIdentityTokens identity = new TestIdentityTokens(server.uri(), TENANT, server.clientSslContext());
    identity.add(alice, PASSWORD, MFA);
    try (Ngc4j ngc = tpmDevice("alice-device", cloud, identity)) {
      assertEquals("tpm", ngc.providerId());
      ngc.joinDevice(identity.passwordOnly(alice));
      identity.proveDevice(() -> cloud.deviceCredential(ngc.deviceKeys().orElseThrow()));

      ngc.provision(alice, pin());

      List<KeyInfo> keys = service.keysOfUser(alice.upn());
      assertEquals(1, keys.size());
      assertTrue(keys.get(0).attestation().startsWith("verified:tpm"), keys.get(0)::toString);

      PrimaryRefreshToken prt = ngc.signIn(alice, pin());
      assertTrue(prt.hasMfaClaim());
      assertEquals(Duration.ofDays(14), Duration.between(prt.issuedAt(), prt.expiresAt()));
      PrimaryRefreshToken renewed = ngc.renew(prt);
      assertFalse(prt.token().equals(renewed.token()));

      NgcException wrong = assertThrows(NgcException.class,
          () -> ngc.signIn(alice, request -> Pin.of("000000".toCharArray())));
      assertEquals(ErrorCode.WRONG_GESTURE, wrong.code(), wrong::toString);
    }
  }
}
