package dev.ngc4j.spi;

import dev.ngc4j.api.Capabilities;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link CredentialProvider#probe()}: whether the provider can work on this machine now, what it
 * can do, and if not, why and what to do.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @param available whether the provider's device is usable
 * @param capabilities what it can do (meaningful also when unavailable)
 * @param reason why it is unavailable; empty when available
 * @param remedy what to do about it; empty when available
 * @since 0.1.0
 */
public record ProbeResult(boolean available, Capabilities capabilities, Optional<String> reason, Optional<String> remedy) {
  /**
   * Validates the fields.
   *
   * @param available availability
   * @param capabilities capabilities
   * @param reason reason
   * @param remedy remedy
   */
  public ProbeResult {
    Objects.requireNonNull(capabilities, "capabilities");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(remedy, "remedy");
  }

  /**
   * An available provider.
   *
   * @param capabilities what it can do
   * @return the result
   * @since 0.1.0
   */
  public static ProbeResult available(dev.ngc4j.api.Capabilities capabilities) {
    return new ProbeResult(true, capabilities, Optional.empty(), Optional.empty());
  }

  /**
   * An unavailable provider.
   *
   * @param capabilities what it could do
   * @param reason why it cannot now
   * @param remedy what to do
   * @return the result
   * @since 0.1.0
   */
  public static ProbeResult unavailable(Capabilities capabilities, String reason, String remedy) {
    return new ProbeResult(false, capabilities, Optional.of(reason), Optional.of(remedy));
  }
}
