package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ngc4j.api.Capabilities;
import dev.ngc4j.api.ContainerId;
import dev.ngc4j.api.GestureKind;
import dev.ngc4j.api.SignatureAlgorithm;
import dev.ngc4j.spi.ContainerSpec;
import dev.ngc4j.spi.GestureSource;
import dev.ngc4j.spi.KeyContainer;
import dev.ngc4j.spi.KeyContainerStore;
import dev.ngc4j.spi.PooledKey;
import dev.ngc4j.spi.PooledKeySource;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Facets are handed out only while the session is open, and the session's resources are released once. */
class ProviderSessionBaseTest {
  private static final Capabilities CAPABILITIES = new Capabilities(
      false, Set.of(), EnumSet.of(GestureKind.PIN), EnumSet.of(SignatureAlgorithm.RSA_PKCS1_SHA256));

  static final class TestSession extends ProviderSessionBase {
    final AtomicInteger closes = new AtomicInteger();
    final KeyContainerStore store = new KeyContainerStore() {
      @Override
      public KeyContainer create(ContainerSpec spec, PooledKey key, GestureSource gestures) {
        throw new UnsupportedOperationException();
      }

      @Override
      public KeyContainer open(ContainerId id) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<ContainerId> list() {
        return List.of();
      }

      @Override
      public boolean delete(ContainerId id) {
        return false;
      }
    };
    final PooledKeySource keySource = () -> {
      throw new UnsupportedOperationException();
    };

    TestSession(boolean withFacets) {
      super("test", CAPABILITIES, "test provider");
      if (withFacets) {
        facets(store, keySource, null);
      }
    }

    @Override
    protected void closeResources() {
      closes.incrementAndGet();
    }
  }

  @Test
  void facetsAreRefusedAfterCloseAndResourcesAreReleasedOnce() {
    TestSession s = new TestSession(true);
    assertEquals("test", s.providerId());
    assertSame(CAPABILITIES, s.capabilities());
    assertSame(s.store, s.containers());
    assertSame(s.keySource, s.keySource());
    assertEquals(Optional.empty(), s.deviceKeys());
    assertThrows(IllegalStateException.class, () -> s.facets(s.store, s.keySource, null), "only once");
    assertTrue(s.isOpen());
    s.close();
    s.close();
    assertEquals(1, s.closes.get());
    assertFalse(s.isOpen());
    IllegalStateException e = assertThrows(IllegalStateException.class, s::containers);
    assertEquals("this test provider session is closed", e.getMessage());
    assertThrows(IllegalStateException.class, s::keySource);
    assertThrows(IllegalStateException.class, s::deviceKeys);
    assertThrows(IllegalStateException.class, s::ensureOpen);
  }

  @Test
  void aSessionWithoutFacetsFailsLoudly() {
    TestSession s = new TestSession(false);
    IllegalStateException e = assertThrows(IllegalStateException.class, s::containers);
    assertTrue(String.valueOf(e.getMessage()).contains("did not hand over its facets"), e::getMessage);
  }
}
