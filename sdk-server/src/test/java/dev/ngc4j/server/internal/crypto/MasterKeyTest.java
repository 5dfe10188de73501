package dev.ngc4j.server.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MasterKeyTest {
  @TempDir Path dir;

  @Test
  void theKeyFileIsCreatedOwnerOnlyAndReadBackTheSame() throws Exception {
    byte[] sealed;
    try (MasterKey key = MasterKey.loadOrCreate(dir.resolve("data"))) {
      sealed = key.seal("name", "secret".getBytes(StandardCharsets.UTF_8));
    }
    Path file = dir.resolve("data").resolve(MasterKey.FILE_NAME);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
    assertEquals(MasterKey.KEY_BYTES, Files.size(file));
    try (MasterKey again = MasterKey.loadOrCreate(dir.resolve("data"))) {
      assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), again.open("name", sealed));
    }
    try (var files = Files.list(dir.resolve("data"))) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void aSecretDoesNotOpenUnderAnotherNameOrKey() throws Exception {
    try (MasterKey key = MasterKey.ephemeral(); MasterKey other = MasterKey.ephemeral()) {
      byte[] sealed = key.seal("a", new byte[] {1, 2, 3});
      assertEquals(ErrorCode.STORAGE_FAILURE, assertThrows(NgcException.class, () -> key.open("b", sealed)).code());
      assertThrows(NgcException.class, () -> other.open("a", sealed));
      sealed[sealed.length - 1] ^= 1;
      assertThrows(NgcException.class, () -> key.open("a", sealed));
    }
  }

  @Test
  void aKeyFileReadableByOthersIsRefused() throws Exception {
    MasterKey.loadOrCreate(dir).close();
    Files.setPosixFilePermissions(dir.resolve(MasterKey.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
    NgcException e = assertThrows(NgcException.class, () -> MasterKey.loadOrCreate(dir));
    assertEquals(ErrorCode.STORAGE_FAILURE, e.code());
  }

  @Test
  void aKeyFileOfTheWrongSizeIsRefused() throws Exception {
    Files.write(dir.resolve(MasterKey.FILE_NAME), new byte[5]);
    Files.setPosixFilePermissions(dir.resolve(MasterKey.FILE_NAME), PosixFilePermissions.fromString("rw-------"));
    assertThrows(NgcException.class, () -> MasterKey.loadOrCreate(dir));
  }
}
