package dev.ngc4j.server.internal.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class GuidsTest {
  private static final UUID ID = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");

  @Test
  void windowsBytesSwapTheFirstThreeFields() {
    assertArrayEquals(HexFormat.of().parseHex("33221100554477668899aabbccddeeff"), Guids.windowsBytes(ID));
  }

  @Test
  void objectSidReadsTheStructureAsFourLittleEndianIntegers() {
    // As AADInternals' Convert-AADIntObjectIDtoSID: e06e3596-82c0-4f31-ac5a-439a308e3dc2
    assertEquals("S-1-12-1-3765319062-1328644800-2588105388-3258814000",
        Guids.objectSid(UUID.fromString("e06e3596-82c0-4f31-ac5a-439a308e3dc2")));
  }

  @Test
  void parseAcceptsOnlyTheCanonicalForm() throws Exception {
    assertEquals(ID, Guids.parse("00112233-4455-6677-8899-AABBCCDDEEFF"));
    for (String bad : new String[] {"0-0-0-0-0", "00112233445566778899aabbccddeeff", "{00112233-4455-6677-8899-aabbccddeeff}",
        "00112233-4455-6677-8899-aabbccddeefg", "00112233-4455-6677-8899_aabbccddeeff"}) {
      assertThrows(Malformed.class, () -> Guids.parse(bad), bad);
      assertFalse(Guids.isGuid(bad));
    }
    assertTrue(Guids.isGuid(ID.toString()));
  }
}
