package dev.ngc4j.server.internal.keytrust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class WindowsGuidTest {
  @Test
  void theFirstThreeFieldsAreLittleEndianAndTheLastEightBytesAsTheyAre() {
    // MS-DTYP 2.3.4.2: Data1 (4 bytes), Data2 and Data3 (2 bytes each) little-endian; Data4 is a byte array.
    UUID id = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    byte[] expected = HexFormat.of().parseHex("33221100" + "5544" + "7766" + "8899" + "aabbccddeeff");
    assertArrayEquals(expected, WindowsGuid.toBytes(id));
    assertEquals(id, WindowsGuid.fromBytes(expected));
  }

  @Test
  void randomGuidsRoundTripAndNilIsAllZeros() {
    for (int i = 0; i < 100; i++) {
      UUID id = UUID.randomUUID();
      assertEquals(id, WindowsGuid.fromBytes(WindowsGuid.toBytes(id)));
    }
    assertArrayEquals(new byte[16], WindowsGuid.toBytes(new UUID(0, 0)));
  }

  @Test
  void onlySixteenBytesAreAGuid() {
    assertThrows(IllegalArgumentException.class, () -> WindowsGuid.fromBytes(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> WindowsGuid.fromBytes(new byte[17]));
  }
}
