package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitMode;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KDC that refuses the 2048-bit group (MIT with {@code pkinit_dh_min_bits = 4096}) answers
 * KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED with TD-DH-PARAMETERS; the client retries once with the 4096-bit group it
 * names and gets its TGT.
 */
class DhGroupNegotiationTest {
  @TempDir Path dir;

  @Test
  void theClientRetriesWithTheGroupTheKdcAsksFor() throws Exception {
    char[] pin = "620415".toCharArray();
    GestureSource gestures = request -> Pin.of(pin.clone());
    try (MitKdc kdc = MitKdc.builder(dir.resolve("kdc")).dhMinBits(4096).start();
        ProviderSession session = new SoftwareCredentialProvider().open(new ProviderContext(dir.resolve("provider"),
            Clock.systemUTC(), Map.of("argon2.memoryKiB", "1024", "argon2.iterations", "1")))) {
      kdc.addUser("alice");
      KeyContainer alice;
      try (PooledKey key = session.keySource().generate()) {
        alice = session.containers().create(new ContainerSpec(ContainerId.of("alice"),
            UserPrincipal.of("alice@whfb.test"), ProtectorSpec.pin(), PinPolicy.defaults()), key, gestures);
      }
      PkinitClient client = PkinitClient.builder()
          .kdcValidation(KdcValidation.builder().trustAnchors(List.of(kdc.caCertificate())).build())
          .kdcs(kdc.realm(), List.of(kdc.address()))
          .timeout(Duration.ofSeconds(30))
          .build();
      PkinitRequest request = new PkinitRequest(alice.user(), kdc.realm(), List.of(), PkinitMode.CERTIFICATE_TRUST,
          List.of(kdc.issueClientCertificate(alice.publicKey(), "alice")));
      try (KerberosTgt tgt = client.asExchange(request, alice, gestures)) {
        assertEquals("alice@WHFB.TEST", tgt.client());
      }
      String log = kdc.kdcLog();
      assertTrue(log.contains("Key parameters not accepted"),
          "the KDC first refused the 2048-bit group:\n" + log);
      assertTrue(log.contains("ISSUE"), log);
    }
  }
}
