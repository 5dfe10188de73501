package dev.ngc4j.provider.tpm.internal;

import dev.ngc4j.provider.support.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the TPM provider reaches its TPM and how strict it is. Configuration keys (given to the builder, through
 * {@link dev.ngc4j.spi.ProviderContext#config()}, or as system properties {@code ngc4j.tpm.<key>}):
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #KEY_DEVICE}</td><td>{@code /dev/tpmrm0}</td><td>{@code tcp:HOST:PORT} for a TPM reached over
 *       TCP with raw TPM 2.0 framing (swtpm's data channel), or the path of a Linux TPM character device
 *       ({@code /dev/tpmrm0}, the kernel resource manager; {@code /dev/tpm0} works without one)</td></tr>
 *   <tr><td>{@value #KEY_CONNECT_TIMEOUT}</td><td>3000</td><td>TCP connect timeout, milliseconds</td></tr>
 *   <tr><td>{@value #KEY_COMMAND_TIMEOUT}</td><td>120</td><td>longest wait for one TPM response over TCP, seconds
 *       (RSA key generation on a hardware TPM can take tens of seconds)</td></tr>
 *   <tr><td>{@value #KEY_MAX_ATTEMPTS}</td><td>5</td><td>wrong gestures in a row that lock a container (1-100);
 *       keep it below the TPM's own dictionary-attack limit (TPM_PT_MAX_AUTH_FAIL) so the provider's lockout,
 *       which is per container and ends by itself, comes first</td></tr>
 *   <tr><td>{@value #KEY_LOCKOUT_SECONDS}</td><td>60</td><td>the first lockout's length; it doubles with each
 *       further lockout before a success, up to 24 hours</td></tr>
 *   <tr><td>{@value #KEY_SRK}</td><td>{@code derive}</td><td>{@code derive}: re-create the storage root key with
 *       TPM2_CreatePrimary on every connection (deterministic; right for swtpm); {@code persist}: use the key at
 *       {@value #KEY_SRK_HANDLE}, creating and persisting it with TPM2_EvictControl if absent (right for hardware,
 *       where CreatePrimary is slow; needs empty owner authorisation to create)</td></tr>
 *   <tr><td>{@value #KEY_SRK_HANDLE}</td><td>{@code 0x81000001}</td><td>the persistent SRK handle</td></tr>
 * </table>
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param device the device spec
 * @param connectTimeout the TCP connect timeout
 * @param commandTimeout the longest wait for one response
 * @param maxAttempts the attempt limit
 * @param lockoutBackoff the first lockout's length
 * @param persistSrk whether the SRK is persistent
 * @param srkHandle the persistent SRK handle
 */
public record TpmSettings(
    String device,
    Duration connectTimeout,
    Duration commandTimeout,
    int maxAttempts,
    Duration lockoutBackoff,
    boolean persistSrk,
    int srkHandle) {
  /** Config key of the device. */
  public static final String KEY_DEVICE = "device";
  /** Config key of the connect timeout in milliseconds. */
  public static final String KEY_CONNECT_TIMEOUT = "connectTimeoutMillis";
  /** Config key of the command timeout in seconds. */
  public static final String KEY_COMMAND_TIMEOUT = "commandTimeoutSeconds";
  /** Config key of the attempt limit. */
  public static final String KEY_MAX_ATTEMPTS = "maxAttempts";
  /** Config key of the first lockout's length in seconds. */
  public static final String KEY_LOCKOUT_SECONDS = "lockoutSeconds";
  /** Config key of the SRK mode, {@code derive} or {@code persist}. */
  public static final String KEY_SRK = "srk";
  /** Config key of the persistent SRK handle (hex with {@code 0x}, or decimal). */
  public static final String KEY_SRK_HANDLE = "srkHandle";
  /** The default device: the Linux kernel's TPM resource manager. */
  public static final String DEFAULT_DEVICE = "/dev/tpmrm0";
  /** The longest a lockout lasts, however often it doubled. */
  public static final Duration LOCKOUT_CAP = Duration.ofHours(24);
  /** The persistent handle TCG guidance reserves for the owner SRK. */
  public static final int DEFAULT_SRK_HANDLE = 0x81000001;

  /**
   * Validates the settings.
   *
   * @param device device spec
   * @param connectTimeout connect timeout
   * @param commandTimeout command timeout
   * @param maxAttempts attempt limit
   * @param lockoutBackoff first lockout
   * @param persistSrk SRK mode
   * @param srkHandle SRK handle
   * @throws IllegalArgumentException naming the setting that is out of range
   */
  public TpmSettings {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(lockoutBackoff, "lockoutBackoff");
    if (device.isBlank()) {
      throw new IllegalArgumentException("TPM setting " + KEY_DEVICE + " is empty");
    }
    if (device.startsWith("tcp:")) {
      parseTcp(device);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("TPM setting " + KEY_CONNECT_TIMEOUT + " must be 1 ms to 5 minutes");
    }
    if (commandTimeout.compareTo(Duration.ofMillis(100)) < 0 || commandTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("TPM setting " + KEY_COMMAND_TIMEOUT + " must be 0.1 s to 1 hour");
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("TPM setting " + KEY_MAX_ATTEMPTS + " must be 1 to 100, got " + maxAttempts);
    }
    if (lockoutBackoff.compareTo(Duration.ofSeconds(1)) < 0 || lockoutBackoff.compareTo(LOCKOUT_CAP) > 0) {
      throw new IllegalArgumentException("TPM setting " + KEY_LOCKOUT_SECONDS + " must be 1 s to 24 h");
    }
    if ((srkHandle >>> 24) != 0x81) {
      throw new IllegalArgumentException("TPM setting " + KEY_SRK_HANDLE + " must be a persistent handle 0x81xxxxxx");
    }
  }

  /**
   * Returns the defaults: {@code /dev/tpmrm0}, 3 s connect, 120 s per command, 5 attempts, 60 s first lockout,
   * derived SRK.
   *
   * @return the defaults
   */
  public static TpmSettings defaults() {
    return new TpmSettings(DEFAULT_DEVICE, Duration.ofSeconds(3), Duration.ofSeconds(120), 5, Duration.ofSeconds(60),
        false, DEFAULT_SRK_HANDLE);
  }

  /**
   * Returns these settings with configuration keys applied; unknown keys are ignored.
   *
   * @param config the keys and values
   * @return the combined settings
   * @throws IllegalArgumentException naming the key whose value is invalid
   */
  public TpmSettings with(Map<String, String> config) {
    ConfigValues values = new ConfigValues("TPM setting", config);
    String srkMode = values.choice(KEY_SRK, persistSrk ? "persist" : "derive", List.of("derive", "persist"));
    return new TpmSettings(
        values.text(KEY_DEVICE, device),
        values.millis(KEY_CONNECT_TIMEOUT, connectTimeout),
        values.fractionalSeconds(KEY_COMMAND_TIMEOUT, commandTimeout),
        (int) values.wholeNumber(KEY_MAX_ATTEMPTS, maxAttempts),
        values.seconds(KEY_LOCKOUT_SECONDS, lockoutBackoff),
        srkMode.equals("persist"),
        (int) values.wholeNumber(KEY_SRK_HANDLE, srkHandle & 0xFFFF_FFFFL));
  }

  /**
   * Returns whether the device is reached over TCP.
   *
   * @return true for {@code tcp:HOST:PORT}
   */
  public boolean tcp() {
    return device.startsWith("tcp:");
  }

  /**
   * Returns the host of a TCP device.
   *
   * @return the host
   * @throws IllegalStateException if the device is not TCP
   */
  public String tcpHost() {
    return parseTcp(device).host;
  }

  /**
   * Returns the port of a TCP device.
   *
   * @return the port
   * @throws IllegalStateException if the device is not TCP
   */
  public int tcpPort() {
    return parseTcp(device).port;
  }

  private static final class HostPort {
    final String host;
    final int port;

    HostPort(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private static HostPort parseTcp(String device) {
    if (!device.startsWith("tcp:")) {
      throw new IllegalStateException("device " + device + " is not a tcp:HOST:PORT device");
    }
    String rest = device.substring(4);
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1) {
      throw new IllegalArgumentException("TPM setting " + KEY_DEVICE + " must look like tcp:HOST:PORT, got " + device);
    }
    String host = rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(rest.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TPM setting " + KEY_DEVICE + " has no valid port: " + device, e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("TPM setting " + KEY_DEVICE + " has a port out of range: " + device);
    }
    return new HostPort(host, port);
  }
}
