package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpmSettingsTest {
  @Test
  void theDefaultsAreTheLinuxResourceManagerAndAModestLimit() {
    TpmSettings d = TpmSettings.defaults();
    assertEquals("/dev/tpmrm0", d.device());
    assertFalse(d.tcp());
    assertEquals(5, d.maxAttempts());
    assertEquals(Duration.ofSeconds(60), d.lockoutBackoff());
    assertEquals(Duration.ofMinutes(2), d.commandTimeout());
    assertFalse(d.persistSrk());
    assertEquals(0x81000001, d.srkHandle());
  }

  @Test
  void configurationKeysOverrideTheDefaults() {
    TpmSettings s = TpmSettings.defaults().with(Map.of(
        "device", " tcp:127.0.0.1:2321 ", "maxAttempts", "7", "lockoutSeconds", "30", "commandTimeoutSeconds", "2.5",
        "connectTimeoutMillis", "500", "srk", "PERSIST", "srkHandle", "0x81000002", "unknown", "ignored"));
    assertTrue(s.tcp());
    assertEquals("127.0.0.1", s.tcpHost());
    assertEquals(2321, s.tcpPort());
    assertEquals(7, s.maxAttempts());
    assertEquals(Duration.ofSeconds(30), s.lockoutBackoff());
    assertEquals(Duration.ofMillis(2500), s.commandTimeout());
    assertEquals(Duration.ofMillis(500), s.connectTimeout());
    assertTrue(s.persistSrk());
    assertEquals(0x81000002, s.srkHandle());
    assertEquals("::1", TpmSettings.defaults().with(Map.of("device", "tcp:[::1]:2321")).tcpHost());
  }

  @Test
  void invalidValuesNameTheirKey() {
    for (Map<String, String> bad : java.util.List.of(
        Map.of("device", "tcp:host"), Map.of("device", "tcp:host:99999"), Map.of("device", "tcp:host:x"),
        Map.of("device", " "), Map.of("maxAttempts", "0"), Map.of("maxAttempts", "many"),
        Map.of("lockoutSeconds", "0"), Map.of("commandTimeoutSeconds", "0.01"), Map.of("srk", "maybe"),
        Map.of("srkHandle", "0x01000000"), Map.of("connectTimeoutMillis", "0"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TpmSettings.defaults().with(bad), bad::toString);
      String key = bad.keySet().iterator().next();
      assertTrue(String.valueOf(e.getMessage()).contains(key), () -> bad + ": " + e.getMessage());
    }
  }
}
