package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading configuration strings by key: fallbacks, trimming, number forms, and errors that name the key. */
class ConfigValuesTest {
  private static final ConfigValues VALUES = new ConfigValues("X setting", Map.of(
      "text", "  lib.so ", "hex", "0x81000001", "dec", " 42 ", "bad", "4 2", "frac", "0.25", "inf", "Infinity",
      "mode", " Persist", "secs", "90", "ms", "1500"));

  @Test
  void absentKeysFallBackAndValuesAreTrimmed() {
    assertEquals("lib.so", VALUES.text("text", "other"));
    assertEquals("other", VALUES.text("missing", " other "));
    assertEquals(Optional.of("lib.so"), VALUES.optionalText("text"));
    assertEquals(Optional.empty(), VALUES.optionalText("missing"));
    assertTrue(VALUES.hasAny("missing", "dec"));
    assertFalse(VALUES.hasAny("missing", "absent"));
    assertEquals(7, VALUES.wholeNumber("missing", 7));
    assertEquals(7, VALUES.decimalInt("missing", 7));
    assertEquals(0.5, VALUES.number("missing", 0.5));
  }

  @Test
  void numbersAndDurationsParse() {
    assertEquals(0x81000001L, VALUES.wholeNumber("hex", 0));
    assertEquals(42, VALUES.wholeNumber("dec", 0));
    assertEquals(42, VALUES.decimalInt("dec", 0));
    assertEquals(0.25, VALUES.number("frac", 0));
    assertEquals(Duration.ofSeconds(90), VALUES.seconds("secs", Duration.ZERO));
    assertEquals(Duration.ofMillis(1500), VALUES.millis("ms", Duration.ZERO));
    assertEquals(Duration.ofMillis(250), VALUES.fractionalSeconds("frac", Duration.ZERO));
    assertEquals(Duration.ofSeconds(3), VALUES.seconds("missing", Duration.ofSeconds(3)));
    assertEquals(Duration.ofMillis(1250), VALUES.fractionalSeconds("missing", Duration.ofMillis(1250)));
    assertEquals("persist", VALUES.choice("mode", "derive", List.of("derive", "persist")));
    assertEquals("derive", VALUES.choice("missing", "derive", List.of("derive", "persist")));
  }

  @Test
  void badValuesNameTheSettingAndTheKey() {
    assertEquals("X setting bad is not a whole number: 4 2",
        assertThrows(IllegalArgumentException.class, () -> VALUES.wholeNumber("bad", 0)).getMessage());
    assertEquals("X setting hex is not a whole number: 0x81000001",
        assertThrows(IllegalArgumentException.class, () -> VALUES.decimalInt("hex", 0)).getMessage());
    assertEquals("X setting inf is not a number: Infinity",
        assertThrows(IllegalArgumentException.class, () -> VALUES.number("inf", 0)).getMessage());
    assertEquals("X setting mode must be 'a', 'b' or 'c', got persist", assertThrows(IllegalArgumentException.class,
        () -> VALUES.choice("mode", "a", List.of("a", "b", "c"))).getMessage());
  }

  @Test
  void systemPropertiesAreKeyedByTheRestOfTheirName() {
    System.setProperty("ngc4j.configvaluestest.alpha", "1");
    try {
      Map<String, String> found = ConfigValues.systemProperties("ngc4j.configvaluestest.");
      assertEquals(Map.of("alpha", "1"), found);
    } finally {
      System.clearProperty("ngc4j.configvaluestest.alpha");
    }
  }
}
