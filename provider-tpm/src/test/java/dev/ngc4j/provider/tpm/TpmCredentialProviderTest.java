package dev.ngc4j.provider.tpm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.ProviderUnavailableException;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.provider.tpm.internal.TpmTestSupport;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.KeyContainerContract;
import dev.ngc4j.testkit.MutableClock;
import dev.ngc4j.testkit.swtpm.Swtpm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider contract against a real swtpm started for this class (fresh state, EK certificates), plus the
 * provider's public surface: discovery, probing, configuration.
 */
class TpmCredentialProviderTest extends KeyContainerContract {
  private static @Nullable Swtpm tpm;

  @BeforeAll
  static void startSwtpm(@TempDir Path dir) throws Exception {
    tpm = Swtpm.start(dir);
  }

  @AfterAll
  static void stopSwtpm() {
    Swtpm t = tpm;
    if (t != null) {
      t.close();
    }
  }

  static Swtpm swtpm() {
    Swtpm t = tpm;
    if (t == null) {
      throw new IllegalStateException("swtpm not started");
    }
    return t;
  }

  static TpmCredentialProvider provider() {
    return TpmCredentialProvider.builder()
        .device(swtpm().deviceSpec())
        .maxAttempts(TpmTestSupport.MAX_ATTEMPTS)
        .commandTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  protected ProviderSession openSession(Path dataDirectory, Clock clock) throws Exception {
    // Each test starts with a clean DA counter and limits far above the provider's: the provider locks first.
    swtpm().relaxDictionaryAttack();
    return provider().open(new ProviderContext(dataDirectory, clock, Map.of()));
  }

  @Override
  protected int maxAttempts() {
    return TpmTestSupport.MAX_ATTEMPTS;
  }

  /** The provider as applications see it. */
  @Nested
  class PublicSurface {
    @Test
    void serviceLoaderFindsTheTpmProviderWithAHardwarePriority() {
      List<CredentialProvider> found = ServiceLoader.load(CredentialProvider.class).stream()
          .map(ServiceLoader.Provider::get)
          .filter(p -> p.id().equals("tpm"))
          .collect(Collectors.toList());
      assertEquals(1, found.size());
      assertTrue(found.get(0) instanceof TpmCredentialProvider);
      assertTrue(found.get(0).priority() >= 100);
    }

    @Test
    void theCapabilitiesAreHardwareBackedWithPinBiometricAndBothAlgorithms() {
      assertTrue(session().capabilities().hardwareBacked());
      assertEquals(java.util.Set.of(GestureKind.values()), session().capabilities().gestureKinds());
      assertEquals(java.util.Set.of(SignatureAlgorithm.values()), session().capabilities().signatureAlgorithms());
      assertEquals("tpm", session().providerId());
    }

    @Test
    void probeSaysAvailableForARunningSwtpm() {
      ProbeResult result = provider().probe();
      assertTrue(result.available(), () -> result.reason().orElse(""));
    }

    @Test
    void probeSaysWhyAndWhatToDoWhenNothingListens() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      ProbeResult result = TpmCredentialProvider.builder().device("tcp:127.0.0.1:" + port).build().probe();
      assertFalse(result.available());
      assertTrue(result.reason().orElseThrow().contains("127.0.0.1:" + port));
      assertTrue(result.remedy().orElseThrow().contains("swtpm"));
    }

    @Test
    void probeAndOpenNameAMissingDeviceFile(@TempDir Path dir) {
      Path missing = dir.resolve("tpmrm9");
      TpmCredentialProvider p = TpmCredentialProvider.builder().device(missing.toString()).build();
      ProbeResult result = p.probe();
      assertFalse(result.available());
      assertTrue(result.reason().orElseThrow().contains(missing.toString()));
      ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
          () -> p.open(new ProviderContext(dir.resolve("data"), MutableClock.create(), Map.of())));
      assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
      assertTrue(e.remedy().contains("tss"), e::getMessage);
      assertFalse(java.nio.file.Files.exists(missing), "opening must not create a file where the device should be");
    }

    @Test
    void theResourceManagerDeviceIsCheckedBeforeTssJavaTriesItsFallback(@TempDir Path dir) {
      TpmCredentialProvider p = TpmCredentialProvider.builder().build();
      Path rm = Path.of("/dev/tpmrm0");
      boolean usable = java.nio.file.Files.isReadable(rm) && java.nio.file.Files.isWritable(rm);
      assertEquals(usable, p.probe().available(), () -> p.probe().reason().orElse(""));
      if (!java.nio.file.Files.exists(rm)) {
        // No TPM here (as on the CI machine): the provider says so instead of falling back to /dev/tpm0 or
        // printing to stderr the way TSS.Java's TpmDeviceLinux would.
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
            () -> p.open(new ProviderContext(dir, MutableClock.create(), Map.of())));
        assertTrue(e.getMessage().contains("/dev/tpmrm0 does not exist"), e::getMessage);
      }
    }

    @Test
    void openingWhenNothingListensFailsQuicklyWithARemedy(@TempDir Path dir) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      TpmCredentialProvider p = TpmCredentialProvider.builder().device("tcp:127.0.0.1:" + port).build();
      long start = System.nanoTime();
      ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
          () -> p.open(new ProviderContext(dir, MutableClock.create(), Map.of())));
      assertTrue(System.nanoTime() - start < 5_000_000_000L);
      assertTrue(String.valueOf(e.getMessage()).contains("127.0.0.1:" + port), e::getMessage);
      assertTrue(e.remedy().contains("swtpm"), e::getMessage);
    }

    @Test
    void badSettingsNameTheKey() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TpmCredentialProvider.builder().device("tcp:localhost").build());
      assertTrue(String.valueOf(e.getMessage()).contains("device"), e::getMessage);
      IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
          () -> TpmCredentialProvider.builder().maxAttempts(0).build());
      assertTrue(String.valueOf(e2.getMessage()).contains("maxAttempts"), e2::getMessage);
      IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
          () -> provider().open(new ProviderContext(Path.of("unused"), MutableClock.create(),
              Map.of("srk", "sometimes"))));
      assertTrue(String.valueOf(e3.getMessage()).contains("srk"), e3::getMessage);
    }

    @Test
    void systemPropertiesConfigureTheServiceLoaderConstructor() {
      String key = TpmCredentialProvider.SYSTEM_PROPERTY_PREFIX + "device";
      String before = System.getProperty(key);
      try {
        System.setProperty(key, swtpm().deviceSpec());
        TpmCredentialProvider p = new TpmCredentialProvider();
        assertEquals(swtpm().deviceSpec(), p.device());
        assertEquals(5, p.maxAttempts());
      } finally {
        if (before == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, before);
        }
      }
    }

    @Test
    void usingTheProviderRegistersNoGlobalSecurityProvider() throws Exception {
      createContainer("alice-1", firstPin()).sign(SignatureAlgorithm.RSA_PSS_SHA256, new byte[] {1},
          gestures().pin(firstPin()));
      assertNull(Security.getProvider("BC"), "TSS.Java's BouncyCastle registration must never run");
    }
  }
}
