package dev.ngc4j.benchmarks;

import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.Pin;
import dev.ngc4j.api.PinPolicy;
import dev.ngc4j.api.UserPrincipal;
import dev.ngc4j.provider.software.SoftwareCredentialProvider;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.ProtectorSpec;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A session of the real software provider (default settings: default Argon2id parameters and attempt limit) in a
 * fresh temporary directory, deleted again on {@link #close()}. Not thread-safe; one per benchmark state.
 */
final class SoftwareFixture implements AutoCloseable {
  static final UserPrincipal USER = UserPrincipal.of("bench@contoso.example");

  private final Path directory;
  private final ProviderSession session;

  private SoftwareFixture(Path directory, ProviderSession session) {
    this.directory = directory;
    this.session = session;
  }

  static SoftwareFixture open() throws IOException, NgcException {
    Path dir = Files.createTempDirectory("ngc4j-bench-");
    try {
      ProviderSession session =
          new SoftwareCredentialProvider().open(new ProviderContext(dir, Clock.systemUTC(), Map.of()));
      return new SoftwareFixture(dir, session);
    } catch (NgcException | RuntimeException e) {
      deleteRecursively(dir);
      throw e;
    }
  }

  ProviderSession session() {
    return session;
  }

  /** Creates a PIN-protected container from a freshly generated key, as provisioning does. */
  KeyContainer newContainer(String name, GestureSource gestures) throws NgcException {
    try (PooledKey key = session.keySource().generate()) {
      return session.containers().create(
          new ContainerSpec(ContainerId.of(name), USER, ProtectorSpec.pin(), PinPolicy.defaults()), key, gestures);
    }
  }

  /** A gesture source that answers every prompt with a copy of {@code pin}; the caller keeps the array. */
  static GestureSource pin(char[] pin) {
    return request -> Pin.of(pin);
  }

  @Override
  public void close() throws IOException {
    try {
      session.close();
    } finally {
      deleteRecursively(directory);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
