package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKU_SO;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.testkit.softhsm.SoftHsm;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Test-only: fresh SoftHSM2 tokens made in this JVM (C_InitToken on the free slot, then C_InitPIN), through the
 * provider's own module registry so that the provider shares the initialised module. The harness writes
 * {@code SOFTHSM2_CONF}'s file before the library is first loaded; the module stays loaded for the JVM's life.
 *
 * <p>Thread safety: safe for concurrent use (token creation is serialised).
 */
public final class TestTokens {
  /** The SO PIN of every test token. */
  public static final String SO_PIN = "87654321";
  /** The harness (its configuration is written before the library loads). */
  public static final SoftHsm SOFTHSM = startClean();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Pkcs11Modules.@Nullable Ref module;

  private TestTokens() {}

  /** Writes the configuration, removes tokens of earlier runs, and removes this run's tokens when the JVM ends. */
  private static SoftHsm startClean() {
    SoftHsm hsm = SoftHsm.fromEnvironment();
    hsm.cleanup();
    Runtime.getRuntime().addShutdownHook(new Thread(hsm::cleanup, "softhsm-test-cleanup"));
    return hsm;
  }

  /** A created token: its label and serial. */
  public record Token(String label, String serial) {}

  /**
   * Returns the module reference the tests keep (loading the library on first use).
   *
   * @return the module
   * @throws NgcException if it cannot be loaded
   */
  public static synchronized Pkcs11Modules.Ref module() throws NgcException {
    Pkcs11Modules.Ref m = module;
    if (m == null) {
      m = Pkcs11Modules.acquire(SoftHsm.LIBRARY.toString());
      module = m;
    }
    return m;
  }

  /**
   * Creates a token with a user PIN in this JVM.
   *
   * @param prefix the label's start
   * @param userPin the user PIN
   * @return the token
   * @throws Exception if SoftHSM2 refuses
   */
  public static synchronized Token create(String prefix, String userPin) throws Exception {
    Pkcs11Modules.Ref m = module();
    String label = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    Slot free = null;
    for (Slot s : m.module().getSlotList(false)) {
      try {
        if (!s.getToken().getTokenInfo().isTokenInitialized()) {
          free = s;
          break;
        }
      } catch (TokenException e) {
        // a removed token's slot: skip it
      }
    }
    if (free == null) {
      throw new IllegalStateException("SoftHSM2 offers no free slot");
    }
    String padded = String.format("%-32s", label);
    m.module().getPKCS11Module().C_InitToken(free.getSlotID(), SO_PIN.toCharArray(), padded.toCharArray(), true);
    Slot slot = slot(label);
    Session session = slot.getToken().openSession(true);
    try {
      session.login(CKU_SO, SO_PIN.toCharArray());
      session.initPIN(userPin.toCharArray());
      session.logout();
    } finally {
      closeQuietly(session);
    }
    return new Token(label, slot.getToken().getTokenInfo().getSerialNumber().trim());
  }

  /**
   * Opens a raw session on the token, never logged in, to read attributes as another application would.
   *
   * @param token the token
   * @return a read-only session; the caller closes it
   * @throws Exception if the token is not present
   */
  public static Session rawSession(Token token) throws Exception {
    return slot(token.label()).getToken().openSession(false);
  }

  private static Slot slot(String label) throws Exception {
    for (Slot s : module().module().getSlotList(true)) {
      try {
        if (s.getToken().getTokenInfo().getLabel().trim().equals(label)) {
          return s;
        }
      } catch (TokenException e) {
        // a removed token's slot (another test removed it): skip it
      }
    }
    throw new IllegalStateException("token " + label + " not found");
  }

  private static void closeQuietly(Session s) {
    try {
      s.closeSession();
    } catch (TokenException e) {
      // already closed
    }
  }
}
