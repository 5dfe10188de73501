package dev.ngc4j.provider.tpm;

import dev.ngc4j.api.NgcException;
import dev.ngc4j.provider.support.ConfigValues;
import dev.ngc4j.provider.tpm.internal.TpmConnection;
import dev.ngc4j.provider.tpm.internal.TpmSession;
import dev.ngc4j.provider.tpm.internal.TpmSettings;
import dev.ngc4j.spi.CredentialProvider;
import dev.ngc4j.spi.ProbeResult;
import dev.ngc4j.spi.ProviderContext;
import dev.ngc4j.spi.ProviderSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The TPM 2.0 credential provider (id {@value #ID}, priority {@value #PRIORITY}): RSA-2048 keys created inside a
 * TPM and never leaving it, opened by a PIN or a biometric through the TPM's own authorisation and
 * dictionary-attack protection. See the {@linkplain dev.ngc4j.provider.tpm package documentation} for the design.
 *
 * <h2>Configuration</h2>
 *
 * <p>Keys, given to {@link Builder}, in {@link ProviderContext#config()}, or as system properties
 * {@code ngc4j.tpm.<key>} (read by the no-argument constructor, which {@link java.util.ServiceLoader} uses):
 *
 * <ul>
 *   <li>{@code device}: {@code tcp:HOST:PORT} for swtpm's raw data channel, or a TPM character device path;
 *       default {@code /dev/tpmrm0}.
 *   <li>{@code connectTimeoutMillis} (default 3000) and {@code commandTimeoutSeconds} (default 120).
 *   <li>{@code maxAttempts} (default 5): wrong gestures that lock a container; keep it below the TPM's own
 *       dictionary-attack limit (TPM_PT_MAX_AUTH_FAIL).
 *   <li>{@code lockoutSeconds} (default 60): the first lockout's length, doubling per further lockout up to 24 h.
 *   <li>{@code srk} ({@code derive}, the default, or {@code persist}) and {@code srkHandle} (default
 *       {@code 0x81000001}).
 * </ul>
 *
 * <p>Thread safety: immutable and safe for concurrent use; the {@link Builder} is not.
 *
 * @since 0.1.0
 */
public final class TpmCredentialProvider implements CredentialProvider {
  /** The provider id. */
  public static final String ID = TpmSession.PROVIDER_ID;
  /** The priority for implicit selection: a hardware provider. */
  public static final int PRIORITY = 100;
  /** The prefix of the system properties the no-argument constructor reads. */
  public static final String SYSTEM_PROPERTY_PREFIX = "ngc4j.tpm.";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final TpmSettings settings;

  /**
   * Creates the provider from the defaults and the system properties {@code ngc4j.tpm.<key>}. This is the
   * constructor {@link java.util.ServiceLoader} uses.
   *
   * @throws IllegalArgumentException naming the property, if one has an invalid value
   * @since 0.1.0
   */
  public TpmCredentialProvider() {
    this(TpmSettings.defaults().with(ConfigValues.systemProperties(SYSTEM_PROPERTY_PREFIX)));
  }

  private TpmCredentialProvider(TpmSettings settings) {
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
   * Checks cheaply whether the configured TPM is reachable: a TCP connection to {@code tcp:HOST:PORT} (opened and
   * closed without sending anything), or that the device file exists and this user can read and write it. Sends no
   * TPM command.
   *
   * @return available, or unavailable with the reason and what to do
   */
  @Override
  public ProbeResult probe() {
    try {
      if (settings.tcp()) {
        try (Socket socket = new Socket()) {
          int timeout = (int) Math.min(settings.connectTimeout().toMillis(), PROBE_TIMEOUT.toMillis());
          socket.connect(new InetSocketAddress(settings.tcpHost(), settings.tcpPort()), timeout);
          return ProbeResult.available(TpmSession.CAPABILITIES);
        } catch (IOException e) {
          return ProbeResult.unavailable(TpmSession.CAPABILITIES,
              "no TPM answers at " + settings.device() + ": " + e.getMessage(), TpmConnection.remedy(settings));
        }
      }
      Path device = Path.of(settings.device());
      if (!Files.exists(device)) {
        return ProbeResult.unavailable(TpmSession.CAPABILITIES, device + " does not exist",
            TpmConnection.remedy(settings));
      }
      if (!Files.isReadable(device) || !Files.isWritable(device)) {
        return ProbeResult.unavailable(TpmSession.CAPABILITIES, "this user cannot read and write " + device,
            TpmConnection.remedy(settings));
      }
      return ProbeResult.available(TpmSession.CAPABILITIES);
    } catch (RuntimeException e) {
      return ProbeResult.unavailable(TpmSession.CAPABILITIES, "the TPM device setting cannot be used: " + e,
          TpmConnection.remedy(settings));
    }
  }

  /**
   * Opens the provider: connects to the TPM, prepares the storage root key and the data directory. The context's
   * configuration keys override this provider's settings.
   *
   * @param context the data directory, clock and configuration
   * @return an open session; close it to release the TPM connection
   * @throws NgcException {@code PROVIDER_UNAVAILABLE} if the TPM or the data directory cannot be used
   * @throws IllegalArgumentException naming the key, if a configuration value is invalid
   */
  @Override
  public ProviderSession open(ProviderContext context) throws NgcException {
    Objects.requireNonNull(context, "context");
    return TpmSession.open(context, settings.with(context.config()));
  }

  /**
   * Returns the configured device.
   *
   * @return {@code tcp:HOST:PORT} or a device path
   * @since 0.1.0
   */
  public String device() {
    return settings.device();
  }

  /**
   * Returns the attempt limit.
   *
   * @return wrong gestures in a row that lock a container
   * @since 0.1.0
   */
  public int maxAttempts() {
    return settings.maxAttempts();
  }

  @Override
  public String toString() {
    return "TpmCredentialProvider[" + settings.device() + ", " + settings.maxAttempts() + " attempts]";
  }

  /**
   * Builds a {@link TpmCredentialProvider} with other settings than the defaults.
   *
   * <p>Thread safety: not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, String> config = new HashMap<>();

    private Builder() {}

    /**
     * Sets the TPM: {@code tcp:HOST:PORT} for swtpm's raw data channel, or a character device path. Default
     * {@code /dev/tpmrm0}.
     *
     * @param device the device
     * @return this builder
     * @since 0.1.0
     */
    public Builder device(String device) {
      config.put(TpmSettings.KEY_DEVICE, Objects.requireNonNull(device, "device"));
      return this;
    }

    /**
     * Sets how many wrong gestures in a row lock a container. Default 5.
     *
     * @param maxAttempts 1 to 100
     * @return this builder
     * @since 0.1.0
     */
    public Builder maxAttempts(int maxAttempts) {
      config.put(TpmSettings.KEY_MAX_ATTEMPTS, Integer.toString(maxAttempts));
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
      config.put(TpmSettings.KEY_LOCKOUT_SECONDS, Long.toString(backoff.toSeconds()));
      return this;
    }

    /**
     * Sets the longest wait for one TPM response over TCP. Default 120 seconds.
     *
     * @param timeout 0.1 second to 1 hour
     * @return this builder
     * @since 0.1.0
     */
    public Builder commandTimeout(Duration timeout) {
      config.put(TpmSettings.KEY_COMMAND_TIMEOUT, Double.toString(timeout.toMillis() / 1000.0));
      return this;
    }

    /**
     * Keeps the storage root key persistent at {@code 0x81000001} (created on first use) instead of deriving it
     * on every connection. Default: derive.
     *
     * @param persist whether to persist
     * @return this builder
     * @since 0.1.0
     */
    public Builder persistentStorageRootKey(boolean persist) {
      config.put(TpmSettings.KEY_SRK, persist ? "persist" : "derive");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @return the provider
     * @throws IllegalArgumentException if a setting is out of range
     * @since 0.1.0
     */
    public TpmCredentialProvider build() {
      return new TpmCredentialProvider(TpmSettings.defaults().with(config));
    }
  }
}
