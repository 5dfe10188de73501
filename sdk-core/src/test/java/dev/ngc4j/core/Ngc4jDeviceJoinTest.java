package dev.ngc4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.DeviceId;
import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.JoinType;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.UserPrincipal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link Ngc4j} joins the device and guards sign-in, with the real software provider and a recording stand-in
 * for the directory (the real service is exercised end to end in sdk-server's tests).
 */
class Ngc4jDeviceJoinTest {
  private static final UserPrincipal ALICE = UserPrincipal.of("alice@contoso.example");

  @TempDir Path dir;
  final RecordingDirectory directory = new RecordingDirectory();

  Ngc4j.Builder builder() {
    return Ngc4j.builder()
        .dataDirectory(dir)
        .allowSoftwareKeys()
        .providerSetting("argon2.memoryKiB", "1024")
        .providerSetting("argon2.iterations", "1")
        .joinType(JoinType.CLOUD_JOINED)
        .remoteSession(() -> false)
        .directory(directory)
        .tokenSource(user -> dev.ngc4j.api.AccessToken.of("eyJ.t.t", user, Set.of("pwd", "mfa"),
            Instant.now().plus(1, ChronoUnit.HOURS)))
        .keyPool(0, 0);
  }

  @Test
  void aJoinedDeviceKeepsItsIdAcrossRestartsAndStatusShowsIt() throws Exception {
    DeviceId id = new DeviceId(UUID.randomUUID());
    directory.joinAs = id;
    try (Ngc4j ngc = builder().build()) {
      assertEquals(Optional.empty(), ngc.deviceId());
      assertFalse(ngc.status(ALICE).checks().stream()
          .filter(c -> c.name().equals("DeviceRegistered")).findFirst().orElseThrow().passed());
      assertEquals(id, ngc.joinDevice(Ngc4jProvisioningTest.token(ALICE, "pwd")));
    }
    assertTrue(Files.exists(dir.resolve("device-id")));
    try (Ngc4j ngc = builder().build()) {
      assertEquals(Optional.of(id), ngc.deviceId());
      Status st = ngc.status(ALICE);
      assertEquals(Optional.of(id.toString()), st.device().deviceId());
      assertTrue(st.checks().stream().filter(c -> c.name().equals("DeviceRegistered")).findFirst().orElseThrow()
          .passed());
    }
    assertEquals(1, directory.joins);
  }

  @Test
  void aRefusedJoinRecordsNothing() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.joinDevice(Ngc4jProvisioningTest.token(ALICE)));
      assertEquals(ErrorCode.CLOUD_ERROR, e.code());
      assertEquals(Optional.empty(), ngc.deviceId());
    }
    assertFalse(Files.exists(dir.resolve("device-id")));
  }

  @Test
  void signingInWithoutACredentialSaysToProvisionFirst() throws Exception {
    try (Ngc4j ngc = builder().build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.signIn(ALICE, r -> Pin.of("1234".toCharArray())));
      assertEquals(ErrorCode.CONTAINER_NOT_FOUND, e.code());
      assertTrue(e.remedy().contains("provision"), e.remedy());
    }
  }

  @Test
  void signingInWithoutADirectoryIsATypedError() throws Exception {
    try (Ngc4j ngc = Ngc4j.builder().dataDirectory(dir).allowSoftwareKeys().keyPool(0, 0).build()) {
      NgcException e = assertThrows(NgcException.class, () -> ngc.signIn(ALICE, r -> Pin.of("1234".toCharArray())));
      assertEquals(ErrorCode.DEVICE_NOT_JOINED, e.code());
      assertTrue(e.getMessage().contains("No directory"), e.getMessage());
    }
  }
}
