package dev.ngc4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.AccessToken;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureCancelledException;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PolicySetting;
import dev.ngc4j.api.ProvisioningPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.core.internal.CredentialRecords;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning end to end with the real software provider and a recording stand-in for the directory. */
class Ngc4jProvisioningTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.example");
  private static final char[] PIN = "482915".toCharArray();

  @TempDir Path dir;
  final RecordingDirectory directory = new RecordingDirectory();

  static GestureSource pin(char[] pin) {
    return request -> Pin.of(pin);
  }

  static AccessToken token(UserPrincipal user, String... amr) {
    return AccessToken.of("eyJ.test.token", user, Set.of(amr), Instant.now().plus(1, ChronoUnit.HOURS));
  }

  Ngc4j.Builder builder() {
    return Ngc4j.builder()
        .dataDirectory(dir)
        .allowSoftwareKeys()
        .providerSetting("argon2.memoryKiB", "1024")
        .providerSetting("argon2.iterations", "1")
        .joinType(JoinType.CLOUD_JOINED)
        .remoteSession(() -> false)
        .directory(directory)
        .tokenSource(user -> token(user, "pwd", "mfa"))
        .keyPool(1, 0);
  }

  List<ContainerId> containersOnDisk() throws Exception {
    try (ProviderSession s = new SoftwareCredentialProvider().open(
        new ProviderContext(dir.resolve("providers").resolve("software"), Clock.systemUTC(), Map.of()))) {
      return s.containers().list();
    }
  }

  @Test
  void aCloudJoinedDeviceProvisionsSignsAndRegistersTheKey() throws Exception {
    try (Ngc4j ngc = builder().deviceId(new dev.ngc4j.api.DeviceId(java.util.UUID.randomUUID())).build()) {
      assertEquals("software", ngc.providerId());
      Credential c = ngc.provision(ALICE, pin(PIN));
      byte[] msg = "challenge".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] sig = c.sign(SignatureAlgorithm.RSA_PKCS1_SHA256, msg, pin(PIN));
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(java.util.Objects.requireNonNull(directory.registered.get(RecordingDirectory.key(ALICE, c.keyId()))));
      v.update(msg);
      assertTrue(v.verify(sig), "signature must verify with the registered key");
      assertEquals(c.keyId(), ngc.credential(ALICE).orElseThrow().keyId());
      Status s = ngc.status(ALICE);
      assertTrue(s.user().credentialSet());
      assertTrue(s.user().registered());
      assertTrue(s.allChecksPassed(), s.toString());
      assertTrue(s.toString().contains("NgcSet : YES"), s.toString());
    }
  }

  @Test
  void aDomainJoinedDeviceProvisionsOnlyWhenPolicyEnablesIt() throws Exception {
    try (Ngc4j ngc = builder().joinType(JoinType.DOMAIN_JOINED).build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN)));
      assertEquals(ErrorCode.POLICY_FORBIDS, e.code());
      assertTrue(ngc.status(ALICE).checks().stream()
          .anyMatch(c -> c.name().equals("PolicyAllowsProvisioning") && !c.passed()));
    }
    assertTrue(containersOnDisk().isEmpty());
    try (Ngc4j ngc = builder().joinType(JoinType.DOMAIN_JOINED)
        .provisioningPolicy(new ProvisioningPolicy(PolicySetting.ENABLED)).build()) {
      ngc.provision(ALICE, pin(PIN));
    }
  }

  @Test
  void aCloudJoinedDeviceDoesNotProvisionWhenPolicyDisablesIt() throws Exception {
    try (Ngc4j ngc = builder().provisioningPolicy(new ProvisioningPolicy(PolicySetting.DISABLED)).build()) {
      assertEquals(ErrorCode.POLICY_FORBIDS, assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN))).code());
    }
  }

  @Test
  void neverInARemoteSession() throws Exception {
    try (Ngc4j ngc = builder().remoteSession(() -> true).build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN)));
      assertEquals(ErrorCode.REMOTE_SESSION, e.code());
    }
    assertTrue(containersOnDisk().isEmpty());
    assertTrue(directory.registered.isEmpty());
  }

  @Test
  void anUnjoinedDeviceSaysToJoinFirst() throws Exception {
    try (Ngc4j ngc = builder().joinType(JoinType.NOT_JOINED).build()) {
      assertEquals(ErrorCode.DEVICE_NOT_JOINED,
          assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN))).code());
    }
  }

  @Test
  void aTokenWithoutMfaIsRefusedBeforeAnyKeyIsUsed() throws Exception {
    try (Ngc4j ngc = builder().tokenSource(user -> token(user, "pwd")).build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN)));
      assertEquals(ErrorCode.MFA_REQUIRED, e.code());
      assertEquals(0, ngc.keyPool().stats().hits() + ngc.keyPool().stats().misses());
    }
    assertTrue(containersOnDisk().isEmpty());
  }

  @Test
  void aTokenForAnotherUserIsAUpnMismatch() throws Exception {
    try (Ngc4j ngc = builder().tokenSource(user -> token(UserPrincipal.of("bob@contoso.example"), "mfa")).build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN)));
      assertEquals(ErrorCode.MFA_REQUIRED, e.code());
      assertTrue(e.getMessage().contains("UPN mismatch"), e.getMessage());
    }
  }

  @Test
  void aRefusedRegistrationLeavesNoContainerBehind() throws Exception {
    directory.refuseRegistration = true;
    try (Ngc4j ngc = builder().build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN)));
      assertEquals(ErrorCode.REGISTRATION_FAILED, e.code());
      assertTrue(ngc.credential(ALICE).isEmpty());
    }
    assertTrue(containersOnDisk().isEmpty(), "no container without a registration");
    try (Stream<Path> records = Files.list(dir.resolve("credentials"))) {
      assertEquals(0, records.filter(p -> p.toString().endsWith(".record")).count());
    }
  }

  @Test
  void aCancelledGestureLeavesNothingBehind() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, request -> {
        throw new GestureCancelledException("user pressed cancel");
      }));
      assertEquals(ErrorCode.GESTURE_CANCELLED, e.code());
    }
    assertTrue(containersOnDisk().isEmpty());
    assertTrue(directory.registered.isEmpty(), "no registration without a container");
  }

  @Test
  void aPinBreakingThePolicyIsRefusedAndNothingIsCreated() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin("123456".toCharArray())));
      assertEquals(ErrorCode.PIN_POLICY_VIOLATION, e.code());
      assertFalse(e.getMessage().contains("123456"), "the PIN never appears in a message: " + e.getMessage());
    }
    assertTrue(containersOnDisk().isEmpty());
    assertTrue(directory.registered.isEmpty());
  }

  @Test
  void provisioningTwiceForTheSameUserIsRefused() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      ngc.provision(ALICE, pin(PIN));
      assertEquals(ErrorCode.CONTAINER_EXISTS,
          assertThrows(NgcException.class, () -> ngc.provision(ALICE, pin(PIN))).code());
    }
  }

  @Test
  void deprovisionWithdrawsTheRegistrationThenDeletesTheContainer() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      ngc.provision(ALICE, pin(PIN));
      directory.refuseUnregistration = true;
      assertEquals(ErrorCode.CLOUD_ERROR, assertThrows(NgcException.class, () -> ngc.deprovision(ALICE)).code());
      assertTrue(ngc.credential(ALICE).isPresent(), "nothing is deleted when the directory refuses");
      directory.refuseUnregistration = false;
      assertTrue(ngc.deprovision(ALICE));
      assertTrue(ngc.credential(ALICE).isEmpty());
      assertTrue(directory.registered.isEmpty());
      assertFalse(ngc.deprovision(ALICE));
    }
    assertTrue(containersOnDisk().isEmpty());
  }

  @Test
  void anInterruptedProvisioningIsUndoneAtTheNextStart() throws Exception {
    // Simulate a crash after the container was created but before registration finished.
    ContainerId id = CredentialRecords.containerIdFor(ALICE);
    CredentialProvider sw = new SoftwareCredentialProvider();
    try (ProviderSession s = sw.open(new ProviderContext(dir.resolve("providers").resolve("software"),
        Clock.systemUTC(), Map.of("argon2.memoryKiB", "1024", "argon2.iterations", "1")))) {
      s.containers().create(new ContainerSpec(id, ALICE, ProtectorSpec.pin(), dev.ngc4j.api.PinPolicy.defaults()),
          s.keySource().generate(), pin(PIN));
    }
    new CredentialRecords(dir.resolve("credentials")).write(new CredentialRecords.UserRecord(ALICE, id, "software",
        CredentialRecords.State.PENDING, java.util.Optional.empty(), false, Instant.now()));
    assertEquals(List.of(id), containersOnDisk());
    try (Ngc4j ngc = builder().build()) {
      assertTrue(ngc.credential(ALICE).isEmpty());
      assertTrue(containersOnDisk().isEmpty(), "the half-provisioned container is removed");
      Credential c = ngc.provision(ALICE, pin(PIN));
      java.security.PublicKey registered = directory.registered.get(RecordingDirectory.key(ALICE, c.keyId()));
      assertTrue(registered != null, "the key is registered");
      assertArrayEquals(c.publicKey().getEncoded(), java.util.Objects.requireNonNull(registered).getEncoded());
    }
  }

  @Test
  void statusExplainsEveryFailingPrerequisite() throws Exception {
    try (Ngc4j ngc = Ngc4j.builder().dataDirectory(dir).allowSoftwareKeys().remoteSession(() -> true)
        .keyPool(1, 0).build()) {
      Status s = ngc.status(ALICE);
      assertFalse(s.allChecksPassed());
      for (Status.Check c : s.checks()) {
        if (!c.passed()) {
          assertTrue(c.reason().isPresent() && c.remedy().isPresent(), c.toString());
        }
      }
      String text = s.toString();
      assertTrue(text.contains("DeviceJoined") && text.contains("FAIL") && text.contains("remedy:"), text);
      assertTrue(text.contains("LocalSession"), text);
      assertTrue(text.contains("NgcSet : NO"), text);
    }
  }

  @Test
  void withoutAllowingSoftwareKeysDiscoveryRefusesTheSoftwareProvider() {
    NgcException e = assertThrows(NgcException.class, () -> Ngc4j.builder().dataDirectory(dir).build());
    assertEquals(ErrorCode.NO_PROVIDER, e.code());
    assertTrue(e.getMessage().contains("allowSoftwareKeys()"), e.getMessage());
  }

  @Test
  void aProviderIdThatIsNotInstalledIsANoProviderError() {
    NgcException e = assertThrows(NgcException.class,
        () -> Ngc4j.builder().dataDirectory(dir).providerId("tpm").build());
    assertEquals(ErrorCode.NO_PROVIDER, e.code());
    assertTrue(e.getMessage().contains("software"), "lists what is installed: " + e.getMessage());
  }

  @Test
  void requiringHardwareWithOnlyTheSoftwareProviderFails() {
    NgcException e = assertThrows(NgcException.class,
        () -> Ngc4j.builder().dataDirectory(dir).allowSoftwareKeys().requireHardware().build());
    assertEquals(ErrorCode.HARDWARE_REQUIRED, e.code());
  }

  @Test
  void theSystemPropertyNamesTheProviderLikeAnExplicitChoice() throws Exception {
    String old = System.getProperty("ngc4j.provider");
    System.setProperty("ngc4j.provider", "software");
    try (Ngc4j ngc = Ngc4j.builder().dataDirectory(dir).keyPool(0, 0).build()) {
      assertEquals("software", ngc.providerId());
    } finally {
      if (old == null) {
        System.clearProperty("ngc4j.provider");
      } else {
        System.setProperty("ngc4j.provider", old);
      }
    }
  }

  @Test
  void usingTheSdkLeavesTheGlobalJcaProviderListAlone() throws Exception {
    List<String> before = Stream.of(java.security.Security.getProviders()).map(p -> p.getName()).toList();
    try (Ngc4j ngc = builder().build()) {
      Credential c = ngc.provision(ALICE, pin(PIN));
      c.sign(SignatureAlgorithm.RSA_PSS_SHA256, new byte[] {1, 2, 3}, pin(PIN));
    }
    List<String> after = Stream.of(java.security.Security.getProviders()).map(p -> p.getName()).toList();
    assertEquals(before, after);
    assertFalse(after.contains("BC"), "BouncyCastle must be used as an instance, never installed globally");
  }
}
