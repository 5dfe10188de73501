package dev.ngc4j.api;

/**
 * The version of the provider SPI that this {@code sdk-api} defines. A provider reports the version it was built
 * against; ngc4j refuses a provider whose major version differs.
 *
 * <p>Thread safety: not applicable (constants only).
 *
 * @since 0.1.0
 */
public final class ApiVersion {
  /** The SPI major version: bumped only for incompatible SPI changes. */
  public static final int MAJOR = 1;

  private ApiVersion() {}
}
