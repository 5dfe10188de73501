package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The attempt counter file: its exact body, and refusal of another container's or a damaged one. */
class AttemptCounterTest {
  private static final ContainerId ID = ContainerId.of("alice-1");
  private static final Path FILE = Path.of("attempts.ngc");

  @Test
  void theBodyIsIdFailuresLockoutsAndTheOptionalLockoutEnd() throws Exception {
    AttemptCounter locked = new AttemptCounter(ID, 2, 1, Instant.ofEpochSecond(0x10, 5));
    byte[] body = FramedFile.open(FILE, locked.encode("NGC4JTPA"), "NGC4JTPA", 1).body();
    assertEquals("0007616c6963652d31" + "00000002" + "00000001" + "01" + "0000000000000010" + "00000005",
        HexFormat.of().formatHex(body));
    byte[] fresh = FramedFile.open(FILE, AttemptCounter.fresh(ID).encode("NGC4JSWA"), "NGC4JSWA", 1).body();
    assertEquals("0007616c6963652d31" + "00000000" + "00000000" + "00", HexFormat.of().formatHex(fresh));
  }

  @Test
  void roundTripsAndRefusesAnotherContainersAnotherMagicOrADamagedFile() throws Exception {
    AttemptCounter a = new AttemptCounter(ID, 2, 1, Instant.parse("2030-01-01T00:00:00Z"));
    assertEquals(a, AttemptCounter.decode(FILE, a.encode("NGC4JSWA"), "NGC4JSWA", ID));
    ContainerCorruptedException other = assertThrows(ContainerCorruptedException.class,
        () -> AttemptCounter.decode(FILE, a.encode("NGC4JSWA"), "NGC4JSWA", ContainerId.of("bob")));
    assertTrue(other.detail().contains("another container"), other.detail());
    assertThrows(ContainerCorruptedException.class,
        () -> AttemptCounter.decode(FILE, a.encode("NGC4JSWA"), "NGC4JTPA", ID));
    byte[] damaged = a.encode("NGC4JSWA");
    damaged[20] ^= 1;
    assertThrows(ContainerCorruptedException.class, () -> AttemptCounter.decode(FILE, damaged, "NGC4JSWA", ID));
    byte[] negative = FramedFile.seal("NGC4JSWA", 1,
        new ByteWriter().str(ID.value()).i32(-1).i32(0).bool(false).toByteArray());
    assertThrows(ContainerCorruptedException.class, () -> AttemptCounter.decode(FILE, negative, "NGC4JSWA", ID));
  }
}
