package dev.ngc4j.provider.pkcs11.internal;

import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED;

import dev.ngc4j.api.ErrorCode;
import dev.ngc4j.api.NgcException;
import dev.ngc4j.api.ProviderUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;
import org.xipki.pkcs11.wrapper.TokenInfo;

/**
 * One loaded PKCS#11 module per library path in the JVM, shared by every provider session: C_Initialize at the first
 * {@link #acquire}, C_Finalize when the last {@link Ref} closes (a module that someone else in the process
 * initialised first is used and left initialised). PKCS#11 login state is per application and token, so the tokens
 * of a module are shared too ({@link SharedToken}, reference-counted per serial number).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class Pkcs11Modules {
  private static final Logger log = LoggerFactory.getLogger(Pkcs11Modules.class);
  private static final Map<Path, Loaded> MODULES = new HashMap<>();
  private static final Object LOCK = new Object();

  private Pkcs11Modules() {}

  private static final class Loaded {
    final Path path;
    final PKCS11Module module;
    final boolean initializedHere;
    final Map<String, SharedToken> tokens = new HashMap<>();
    int refs;

    Loaded(Path path, PKCS11Module module, boolean initializedHere) {
      this.path = path;
      this.module = module;
      this.initializedHere = initializedHere;
    }
  }

  /** A reference to a loaded module; close it once. */
  public static final class Ref implements AutoCloseable {
    private final Loaded loaded;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Ref(Loaded loaded) {
      this.loaded = loaded;
    }

    /**
     * Returns the module.
     *
     * @return the wrapper's module
     */
    public PKCS11Module module() {
      if (closed.get()) {
        throw new IllegalStateException("this PKCS#11 module reference is closed");
      }
      return loaded.module;
    }

    /**
     * Returns the library path.
     *
     * @return the absolute path
     */
    public Path path() {
      return loaded.path;
    }

    /**
     * Opens (or shares) the token the settings select.
     *
     * @param settings the selector and the token's settings
     * @return a reference to the shared token; close it once
     * @throws NgcException {@code TOKEN_NOT_FOUND} listing the tokens present
     */
    public SharedToken.Ref token(Pkcs11Settings settings) throws NgcException {
      Slot slot = findSlot(settings);
      String serial;
      try {
        serial = slot.getToken().getTokenInfo().getSerialNumber().trim();
      } catch (TokenException e) {
        throw Ckr.removed("in slot " + slot.getSlotID(), "reading its serial number", e);
      }
      synchronized (LOCK) {
        SharedToken token = loaded.tokens.get(serial);
        if (token == null || token.isClosed()) {
          token = new SharedToken(this, slot, settings, t -> forget(loaded, t));
          loaded.tokens.put(serial, token);
        }
        return token.newRef();
      }
    }

    private Slot findSlot(Pkcs11Settings settings) throws NgcException {
      Slot[] slots;
      try {
        slots = module().getSlotList(true);
      } catch (TokenException e) {
        throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The PKCS#11 library " + loaded.path + " cannot list its slots (" + Ckr.name(e) + ")",
            "check the library's configuration (for SoftHSM2: SOFTHSM2_CONF and its token directory)", e);
      }
      List<String> present = new ArrayList<>();
      for (Slot slot : slots) {
        TokenInfo info;
        try {
          info = slot.getToken().getTokenInfo();
        } catch (TokenException e) {
          log.debug("slot {} has no readable token: {}", slot.getSlotID(), e.toString());
          continue;
        }
        if (!info.isTokenInitialized()) {
          continue;
        }
        String label = info.getLabel().trim();
        String serial = info.getSerialNumber().trim();
        present.add("label '" + label + "' serial " + serial + " slot " + slot.getSlotID());
        boolean match = settings.tokenLabel().map(label::equals).orElse(false)
            || settings.tokenSerial().map(serial::equalsIgnoreCase).orElse(false)
            || (settings.slot().isPresent() && settings.slot().getAsLong() == slot.getSlotID());
        if (match) {
          return slot;
        }
      }
      throw new NgcException(ErrorCode.TOKEN_NOT_FOUND,
          "No initialised token matches " + settings.selector() + " in " + loaded.path + "; tokens present: "
              + (present.isEmpty() ? "none" : String.join(", ", present)),
          ErrorCode.TOKEN_NOT_FOUND.remedy(), null);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(loaded);
      }
    }
  }

  /**
   * Loads and initialises the module at {@code library}, or shares the one already loaded.
   *
   * @param library the library path
   * @return a reference; close it once
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} naming the path and what to do
   */
  public static Ref acquire(String library) throws NgcException {
    Path path = Path.of(library).toAbsolutePath().normalize();
    synchronized (LOCK) {
      Loaded loaded = MODULES.get(path);
      if (loaded == null) {
        loaded = load(path);
        MODULES.put(path, loaded);
      }
      loaded.refs++;
      return new Ref(loaded);
    }
  }

  /**
   * Returns the remedy for a library that is missing or cannot be loaded.
   *
   * @param path the library
   * @return what to do
   */
  public static String libraryRemedy(Path path) {
    return "install the token's PKCS#11 module (for SoftHSM2: apt-get install softhsm2) or set ngc4j.pkcs11.library"
        + " (the setting 'library') to its path; " + path + " was tried";
  }

  private static Loaded load(Path path) throws NgcException {
    if (!Files.isRegularFile(path)) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The PKCS#11 library " + path + " does not exist", libraryRemedy(path), null);
    }
    WrapperLog.install();
    PKCS11Module module;
    try {
      module = PKCS11Module.getInstance(path.toString());
    } catch (IOException | RuntimeException | LinkageError e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The PKCS#11 library " + path + " cannot be loaded: " + e,
          "check that it is a PKCS#11 module for this platform; the wrapper copies its own JNI library to"
              + " java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") and loads it from there, which fails"
              + " on a noexec mount: set -Djava.io.tmpdir to a directory that allows execution. "
              + libraryRemedy(path), e);
    }
    boolean here = true;
    try {
      module.initialize();
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
            "The PKCS#11 library " + path + " failed C_Initialize (" + Ckr.name(e) + ")",
            "check the library's configuration (for SoftHSM2: SOFTHSM2_CONF and its token directory)", e);
      }
      here = false;
    } catch (RuntimeException | LinkageError e) {
      throw new ProviderUnavailableException(ErrorCode.PROVIDER_UNAVAILABLE,
          "The PKCS#11 library " + path + " failed C_Initialize: " + e, libraryRemedy(path), e);
    }
    log.debug("PKCS#11 module {} loaded", path);
    return new Loaded(path, module, here);
  }

  private static void release(Loaded loaded) {
    List<SharedToken> orphans = new ArrayList<>();
    synchronized (LOCK) {
      loaded.refs--;
      if (loaded.refs > 0) {
        return;
      }
      MODULES.remove(loaded.path);
      orphans.addAll(loaded.tokens.values());
      loaded.tokens.clear();
    }
    for (SharedToken t : orphans) {
      t.shutdown();
    }
    if (loaded.initializedHere) {
      try {
        loaded.module.finalize(null);
      } catch (PKCS11Exception | RuntimeException e) {
        log.debug("C_Finalize of {} failed: {}", loaded.path, e.toString());
      }
    }
    log.debug("PKCS#11 module {} released", loaded.path);
  }

  private static void forget(Loaded loaded, SharedToken token) {
    synchronized (LOCK) {
      loaded.tokens.values().remove(token);
    }
  }

  /**
   * Returns the module loaded for a path, if any (for tests).
   *
   * @param library the path
   * @return the module or {@code null}
   */
  static @Nullable PKCS11Module loadedModule(String library) {
    synchronized (LOCK) {
      Loaded l = MODULES.get(Path.of(library).toAbsolutePath().normalize());
      return l == null ? null : l.module;
    }
  }
}
