package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ErrorCode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The frame: magic, version, length, body, SHA-256; anything else is refused with the file's name. */
class FramedFileTest {
  private static final Path FILE = Path.of("data", "x.ngc");

  @Test
  void theFrameIsMagicVersionLengthBodyAndTheSha256OfAllBefore() {
    byte[] framed = FramedFile.seal("NGC4JTST", 1, new byte[] {1, 2});
    String hex = HexFormat.of().formatHex(framed);
    assertTrue(hex.startsWith("4e4743344a545354" + "0001" + "00000002" + "0102"), hex);
    assertArrayEquals(FramedFile.sha256(Arrays.copyOf(framed, 16)), Arrays.copyOfRange(framed, 16, 48));
    assertEquals(48, framed.length);
  }

  @Test
  void everyDamageIsRefusedAndNamesTheFile() throws Exception {
    byte[] framed = FramedFile.seal("NGC4JTST", 1, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, FramedFile.open(FILE, framed, "NGC4JTST", 1).body());
    for (int i = 0; i < framed.length; i++) {
      byte[] damaged = framed.clone();
      damaged[i] ^= 0x10;
      assertCorrupted(() -> FramedFile.open(FILE, damaged, "NGC4JTST", 1));
    }
    assertCorrupted(() -> FramedFile.open(FILE, Arrays.copyOf(framed, framed.length - 1), "NGC4JTST", 1));
    assertCorrupted(() -> FramedFile.open(FILE, new byte[0], "NGC4JTST", 1));
    assertCorrupted(() -> FramedFile.open(FILE, framed, "NGC4JOTH", 1));
  }

  @Test
  void aNewerVersionIsRefusedWithItsNumberAndOlderOnesAreRead() throws Exception {
    byte[] v2 = FramedFile.seal("NGC4JTST", 2, new byte[] {5});
    ContainerCorruptedException e = assertCorrupted(() -> FramedFile.open(FILE, v2, "NGC4JTST", 1));
    assertTrue(e.detail().contains("format version 2"), e.detail());
    FramedFile.Opened opened = FramedFile.open(FILE, FramedFile.seal("NGC4JTST", 1, new byte[] {5}), "NGC4JTST", 2);
    assertEquals(1, opened.version());
    assertCorrupted(() -> FramedFile.open(FILE, FramedFile.seal("NGC4JTST", 0, new byte[] {5}), "NGC4JTST", 2));
  }

  @Test
  void aGivenRemedyIsCarriedByEveryRefusal() {
    byte[] framed = FramedFile.seal("NGC4JTST", 3, new byte[0]);
    ContainerCorruptedException version =
        assertCorrupted(() -> FramedFile.open(FILE, framed, "NGC4JTST", 1, "delete x.ngc"));
    assertTrue(version.remedy().endsWith("delete x.ngc"), version.remedy());
    ContainerCorruptedException magic =
        assertCorrupted(() -> FramedFile.open(FILE, framed, "NGC4JOTH", 3, "delete x.ngc"));
    assertEquals("delete x.ngc", magic.remedy());
    assertThrows(IllegalArgumentException.class, () -> FramedFile.seal("SHORT", 1, new byte[0]));
  }

  private static ContainerCorruptedException assertCorrupted(Call call) {
    ContainerCorruptedException e = assertThrows(ContainerCorruptedException.class, call::run);
    assertEquals(ErrorCode.CONTAINER_CORRUPTED, e.code());
    assertTrue(e.detail().contains(FILE.toString()), e.detail());
    return e;
  }

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }
}
