package dev.ngc4j.server.internal.store;

import dev.ngc4j.server.internal.store.DirectoryStore.Device;
import dev.ngc4j.server.internal.store.DirectoryStore.RegisteredKey;
import dev.ngc4j.server.internal.store.DirectoryStore.Tenant;
import dev.ngc4j.server.internal.store.DirectoryStore.User;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The process {@link StoreCrashTest} kills: opens the embedded store, prints {@code ready}, then joins devices and
 * registers keys forever (every third key replaces the previous key of its device), printing one line after each
 * call returned, so each printed line names a committed change:
 *
 * <ul>
 *   <li>{@code device <deviceId> <thumbprint>} after {@code createDevice};
 *   <li>{@code key <deviceId> <kid> <keyIdentifier>} after {@code registerKey}.
 * </ul>
 *
 * Run as {@code StoreCrashChild <dataDirectory> <tenantDomain> <upn>}; the tenant and user must exist.
 *
 * <p>Thread safety: a program entry point; not for use as an object.
 */
public final class StoreCrashChild {
  private StoreCrashChild() {}

  /**
   * Runs until killed.
   *
   * @param args the data directory, the tenant's domain and the user's UPN
   * @throws Exception if a call fails (the parent then sees the child stop reporting)
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (JdbcDirectoryStore store = JdbcDirectoryStore.openEmbedded(Path.of(args[0]))) {
      Tenant tenant = store.tenantByDomain(args[1]).orElseThrow();
      User user = store.userByUpn(args[2]).orElseThrow();
      out.println("ready");
      Device previous = null;
      for (long n = 0; ; n++) {
        if (previous != null && n % 3 == 0) {
          RegisteredKey key = StoreFixtures.key(user, previous);
          store.registerKey(key, "crash-child");
          out.println("key " + previous.deviceId() + " " + key.kid() + " " + key.keyIdentifier());
          continue;
        }
        Device device = StoreFixtures.device(tenant, user, "device-" + UUID.randomUUID());
        store.createDevice(device, "crash-child");
        out.println("device " + device.deviceId() + " " + device.certificateThumbprint());
        RegisteredKey key = StoreFixtures.key(user, device);
        store.registerKey(key, "crash-child");
        out.println("key " + device.deviceId() + " " + key.kid() + " " + key.keyIdentifier());
        previous = device;
      }
    }
  }
}
