package dev.ngc4j.core.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.core.kerberos.testing.PkinitFixture;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PkinitRequest;
import dev.ngc4j.testkit.kdc.MitKdc;
import java.nio.file.Path;
import java.time.Duration;
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
    try (PkinitFixture fixture = PkinitFixture.builder(dir, pin).kdc(b -> b.dhMinBits(4096)).users("alice").start()) {
      MitKdc kdc = fixture.kdc();
      KeyContainer alice = fixture.container("alice");
      PkinitClient client = fixture.clientBuilder().timeout(Duration.ofSeconds(30)).build();
      PkinitRequest request =
          fixture.certificateTrust(alice, kdc.issueClientCertificate(alice.publicKey(), "alice"));
      try (KerberosTgt tgt = client.asExchange(request, alice, fixture.pin())) {
        assertEquals("alice@WHFB.TEST", tgt.client());
      }
      String log = kdc.kdcLog();
      assertTrue(log.contains("Key parameters not accepted"),
          "the KDC first refused the 2048-bit group:\n" + log);
      assertTrue(log.contains("ISSUE"), log);
    }
  }
}
