/**
 * The service provider interfaces of ngc4j: what a key provider (software, TPM, PKCS#11), a cloud protocol, a
 * Kerberos pre-authentication and the application's gesture prompt implement.
 *
 * <h2>Writing a provider</h2>
 *
 * <ol>
 *   <li>Implement {@link dev.ngc4j.spi.CredentialProvider} with a public no-argument constructor and register it
 *       with {@code provides dev.ngc4j.spi.CredentialProvider with ...} in {@code module-info} and in
 *       {@code META-INF/services}.
 *   <li>{@link dev.ngc4j.spi.CredentialProvider#open} returns a {@link dev.ngc4j.spi.ProviderSession} that hands
 *       out the facets: a {@link dev.ngc4j.spi.KeyContainerStore}, a {@link dev.ngc4j.spi.PooledKeySource} and,
 *       for hardware, an {@link dev.ngc4j.spi.Attestor}.
 *   <li>Run the {@code sdk-testkit} contract tests against it.
 * </ol>
 *
 * <p>SPIs evolve only through {@code default} methods. Implementations MUST NOT return {@code null} and MUST
 * report failures as {@link dev.ngc4j.api.NgcException}s with an accurate {@link dev.ngc4j.api.ErrorCode}.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.spi;

import org.jspecify.annotations.NullMarked;
