package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only creation, atomic replacement and creation, overwriting before removal, bounded reads. */
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  @Test
  void everythingIsCreatedOwnerOnly() throws Exception {
    Path nested = dir.resolve("a").resolve("b");
    OwnerOnlyFiles.createDirectories(nested);
    OwnerOnlyFiles.createDirectories(nested);
    OwnerOnlyFiles.createDirectory(nested.resolve("c"));
    OwnerOnlyFiles.writeNew(nested.resolve("f"), new byte[] {1});
    OwnerOnlyFiles.writeAtomically(nested.resolve("g"), new byte[] {2});
    OwnerOnlyFiles.createAtomically(nested.resolve("h"), new byte[] {3});
    if (OwnerOnlyFiles.isPosix(dir)) {
      for (Path p : List.of(dir.resolve("a"), nested, nested.resolve("c"))) {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p::toString);
      }
      for (Path p : List.of(nested.resolve("f"), nested.resolve("g"), nested.resolve("h"))) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p::toString);
      }
      assertFalse(OwnerOnlyFiles.isAccessibleToOthers(nested));
      Files.setPosixFilePermissions(nested, PosixFilePermissions.fromString("rwxr-x---"));
      assertTrue(OwnerOnlyFiles.isAccessibleToOthers(nested));
    }
    assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.writeNew(nested.resolve("f"), new byte[0]));
    assertEquals(List.of(), temporaries(nested));
  }

  @Test
  void createAtomicallyNeverReplacesAnExistingFile() throws Exception {
    Path f = dir.resolve("x.ngc");
    assertTrue(OwnerOnlyFiles.createAtomically(f, new byte[] {1}));
    assertFalse(OwnerOnlyFiles.createAtomically(f, new byte[] {2}));
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(f));
    assertEquals(List.of(), temporaries(dir));
  }

  @Test
  void writeAtomicallyReplacesTheWholeFile() throws Exception {
    Path f = dir.resolve("x.ngc");
    OwnerOnlyFiles.writeAtomically(f, new byte[] {1, 2, 3});
    OwnerOnlyFiles.writeAtomically(f, new byte[] {4});
    assertArrayEquals(new byte[] {4}, Files.readAllBytes(f));
    assertEquals(List.of(), temporaries(dir));
  }

  @Test
  void replaceAndShredOverwritesTheOldContentInPlace() throws Exception {
    Path f = dir.resolve("container.ngc");
    OwnerOnlyFiles.writeAtomically(f, new byte[] {1, 2, 3, 4});
    Path witness = dir.resolve("witness"); // another name for the old inode, as a copy-less attacker would hold
    Files.createLink(witness, f);
    OwnerOnlyFiles.replaceAndShred(f, new byte[] {9});
    assertArrayEquals(new byte[] {9}, Files.readAllBytes(f));
    assertArrayEquals(new byte[4], Files.readAllBytes(witness), "the old blob's bytes are zeros now");
    Files.delete(witness);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(f), s.toList(), "no .old- or .tmp- file remains");
    }
  }

  @Test
  void shredTreeOverwritesEveryFileAndRemovesTheTree() throws Exception {
    Path tree = dir.resolve(".del-x");
    OwnerOnlyFiles.createDirectories(tree.resolve("sub"));
    Path file = tree.resolve("sub").resolve("blob");
    Files.write(file, new byte[] {5, 5, 5});
    Path witness = dir.resolve("witness");
    Files.createLink(witness, file);
    OwnerOnlyFiles.shredTree(tree);
    assertFalse(Files.exists(tree));
    assertArrayEquals(new byte[3], Files.readAllBytes(witness));
    OwnerOnlyFiles.shredTree(tree); // missing is fine
  }

  @Test
  void shredLeftoversRemovesOnlyOldFiles() throws Exception {
    Files.write(dir.resolve(OwnerOnlyFiles.OLD_PREFIX + "container.ngc-00"), new byte[] {1});
    Files.write(dir.resolve("container.ngc"), new byte[] {2});
    OwnerOnlyFiles.shredLeftovers(dir);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("container.ngc")), s.toList());
    }
  }

  @Test
  void readsAreBoundedAndNeverFollowLinks() throws Exception {
    Path f = dir.resolve("f");
    Files.write(f, new byte[100]);
    assertEquals(100, OwnerOnlyFiles.read(f, 100).length);
    assertThrows(OwnerOnlyFiles.FileTooLargeException.class, () -> OwnerOnlyFiles.read(f, 99));
    assertEquals(Optional.empty(), OwnerOnlyFiles.readIfExists(dir.resolve("missing"), 10));
    Path link = dir.resolve("link");
    Files.createSymbolicLink(link, f);
    assertThrows(IOException.class, () -> OwnerOnlyFiles.read(link, 100));
  }

  @Test
  void deleteTreeAndDeleteRemoveWithoutFollowingLinks() throws Exception {
    Path outside = dir.resolve("outside");
    Files.write(outside, new byte[] {1});
    Path tree = dir.resolve("tree");
    OwnerOnlyFiles.createDirectories(tree);
    Files.createSymbolicLink(tree.resolve("link"), outside);
    OwnerOnlyFiles.deleteTree(tree);
    assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(outside));
    OwnerOnlyFiles.delete(outside);
    OwnerOnlyFiles.delete(outside);
    assertFalse(Files.exists(outside));
  }

  private static List<Path> temporaries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> String.valueOf(p.getFileName()).startsWith(".")).toList();
    }
  }
}
