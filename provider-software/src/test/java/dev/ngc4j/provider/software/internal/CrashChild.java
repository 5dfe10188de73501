package dev.ngc4j.provider.software.internal;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GesturePurpose;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.Map;

/**
 * The process {@link CrashTest} kills: changes a container's PIN back and forth, or creates and deletes containers,
 * forever, printing one line after each completed operation. Run as
 * {@code CrashChild <dataDirectory> change-pin <currentPin> <otherPin>} or
 * {@code CrashChild <dataDirectory> create <pin> <firstIndex>}.
 *
 * <p>Thread safety: a program entry point; not for use as an object.
 *
 * @since 0.1.0
 */
public final class CrashChild {
  static final ContainerId PIN_CONTAINER = ContainerId.of("crash");
  static final UserPrincipal USER = UserPrincipal.of("crash@contoso.com");

  private CrashChild() {}

  /**
   * Runs until killed.
   *
   * @param args the data directory, the mode and its arguments
   * @throws Exception if an operation fails (the parent then sees the child stop reporting)
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path data = Path.of(args[0]);
    SoftwareCredentialProvider provider = SoftwareCredentialProvider.builder().argon2(1024, 1, 1).build();
    try (ProviderSession session = provider.open(new ProviderContext(data, Clock.systemUTC(), Map.of()))) {
      out.println("ready");
      if ("change-pin".equals(args[1])) {
        changePinForever(session.containers().open(PIN_CONTAINER), args[2].toCharArray(), args[3].toCharArray(), out);
      } else {
        createForever(session, args[2].toCharArray(), Integer.parseInt(args[3]), out);
      }
    }
  }

  private static void changePinForever(KeyContainer container, char[] a, char[] b, PrintStream out) throws Exception {
    char[] current = a;
    char[] next = b;
    for (long n = 1; ; n++) {
      char[] from = current;
      char[] to = next;
      container.changePin(request -> Pin.of(request.purpose() == GesturePurpose.CHANGE ? to : from));
      current = to;
      next = from;
      out.println("changed " + n + " " + new String(current));
    }
  }

  private static void createForever(ProviderSession session, char[] pin, int first, PrintStream out) throws Exception {
    KeyContainerStore store = session.containers();
    // One key pair for every container: without key generation in the loop, the process spends most of its time
    // writing files, which is where a kill must land to test that creation is all or nothing.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    for (int i = first; ; i++) {
      ContainerId id = ContainerId.of(String.format("c-%05d", i));
      store.create(new ContainerSpec(id, USER, ProtectorSpec.pin(), PinPolicy.defaults()),
          new SoftwarePooledKey(SoftwareSession.PROVIDER_ID, pair), request -> Pin.of(pin));
      if (i - first >= 2) {
        store.delete(ContainerId.of(String.format("c-%05d", i - 2)));
      }
      out.println("created " + id);
    }
  }
}
