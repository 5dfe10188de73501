package dev.ngc4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.core.internal.cloud.Rsa1KeyBlob;
import dev.ngc4j.server.KeyTrustException.Reason;
import dev.ngc4j.server.internal.keytrust.TestCertificates;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import dev.ngc4j.server.support.InMemoryDirectoryStore;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyTrustVerifier} on a service whose keys were registered through the DRS endpoint (called directly,
 * without HTTP), for every decision it can take. {@code KeyTrustCloudFlowTest} does the same over HTTPS with the
 * real client.
 */
final class KeyTrustVerifierTest {
  private static final String REALM = "CONTOSO.EXAMPLE";
  private static final String BOB = "bob@contoso.example";
  private static InMemoryDirectoryStore store;
  private static Fixture fx;
  private static Fixture.Enrolled alice;
  private static Fixture.Enrolled bob;
  private static KeyTrustVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    store = new InMemoryDirectoryStore();
    fx = Fixture.direct(store, b -> {});
    fx.service.createUser(Fixture.DOMAIN, BOB, "Bob", Fixture.PASSWORD.toCharArray(), Fixture.MFA.toCharArray());
    alice = fx.enroll();
    bob = fx.enroll(BOB, Fixture.PASSWORD);
    verifier = KeyTrustVerifier.builder(fx.service).build();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  private static X509Certificate certificate(String upn, KeyPair key) throws Exception {
    return TestCertificates.keyTrust(upn, key).build();
  }

  private static KeyTrustException refused(Reason reason, Callable<?> call) {
    KeyTrustException e = assertThrows(KeyTrustException.class, call::call);
    assertEquals(reason, e.reason(), e::getMessage);
    assertEquals(reason.errorCode(), e.code());
    assertEquals(reason.krbErrorCode(), e.krbErrorCode());
    assertTrue(e.getMessage().contains(reason.krbErrorName()), e.getMessage());
    assertTrue(e.getMessage().contains("Remedy: " + reason.remedy()), e.getMessage());
    return e;
  }

  @Test
  void theRegisteredKeyIsTrustedForItsUpnAndTheDecisionSaysWhoWithWhat() throws Exception {
    KeyTrustDecision d = verifier.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM);
    assertEquals(fx.user.objectId(), d.user().objectId());
    assertEquals(alice.device().id, d.device().deviceId());
    assertEquals(alice.kid(), d.key().kid().toString());
    byte[] rsa1 = Rsa1KeyBlob.encode((RSAPublicKey) alice.whfb().getPublic());
    byte[] keyId = MessageDigest.getInstance("SHA-256").digest(rsa1);
    assertEquals(dev.ngc4j.api.Bytes.of(keyId), d.keyId(), "KeyID = SHA-256 of the RSA1 blob");
    assertEquals(Base64.getEncoder().encodeToString(keyId), d.key().keyIdentifier(),
        "the directory's key identifier is the same hash");
    assertEquals(List.of(KeyTrustDecision.KEY_TRUST_IDENTITY_SID), d.identitySids());
    assertFalse(d.fresh());
    assertTrue(d.certificateTimeValid());

    KeyCredentialLink link = d.keyCredentialLink().link();
    assertEquals(alice.whfb().getPublic(), link.rsaPublicKey());
    assertEquals(alice.device().id, link.deviceId().orElseThrow());
    assertEquals(d.key().created(), link.creationTime().orElseThrow());
    assertEquals("CN=alice@contoso.example,CN=Users,DC=contoso,DC=example", d.keyCredentialLink().ownerDn());
    assertEquals(d.keyCredentialLink(), KeyCredentialLinkValue.parse(d.keyCredentialLink().dnBinary()));
  }

  @Test
  void freshnessIsPassedThroughAndAddsTheFreshKeySid() throws Exception {
    KeyTrustDecision d = verifier.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM, true);
    assertTrue(d.fresh());
    assertEquals(List.of("S-1-18-4", "S-1-18-3"), d.identitySids());
  }

  @Test
  void theClientNameMayBeAnAccountNameInTheRealmOrAUpnInAnyCase() throws Exception {
    X509Certificate cert = certificate(Fixture.UPN, alice.whfb());
    assertEquals(Fixture.UPN, verifier.verify(cert, "alice", REALM).user().upn());
    assertEquals(Fixture.UPN, verifier.verify(cert, "ALICE@Contoso.Example", "contoso.example").user().upn());
  }

  @Test
  void onlyTheKeyCountsNotTheNameInTheCertificate() throws Exception {
    // MS-PKCA looks the account up by key; the certificate's subject is not a mapping.
    X509Certificate namedBob = certificate(BOB, alice.whfb());
    assertEquals(Fixture.UPN, verifier.verify(namedBob, Fixture.UPN, REALM).user().upn());
    refused(Reason.CLIENT_NAME_MISMATCH, () -> verifier.verify(namedBob, BOB, REALM));
  }

  @Test
  void anotherRegisteredUsersNameIsAClientNameMismatch() throws Exception {
    KeyTrustException e = refused(Reason.CLIENT_NAME_MISMATCH,
        () -> verifier.verify(certificate(Fixture.UPN, alice.whfb()), BOB, REALM));
    assertEquals(75, e.krbErrorCode());
    assertEquals(ErrorCode.PRINCIPAL_MISMATCH, e.code());
    assertFalse(e.getMessage().contains(Fixture.UPN), "the key's real owner is not disclosed: " + e.getMessage());
    assertEquals(BOB, verifier.verify(certificate(BOB, bob.whfb()), BOB, REALM).user().upn());
  }

  @Test
  void aKeyTheDirectoryDoesNotHoldIsNotTrusted() throws Exception {
    KeyTrustException e = refused(Reason.KEY_NOT_REGISTERED,
        () -> verifier.verify(certificate(Fixture.UPN, TestCertificates.rsa(2048)), Fixture.UPN, REALM));
    assertEquals(62, e.krbErrorCode());
    assertEquals(ErrorCode.CLIENT_NOT_TRUSTED, e.code());
    assertTrue(e.getMessage().contains("register it"), e.getMessage());
  }

  @Test
  void unknownNamesAndOtherRealmsAreRefusedBeforeTheKeyIsLookedUp() throws Exception {
    X509Certificate cert = certificate(Fixture.UPN, alice.whfb());
    assertEquals(6, refused(Reason.CLIENT_UNKNOWN, () -> verifier.verify(cert, "carol@contoso.example", REALM))
        .krbErrorCode());
    refused(Reason.CLIENT_UNKNOWN, () -> verifier.verify(cert, "alice", "FABRIKAM.EXAMPLE"));
    refused(Reason.CLIENT_UNKNOWN, () -> verifier.verify(cert, "host/alice", REALM));
    refused(Reason.CLIENT_UNKNOWN, () -> verifier.verify(cert, "", REALM));
    refused(Reason.CLIENT_UNKNOWN, () -> verifier.verify(cert, Fixture.UPN, ""));
    assertEquals(68, refused(Reason.WRONG_REALM, () -> verifier.verify(cert, Fixture.UPN, "FABRIKAM.EXAMPLE"))
        .krbErrorCode());
  }

  @Test
  void aDisabledAccountIsRefused() throws Exception {
    User enabled = store.userByUpn(Fixture.UPN).orElseThrow();
    store.replaceUser(new User(enabled.objectId(), enabled.tenantId(), enabled.upn(), enabled.displayName(), false,
        enabled.passwordHash(), enabled.mfaSecretHash(), enabled.created()));
    try {
      assertEquals(18, refused(Reason.USER_DISABLED,
          () -> verifier.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM)).krbErrorCode());
    } finally {
      store.replaceUser(enabled);
    }
    verifier.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM);
  }

  @Test
  void aDisabledDeviceIsRefusedAndItsKeyLeavesTheDirectoryView() throws Exception {
    X509Certificate cert = certificate(BOB, bob.whfb());
    assertEquals(1, verifier.keyCredentialLinks(BOB).size());
    assertTrue(fx.service.setDeviceEnabled(bob.device().id, false));
    try {
      refused(Reason.DEVICE_DISABLED, () -> verifier.verify(cert, BOB, REALM));
      assertEquals(List.of(), verifier.keyCredentialLinks(BOB));
    } finally {
      assertTrue(fx.service.setDeviceEnabled(bob.device().id, true));
    }
    verifier.verify(cert, BOB, REALM);
  }

  @Test
  void keysOfADeletedDeviceOrDeletedKeysAreNotRegistered() throws Exception {
    String carol = "carol@contoso.example";
    fx.service.createUser(Fixture.DOMAIN, carol, "Carol", Fixture.PASSWORD.toCharArray(), Fixture.MFA.toCharArray());
    Fixture.Enrolled first = fx.enroll(carol, Fixture.PASSWORD);
    verifier.verify(certificate(carol, first.whfb()), carol, REALM);
    assertTrue(fx.service.deleteKey(java.util.UUID.fromString(first.kid())));
    refused(Reason.KEY_NOT_REGISTERED, () -> verifier.verify(certificate(carol, first.whfb()), carol, REALM));

    Fixture.Enrolled second = fx.enroll(carol, Fixture.PASSWORD);
    verifier.verify(certificate(carol, second.whfb()), carol, REALM);
    assertTrue(fx.service.deleteDevice(second.device().id));
    refused(Reason.KEY_NOT_REGISTERED, () -> verifier.verify(certificate(carol, second.whfb()), carol, REALM));
    assertEquals(List.of(), verifier.keyCredentialLinks(carol));
  }

  @Test
  void theDirectoryViewHoldsOneValuePerUsableKeyAsAnAdWould() throws Exception {
    List<KeyCredentialLinkValue> values = verifier.keyCredentialLinks("Alice@Contoso.Example");
    assertEquals(1, values.size());
    KeyCredentialLinkValue v = values.get(0);
    assertEquals(alice.whfb().getPublic(), v.link().rsaPublicKey());
    assertEquals(alice.device().id, v.link().deviceId().orElseThrow());
    assertEquals(KeyCredentialLink.KEY_USAGE_NGC, v.link().keyUsage());
    assertTrue(v.link().hasKeyHash());
    assertTrue(v.dnBinary().startsWith("B:" + 2 * v.link().encode().length + ":"), v.dnBinary());
    assertTrue(v.dnBinary().endsWith(":CN=alice@contoso.example,CN=Users,DC=contoso,DC=example"), v.dnBinary());
    assertEquals(v, verifier.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM).keyCredentialLink());
    assertEquals(List.of(), verifier.keyCredentialLinks("nobody@contoso.example"));
  }

  @Test
  void validityDatesAreReportedAndEnforcedOnlyWhenConfigured() throws Exception {
    Instant now = fx.clock.instant();
    X509Certificate expired = TestCertificates.keyTrust(Fixture.UPN, alice.whfb())
        .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).build();
    KeyTrustDecision lenient = verifier.verify(expired, Fixture.UPN, REALM);
    assertFalse(lenient.certificateTimeValid());
    KeyTrustVerifier strict = KeyTrustVerifier.builder(fx.service).enforceCertificateValidity(true)
        .clockSkew(Duration.ofMinutes(1)).build();
    refused(Reason.CERTIFICATE_VALIDITY, () -> strict.verify(expired, Fixture.UPN, REALM));
    assertTrue(strict.verify(certificate(Fixture.UPN, alice.whfb()), Fixture.UPN, REALM).certificateTimeValid());
    assertThrows(IllegalArgumentException.class, () -> KeyTrustVerifier.builder(fx.service)
        .clockSkew(Duration.ofHours(2)));
  }

  @Test
  void aCaTrueCertificateAroundARegisteredKeyIsRefusedBeforeAnyLookup() throws Exception {
    X509Certificate ca = TestCertificates.keyTrust(Fixture.UPN, alice.whfb()).ca(true).build();
    assertEquals(71, refused(Reason.CA_CERTIFICATE, () -> verifier.verify(ca, Fixture.UPN, REALM)).krbErrorCode());
  }
}
