package dev.ngc4j.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A pooled key is bound at most once, and a close during a binding waits for its end. */
class PooledKeyStateTest {
  @Test
  void aKeyIsBoundOnce() {
    PooledKeyState s = new PooledKeyState("pooled key");
    s.checkBindable();
    s.claim();
    IllegalStateException busy = assertThrows(IllegalStateException.class, s::claim);
    assertTrue(String.valueOf(busy.getMessage()).contains("being bound"), busy::getMessage);
    s.bound();
    assertThrows(IllegalStateException.class, s::checkBindable);
    assertFalse(s.close(), "the secrets went at bound()");
    assertEquals("BOUND", s.toString());
  }

  @Test
  void aFailedBindingReleasesTheKeyForAnotherTry() {
    PooledKeyState s = new PooledKeyState("pooled key");
    s.claim();
    assertFalse(s.release());
    s.checkBindable();
    assertTrue(s.close(), "an unbound key's secrets go at close");
    IllegalStateException closed = assertThrows(IllegalStateException.class, s::claim);
    assertTrue(String.valueOf(closed.getMessage()).contains("was closed"), closed::getMessage);
  }

  @Test
  void aCloseDuringTheBindingTakesEffectWhenTheBindingFails() {
    PooledKeyState s = new PooledKeyState("pooled TPM key");
    s.claim();
    assertFalse(s.close(), "the binding still uses the secrets");
    assertTrue(s.release(), "now they go");
    assertEquals("CLOSED", s.toString());
  }
}
