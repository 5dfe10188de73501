package dev.ngc4j.provider.software;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ApiVersion;
import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.LockoutState;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.api.UserVerificationException;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.KeyContainerContract;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.ScriptedGestures;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the provider contract against the software provider (with cheap Argon2 parameters) and adds what only the
 * software provider promises: the doubling back-off, configuration, discovery.
 */
class SoftwareCredentialProviderTest extends KeyContainerContract {
  private static final int MAX_ATTEMPTS = 5;
  private static final Duration FIRST_LOCKOUT = Duration.ofSeconds(60);

  static SoftwareCredentialProvider fastProvider() {
    return SoftwareCredentialProvider.builder().argon2(1024, 1, 1).maxAttempts(MAX_ATTEMPTS).build();
  }

  @Override
  protected ProviderSession openSession(Path dataDirectory, Clock clock) throws Exception {
    return fastProvider().open(new ProviderContext(dataDirectory, clock, Map.of()));
  }

  @Override
  protected int maxAttempts() {
    return MAX_ATTEMPTS;
  }

  private UserVerificationException wrongPin(KeyContainer container, int expectedAttemptsOffered) throws Exception {
    ScriptedGestures script = gestures().pin(wrongPin());
    UserVerificationException e = assertThrows(UserVerificationException.class, () -> container.unlock(script));
    assertEquals(OptionalInt.of(expectedAttemptsOffered), script.requests().get(0).attemptsRemaining());
    return e;
  }

  private Instant lockOut(KeyContainer container) throws Exception {
    for (int i = 0; i < MAX_ATTEMPTS - 1; i++) {
      assertEquals(ErrorCode.WRONG_GESTURE, wrongPin(container, MAX_ATTEMPTS - i).code());
    }
    UserVerificationException e = wrongPin(container, 1);
    assertEquals(ErrorCode.LOCKED_OUT, e.code());
    return e.lockedUntil().orElseThrow();
  }

  @Nested
  class BackOff {
    @Test
    void theFirstLockoutLastsTheConfiguredBackOff() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      Instant start = clock().instant();
      assertEquals(start.plus(FIRST_LOCKOUT), lockOut(container));
    }

    @Test
    void afterTheBackOffOneAttemptIsAllowedAndAFailureLocksForTwiceAsLong() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      Instant until = lockOut(container);

      clock().set(until);
      LockoutState state = container.lockoutState();
      assertFalse(state.lockedOut());
      assertEquals(1, state.attemptsRemaining());
      UserVerificationException second = wrongPin(container, 1);
      assertEquals(ErrorCode.LOCKED_OUT, second.code());
      assertEquals(until.plus(FIRST_LOCKOUT.multipliedBy(2)), second.lockedUntil().orElseThrow());

      clock().set(second.lockedUntil().orElseThrow());
      UserVerificationException third = wrongPin(container, 1);
      assertEquals(clock().instant().plus(FIRST_LOCKOUT.multipliedBy(4)), third.lockedUntil().orElseThrow());
    }

    @Test
    void aCorrectPinAfterALockoutResetsTheDoubling() throws Exception {
      KeyContainer container = createContainer("alice-1", firstPin());
      clock().set(lockOut(container));
      UserVerificationException relocked = wrongPin(container, 1);
      clock().set(relocked.lockedUntil().orElseThrow());
      container.unlock(gestures().pin(firstPin())).close();
      assertEquals(MAX_ATTEMPTS, container.lockoutState().attemptsRemaining());
      Instant start = clock().instant();
      assertEquals(start.plus(FIRST_LOCKOUT), lockOut(container));
    }

    @Test
    void theBackOffNeverExceeds24Hours(@TempDir Path dir) throws Exception {
      MutableClock clock = MutableClock.create();
      Map<String, String> config = Map.of("lockoutSeconds", String.valueOf(Duration.ofHours(16).toSeconds()),
          "maxAttempts", "2");
      try (ProviderSession session = fastProvider().open(new ProviderContext(dir, clock, config))) {
        KeyContainer container = session.containers().create(
            new ContainerSpec(ContainerId.of("c"), user(), ProtectorSpec.pin(), PinPolicy.defaults()),
            session.keySource().generate(), gestures().pin(firstPin()));
        container.unlock(gestures().pin(firstPin())).close();
        assertThrows(UserVerificationException.class, () -> container.unlock(gestures().pin(wrongPin())));
        UserVerificationException first =
            assertThrows(UserVerificationException.class, () -> container.unlock(gestures().pin(wrongPin())));
        assertEquals(clock.instant().plus(Duration.ofHours(16)), first.lockedUntil().orElseThrow());
        clock.set(first.lockedUntil().orElseThrow());
        UserVerificationException second =
            assertThrows(UserVerificationException.class, () -> container.unlock(gestures().pin(wrongPin())));
        assertEquals(clock.instant().plus(Duration.ofHours(24)), second.lockedUntil().orElseThrow());
      }
    }
  }

  @Nested
  class Configuration {
    @Test
    void contextKeysOverrideTheBuilder(@TempDir Path dir) throws Exception {
      Map<String, String> config = Map.of("maxAttempts", "3", "argon2.memoryKiB", "2048", "argon2.iterations", "1",
          "argon2.parallelism", "1");
      try (ProviderSession session = fastProvider().open(new ProviderContext(dir, MutableClock.create(), config))) {
        KeyContainer container = session.containers().create(
            new ContainerSpec(ContainerId.of("c"), user(), ProtectorSpec.pin(), PinPolicy.defaults()),
            session.keySource().generate(), gestures().pin(firstPin()));
        assertEquals(3, container.lockoutState().maxAttempts());
      }
    }

    @Test
    void aMalformedSettingIsRefusedNamingTheKey(@TempDir Path dir) {
      ProviderContext context = new ProviderContext(dir, MutableClock.create(), Map.of("maxAttempts", "five"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fastProvider().open(context));
      assertTrue(String.valueOf(e.getMessage()).contains("maxAttempts"), e::getMessage);
      ProviderContext outOfRange = new ProviderContext(dir, MutableClock.create(), Map.of("argon2.memoryKiB", "4"));
      assertThrows(IllegalArgumentException.class, () -> fastProvider().open(outOfRange));
    }

    @Test
    void theBuilderRefusesSettingsOutOfRange() {
      assertThrows(IllegalArgumentException.class, () -> SoftwareCredentialProvider.builder().argon2(4, 1, 1).build());
      assertThrows(IllegalArgumentException.class,
          () -> SoftwareCredentialProvider.builder().argon2(1024, 0, 1).build());
      assertThrows(IllegalArgumentException.class, () -> SoftwareCredentialProvider.builder().maxAttempts(0).build());
      assertThrows(IllegalArgumentException.class,
          () -> SoftwareCredentialProvider.builder().lockoutBackoff(Duration.ofDays(2)).build());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
      SoftwareCredentialProvider provider = new SoftwareCredentialProvider();
      assertEquals(19456, provider.argon2MemoryKiB());
      assertEquals(5, provider.maxAttempts());
    }

    @Test
    void containersKeepTheirArgon2ParametersWhenTheDefaultsChange(@TempDir Path dir) throws Exception {
      MutableClock clock = MutableClock.create();
      ContainerSpec spec = new ContainerSpec(ContainerId.of("c"), user(), ProtectorSpec.pin(), PinPolicy.defaults());
      try (ProviderSession session = fastProvider().open(new ProviderContext(dir, clock, Map.of()))) {
        session.containers().create(spec, session.keySource().generate(), gestures().pin(firstPin()));
      }
      SoftwareCredentialProvider stronger = SoftwareCredentialProvider.builder().argon2(4096, 2, 1).build();
      try (ProviderSession session = stronger.open(new ProviderContext(dir, clock, Map.of()))) {
        KeyContainer container = session.containers().open(spec.id());
        container.unlock(gestures().pin(firstPin())).close();
        container.changePin(gestures().pin(firstPin()).pin(secondPin()));
      }
      try (ProviderSession session = fastProvider().open(new ProviderContext(dir, clock, Map.of()))) {
        session.containers().open(spec.id()).unlock(gestures().pin(secondPin())).close();
      }
    }
  }

  @Nested
  class Identity {
    @Test
    void reportsItsIdPriorityAndCapabilities() {
      SoftwareCredentialProvider provider = new SoftwareCredentialProvider();
      assertEquals("software", provider.id());
      assertEquals(10, provider.priority());
      assertEquals(ApiVersion.MAJOR, provider.apiVersion());
      ProbeResult probe = provider.probe();
      assertTrue(probe.available());
      Capabilities c = probe.capabilities();
      assertFalse(c.hardwareBacked());
      assertTrue(c.attestationFormats().isEmpty());
      assertEquals(java.util.Set.of(GestureKind.PIN, GestureKind.BIOMETRIC), c.gestureKinds());
      assertEquals(java.util.Set.of(SignatureAlgorithm.values()), c.signatureAlgorithms());
      assertEquals(c, session().capabilities());
      assertEquals("software", session().providerId());
    }

    @Test
    void isFoundByTheServiceLoader() {
      List<String> ids = ServiceLoader.load(CredentialProvider.class).stream()
          .map(ServiceLoader.Provider::get)
          .map(CredentialProvider::id)
          .collect(Collectors.toList());
      assertTrue(ids.contains("software"), ids::toString);
    }

    @Test
    void leavesTheGlobalJcaProviderListAlone() throws Exception {
      String before = Arrays.stream(Security.getProviders()).map(Provider::getName).collect(Collectors.joining(","));
      KeyContainer container = createContainer("alice-1", firstPin());
      container.sign(SignatureAlgorithm.RSA_PSS_SHA256, new byte[] {1, 2, 3}, gestures().pin(firstPin()));
      String after = Arrays.stream(Security.getProviders()).map(Provider::getName).collect(Collectors.joining(","));
      assertEquals(before, after);
      assertFalse(after.contains("BC"), after);
    }
  }
}
