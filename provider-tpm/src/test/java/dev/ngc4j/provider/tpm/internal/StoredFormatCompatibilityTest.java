package dev.ngc4j.provider.tpm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.support.AttemptCounter;
import dev.ngc4j.provider.support.ByteReader;
import dev.ngc4j.provider.support.ByteWriter;
import dev.ngc4j.provider.support.DeviceKeyRole;
import dev.ngc4j.provider.support.FramedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Files written before the storage code moved to provider-support (src/test/resources/format-v1, see its README)
 * decode with the current code and re-encode to exactly the same bytes: the move changed no byte of the formats.
 */
class StoredFormatCompatibilityTest {
  private static final ContainerId ID = ContainerId.of("alice-1");

  static byte[] resource(String name) throws IOException {
    try (InputStream in = StoredFormatCompatibilityTest.class.getResourceAsStream("/format-v1/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  @Test
  void theContainerRecordReencodesToTheSameBytes() throws Exception {
    byte[] data = resource("containers/alice-1/container.ngc");
    ContainerRecord record = ContainerRecord.decode(Path.of("container.ngc"), data);
    assertEquals(ID, record.id);
    assertEquals(UserPrincipal.of("alice@contoso.com"), record.user);
    assertEquals(PinPolicy.defaults().toString(), record.policy.toString());
    assertEquals(List.of(GestureKind.PIN, GestureKind.BIOMETRIC),
        record.protectors.all().stream().map(ContainerRecord.Protector::kind).toList());
    TpmKeys.rsaPublicKey(record.keyPublic()); // the user key's public area still checks
    assertArrayEquals(data, record.encode());
  }

  @Test
  void theAttemptCounterReencodesToTheSameBytes() throws Exception {
    byte[] data = resource("containers/alice-1/attempts.ngc");
    AttemptCounter counter = AttemptCounter.decode(Path.of("attempts.ngc"), data, TpmStore.ATTEMPTS_MAGIC, ID);
    assertEquals(new AttemptCounter(ID, 1, 0, null), counter);
    assertArrayEquals(data, counter.encode(TpmStore.ATTEMPTS_MAGIC));
  }

  @Test
  void theDeviceKeyFilesParseAsTheProviderReadsThemAndReencodeToTheSameBytes() throws Exception {
    for (DeviceKeyRole role : DeviceKeyRole.values()) {
      byte[] data = resource(role.fileName());
      ByteReader r = new ByteReader(
          FramedFile.open(Path.of(role.fileName()), data, TpmDeviceKeys.MAGIC, TpmDeviceKeys.VERSION).body(),
          ContainerRecord.MAX_BYTES);
      int code = r.u8();
      byte[] srkName = r.bytes();
      byte[] publicArea = r.bytes();
      byte[] privateArea = r.bytes();
      r.expectEnd();
      assertEquals(role.code(), code);
      TpmDeviceKeys.rsaPublicKey(role, publicArea); // the role's template still checks
      byte[] body = new ByteWriter(ContainerRecord.MAX_BYTES).u8(code).bytes(srkName).bytes(publicArea)
          .bytes(privateArea).toByteArray();
      assertArrayEquals(data, FramedFile.seal(TpmDeviceKeys.MAGIC, TpmDeviceKeys.VERSION, body), role.name());
    }
  }
}
