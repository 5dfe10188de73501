package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.ContainerCorruptedException;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.ContainerNotFoundException;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared container layout: all-or-nothing creation, listing, deletion, counters, leftovers, disposal. */
class ContainerDirectoryTest {
  private static final ContainerId ALICE = ContainerId.of("alice-1");
  private static final String MAGIC = "NGC4JTSA";

  @TempDir Path root;

  private ContainerDirectory directory(ContainerDirectory.Disposal disposal) {
    return new ContainerDirectory(root, "test container", MAGIC, disposal);
  }

  @Test
  void createWritesTheRecordAFreshCounterAndTheExtraFilesThenRefusesTheSameIdAgain() throws Exception {
    ContainerDirectory d = directory(ContainerDirectory.Disposal.DELETE);
    Map<String, byte[]> extra = new LinkedHashMap<>();
    extra.put("certified.ngc", new byte[] {7});
    d.create(ALICE, new byte[] {1, 2}, extra);
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(d.containerFile(ALICE)));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(d.directory(ALICE).resolve("certified.ngc")));
    assertEquals(AttemptCounter.fresh(ALICE), d.readCounter(ALICE));
    NgcException e = assertThrows(NgcException.class, () -> d.create(ALICE, new byte[] {3}, Map.of()));
    assertEquals(ErrorCode.CONTAINER_EXISTS, e.code());
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(d.containerFile(ALICE)), "the first one is untouched");
    assertEquals(List.of(), dotEntries(root), "the failed creation left nothing");
  }

  @Test
  void listShowsOnlyContainerDirectoriesSorted() throws Exception {
    ContainerDirectory d = directory(ContainerDirectory.Disposal.DELETE);
    d.create(ContainerId.of("zed"), new byte[] {1}, Map.of());
    d.create(ALICE, new byte[] {1}, Map.of());
    Files.createDirectory(root.resolve(".tmp-x"));
    Files.createDirectory(root.resolve("not a container id!"));
    Files.write(root.resolve("file"), new byte[0]);
    assertEquals(List.of(ALICE, ContainerId.of("zed")), d.list());
    assertTrue(d.hasAny());
    assertTrue(d.delete(ALICE));
    assertFalse(d.delete(ALICE));
    assertEquals(List.of(ContainerId.of("zed")), d.list());
    assertFalse(Files.exists(d.directory(ALICE)));
    assertTrue(d.delete(ContainerId.of("zed")));
    assertFalse(d.hasAny());
  }

  @Test
  void filesOfAContainerAreReadStrictly() throws Exception {
    ContainerDirectory d = directory(ContainerDirectory.Disposal.DELETE);
    assertThrows(ContainerNotFoundException.class, () -> d.readCounter(ALICE));
    d.create(ALICE, FramedFile.seal("NGC4JTSC", 1, new byte[] {1}), Map.of());
    Files.delete(d.attemptsFile(ALICE));
    ContainerCorruptedException missing = assertThrows(ContainerCorruptedException.class, () -> d.readCounter(ALICE));
    assertTrue(missing.detail().contains("missing"), missing.detail());
    assertFalse(Files.exists(d.attemptsFile(ALICE)), "a missing counter is never recreated");
    Files.write(d.attemptsFile(ALICE), new byte[AttemptCounter.MAX_FILE_LENGTH + 1]);
    assertThrows(ContainerCorruptedException.class, () -> d.readCounter(ALICE));
    d.writeCounter(new AttemptCounter(ALICE, 1, 0, null));
    assertEquals(1, d.readCounter(ALICE).failures());

    ContainerId bob = ContainerId.of("bob");
    ContainerCorruptedException foreign = assertThrows(ContainerCorruptedException.class,
        () -> d.readRecord(ALICE, 1024, (file, data) -> bob, r -> r));
    assertTrue(foreign.detail().contains("belongs to container bob"), foreign.detail());
    assertEquals(ALICE, d.readRecord(ALICE, 1024, (file, data) -> ALICE, r -> r));

    assertTrue(d.delete(ALICE));
    assertThrows(ContainerNotFoundException.class, () -> d.writeCounter(AttemptCounter.fresh(ALICE)));
    assertThrows(ContainerNotFoundException.class, () -> d.writeRecord(ALICE, new byte[1]));
  }

  @Test
  void overwriteDisposalZeroesReplacedRecordsAndDeletedContainers() throws Exception {
    ContainerDirectory d = directory(ContainerDirectory.Disposal.OVERWRITE);
    d.create(ALICE, new byte[] {1, 1, 1}, Map.of());
    Path firstWitness = root.resolve("first");
    Files.createLink(firstWitness, d.containerFile(ALICE));
    d.writeRecord(ALICE, new byte[] {2, 2});
    assertArrayEquals(new byte[3], Files.readAllBytes(firstWitness), "the replaced record was overwritten");
    Path secondWitness = root.resolve("second");
    Files.createLink(secondWitness, d.containerFile(ALICE));
    assertTrue(d.delete(ALICE));
    assertArrayEquals(new byte[2], Files.readAllBytes(secondWitness), "the deleted record was overwritten");

    ContainerDirectory plain = directory(ContainerDirectory.Disposal.DELETE);
    plain.create(ALICE, new byte[] {3, 3}, Map.of());
    Path thirdWitness = root.resolve("third");
    Files.createLink(thirdWitness, plain.containerFile(ALICE));
    plain.writeRecord(ALICE, new byte[] {4});
    assertArrayEquals(new byte[] {3, 3}, Files.readAllBytes(thirdWitness), "DELETE only unlinks");
  }

  @Test
  void leftoversOfInterruptedOperationsAreRemovedWhenOldEnough() throws Exception {
    ContainerDirectory d = directory(ContainerDirectory.Disposal.OVERWRITE);
    d.create(ALICE, new byte[] {1}, Map.of());
    Path grave = root.resolve(OwnerOnlyFiles.GRAVE_PREFIX + "old-1-00");
    Path oldTemp = root.resolve(OwnerOnlyFiles.TEMP_PREFIX + "old-2-00");
    Path freshTemp = root.resolve(OwnerOnlyFiles.TEMP_PREFIX + "new-3-00");
    Path oldTempFile = d.directory(ALICE).resolve(OwnerOnlyFiles.TEMP_PREFIX + "container.ngc-00");
    Path replaced = d.directory(ALICE).resolve(OwnerOnlyFiles.OLD_PREFIX + "container.ngc-00");
    for (Path dir : List.of(grave, oldTemp, freshTemp)) {
      Files.createDirectory(dir);
      Files.write(dir.resolve("container.ngc"), new byte[] {1});
    }
    Files.write(oldTempFile, new byte[] {1});
    Files.write(replaced, new byte[] {1});
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Files.setLastModifiedTime(oldTemp, hourAgo);
    Files.setLastModifiedTime(oldTempFile, hourAgo);
    assertEquals(List.of(ALICE), d.list());

    d.removeLeftovers();
    assertFalse(Files.exists(grave));
    assertFalse(Files.exists(oldTemp));
    assertFalse(Files.exists(oldTempFile));
    assertFalse(Files.exists(replaced));
    assertTrue(Files.exists(freshTemp), "a young temporary directory may belong to a running creation");
    assertEquals(List.of(ALICE), d.list());
  }

  private static List<Path> dotEntries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> String.valueOf(p.getFileName()).startsWith(".")).toList();
    }
  }
}
