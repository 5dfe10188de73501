package dev.ngc4j.spi;

import dev.ngc4j.api.ApiVersion;
import dev.ngc4j.api.NgcException;

/**
 * The root of a key provider, found through {@link java.util.ServiceLoader} or passed explicitly. One per
 * provider module (the SLF4J binding pattern). It reports who it is and what it can do, and opens a
 * {@link ProviderSession} that hands out the facets.
 *
 * <p>Selection (done by {@code sdk-core}): an explicit instance always wins; then the id named by the builder or
 * the system property {@code ngc4j.provider}; then the highest {@link #priority()} whose {@link #probe()} says
 * available. A tie fails with {@link dev.ngc4j.api.ErrorCode#AMBIGUOUS_PROVIDER}. A provider that is not
 * hardware-backed is never chosen implicitly unless software keys were allowed.
 *
 * <p>Thread safety: implementations MUST be safe for concurrent use; {@link #probe()} may be called at any time.
 *
 * @since 0.1.0
 */
public interface CredentialProvider {
  /**
   * Returns the stable id, such as {@code software}, {@code tpm} or {@code pkcs11}.
   *
   * @return a lower-case id
   * @since 0.1.0
   */
  String id();

  /**
   * Returns the priority for implicit selection: hardware providers use 100 or more, software less than 100.
   *
   * @return the priority
   * @since 0.1.0
   */
  int priority();

  /**
   * Returns the SPI major version this provider was built against.
   *
   * @implSpec returns {@link ApiVersion#MAJOR} of the {@code sdk-api} it was compiled with.
   * @return the major version
   * @since 0.1.0
   */
  default int apiVersion() {
    return ApiVersion.MAJOR;
  }

  /**
   * Checks, cheaply and without side effects, whether the provider can work now, and what it can do.
   *
   * @return the result; MUST NOT be {@code null}; MUST NOT throw
   * @since 0.1.0
   */
  ProbeResult probe();

  /**
   * Opens the provider for use.
   *
   * @param context the data directory, clock and settings
   * @return an open session; the caller closes it
   * @throws NgcException with {@link dev.ngc4j.api.ErrorCode#PROVIDER_UNAVAILABLE} if the device cannot be used
   * @since 0.1.0
   */
  ProviderSession open(ProviderContext context) throws NgcException;
}
