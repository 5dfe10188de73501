package dev.ngc4j.provider.pkcs11;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.support.ConfigValues;
import dev.ngc4j.provider.pkcs11.internal.Pkcs11Modules;
import dev.ngc4j.provider.pkcs11.internal.Pkcs11ProviderSession;
import dev.ngc4j.provider.pkcs11.internal.Pkcs11Settings;
import dev.ngc4j.provider.pkcs11.internal.SharedToken;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProviderContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PKCS#11 credential provider (id {@value #ID}, priority {@value #PRIORITY}): RSA-2048 keys generated and kept
 * on a PKCS#11 token (smart card, HSM, SoftHSM2), opened by the token's user PIN. See the
 * {@linkplain dev.ngc4j.provider.pkcs11 package documentation} for the design.
 *
 * <h2>Configuration</h2>
 *
 * <p>Keys, given to {@link Builder}, in {@link ProviderContext#config()}, or as system properties
 * {@code ngc4j.pkcs11.<key>} (read by the no-argument constructor, which {@link java.util.ServiceLoader} uses):
 *
 * <ul>
 *   <li>{@code library}: the PKCS#11 module; default {@code /usr/lib/softhsm/libsofthsm2.so}.
 *   <li>exactly one of {@code tokenLabel}, {@code tokenSerial} or {@code slot} (the slot id, not a list index).
 *   <li>{@code maxAttempts} (default 5) and {@code lockoutSeconds} (default 60): the provider's own attempt counter
 *       for the token PIN.
 *   <li>{@code poolSize} (default 2): unclaimed key pairs kept on the token, topped up after each login.
 *   <li>{@code callTimeoutSeconds} (default 30) and {@code maxSessions} (default 8).
 * </ul>
 *
 * <p>Thread safety: immutable and safe for concurrent use; the {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class Pkcs11CredentialProvider implements CredentialProvider {
  /** The provider id. */
  public static final String ID = Pkcs11ProviderSession.PROVIDER_ID;
  /** The priority for implicit selection: below the TPM provider (100), above the software provider (10). */
  public static final int PRIORITY = 50;
  /** The prefix of the system properties the no-argument constructor reads. */
  public static final String SYSTEM_PROPERTY_PREFIX = "ngc4j.pkcs11.";

  private final Pkcs11Settings settings;

  /**
   * Creates the provider from the defaults and the system properties {@code ngc4j.pkcs11.<key>}. This is the
   * constructor {@link java.util.ServiceLoader} uses.
   *
   * @throws IllegalArgumentException naming the property, if one has an invalid value
   * @since 0.1.0
   */
  public Pkcs11CredentialProvider() {
    this(Pkcs11Settings.defaults().with(ConfigValues.systemProperties(SYSTEM_PROPERTY_PREFIX)));
  }

  private Pkcs11CredentialProvider(Pkcs11Settings settings) {
    this.settings = settings;
  }

  /**
   * Returns a builder starting from the defaults (system properties are not read).
   *
   * @return a new builder
   * @since 0.1.0
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Checks that the library file exists and loads, and that the configured token is present. Does not log in and
   * makes no change on the token.
   *
   * @return available, or unavailable with the reason and what to do
   */
  @Override
  public ProbeResult probe() {
    Path library = Path.of(settings.library());
    if (!Files.isRegularFile(library)) {
      return ProbeResult.unavailable(Pkcs11ProviderSession.CAPABILITIES,
          "the PKCS#11 library " + library + " does not exist", Pkcs11Modules.libraryRemedy(library));
    }
    if (!settings.hasSelector()) {
      return ProbeResult.unavailable(Pkcs11ProviderSession.CAPABILITIES, "no token is selected",
          "set exactly one of ngc4j.pkcs11.tokenLabel, ngc4j.pkcs11.tokenSerial or ngc4j.pkcs11.slot");
    }
    try (Pkcs11Modules.Ref module = Pkcs11Modules.acquire(settings.library());
        SharedToken.Ref token = module.token(settings)) {
      SharedToken t = token.token();
      return ProbeResult.available(new dev.ngc4j.api.Capabilities(t.hardwareSlot(),
          Pkcs11ProviderSession.CAPABILITIES.attestationFormats(), Pkcs11ProviderSession.CAPABILITIES.gestureKinds(),
          t.algorithms()));
    } catch (NgcException e) {
      return ProbeResult.unavailable(Pkcs11ProviderSession.CAPABILITIES, e.detail(), e.remedy());
    } catch (RuntimeException e) {
      return ProbeResult.unavailable(Pkcs11ProviderSession.CAPABILITIES, "the PKCS#11 token cannot be used: " + e,
          Pkcs11Modules.libraryRemedy(library));
    }
  }

  /**
   * Opens the provider: loads (or shares) the module and finds the token. The context's configuration keys override
   * this provider's settings.
   *
   * @param context the data directory (for the attempt counter), clock and configuration
   * @return an open {@link Pkcs11Session}; close it to release the token
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the library cannot be loaded, {@code TOKEN_NOT_FOUND}
   *     listing the tokens present
   * @throws IllegalArgumentException naming the key, if a configuration value is invalid
   */
  @Override
  public Pkcs11Session open(ProviderContext context) throws NgcException {
    Objects.requireNonNull(context, "context");
    return Pkcs11ProviderSession.open(context, settings.with(context.config()));
  }

  /**
   * Returns the configured library.
   *
   * @return the module path
   * @since 0.1.0
   */
  public String library() {
    return settings.library();
  }

  @Override
  public String toString() {
    return "Pkcs11CredentialProvider[" + settings.library() + ", " + settings.selector() + "]";
  }

  /**
   * Builds a {@link Pkcs11CredentialProvider} with other settings than the defaults.
   *
   * <p>Thread safety: not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, String> config = new HashMap<>();

    private Builder() {}

    /**
     * Sets the PKCS#11 module. Default {@code /usr/lib/softhsm/libsofthsm2.so}.
     *
     * @param library the shared library's path
     * @return this builder
     * @since 0.1.0
     */
    public Builder library(String library) {
      config.put(Pkcs11Settings.KEY_LIBRARY, Objects.requireNonNull(library, "library"));
      return this;
    }

    /**
     * Selects the token by label (replacing any other selector).
     *
     * @param label the token label, at most 32 characters
     * @return this builder
     * @since 0.1.0
     */
    public Builder tokenLabel(String label) {
      clearSelector();
      config.put(Pkcs11Settings.KEY_TOKEN_LABEL, Objects.requireNonNull(label, "label"));
      return this;
    }

    /**
     * Selects the token by serial number (replacing any other selector).
     *
     * @param serial the serial number
     * @return this builder
     * @since 0.1.0
     */
    public Builder tokenSerial(String serial) {
      clearSelector();
      config.put(Pkcs11Settings.KEY_TOKEN_SERIAL, Objects.requireNonNull(serial, "serial"));
      return this;
    }

    /**
     * Selects the token by slot id (replacing any other selector).
     *
     * @param slotId the slot id
     * @return this builder
     * @since 0.1.0
     */
    public Builder slot(long slotId) {
      clearSelector();
      config.put(Pkcs11Settings.KEY_SLOT, Long.toString(slotId));
      return this;
    }

    /**
     * Sets how many wrong PINs in a row lock the token for this provider. Default 5.
     *
     * @param maxAttempts 1 to 100
     * @return this builder
     * @since 0.1.0
     */
    public Builder maxAttempts(int maxAttempts) {
      config.put(Pkcs11Settings.KEY_MAX_ATTEMPTS, Integer.toString(maxAttempts));
      return this;
    }

    /**
     * Sets the first lockout's length. Default 60 seconds.
     *
     * @param backoff 1 second to 24 hours
     * @return this builder
     * @since 0.1.0
     */
    public Builder lockoutBackoff(Duration backoff) {
      config.put(Pkcs11Settings.KEY_LOCKOUT_SECONDS, Long.toString(backoff.toSeconds()));
      return this;
    }

    /**
     * Sets how many unclaimed key pairs the provider keeps on the token. Default 2.
     *
     * @param poolSize 0 to 32
     * @return this builder
     * @since 0.1.0
     */
    public Builder poolSize(int poolSize) {
      config.put(Pkcs11Settings.KEY_POOL_SIZE, Integer.toString(poolSize));
      return this;
    }

    /**
     * Sets the longest wait for a token session or the login state. Default 30 seconds.
     *
     * @param timeout 1 second to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder callTimeout(Duration timeout) {
      config.put(Pkcs11Settings.KEY_CALL_TIMEOUT, Long.toString(timeout.toSeconds()));
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the provider
     * @throws IllegalArgumentException if a setting is out of range
     * @since 0.1.0
     */
    public Pkcs11CredentialProvider build() {
      return new Pkcs11CredentialProvider(Pkcs11Settings.defaults().with(config));
    }

    private void clearSelector() {
      config.remove(Pkcs11Settings.KEY_TOKEN_LABEL);
      config.remove(Pkcs11Settings.KEY_TOKEN_SERIAL);
      config.remove(Pkcs11Settings.KEY_SLOT);
    }
  }
}
