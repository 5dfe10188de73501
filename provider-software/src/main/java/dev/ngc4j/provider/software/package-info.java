/**
 * The software key provider: RSA-2048 credential keys kept in files, encrypted under keys derived from the user's
 * PIN or biometric secret. Use it where no TPM or token is available, and only where software keys are acceptable:
 * ngc4j never picks it implicitly when hardware-backed keys are required.
 *
 * <h2>Using it</h2>
 *
 * <ol>
 *   <li>Put {@code provider-software} on the class path or module path; it registers itself with
 *       {@link java.util.ServiceLoader} under the id {@code software}. Or pass
 *       {@code new SoftwareCredentialProvider()} (or one built with {@link
 *       dev.ngc4j.provider.software.SoftwareCredentialProvider#builder()}) to ngc4j explicitly.
 *   <li>Tune it with the builder or with the configuration keys {@code argon2.memoryKiB}, {@code argon2.iterations},
 *       {@code argon2.parallelism}, {@code maxAttempts} and {@code lockoutSeconds} (system properties
 *       {@code ngc4j.software.<key>}).
 * </ol>
 *
 * <p>See {@link dev.ngc4j.provider.software.SoftwareCredentialProvider} for what it protects against and what it
 * cannot.
 *
 * <h2>Thread safety</h2>
 *
 * <p>The provider, its sessions and their facets are safe for concurrent use; the builder is not.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.provider.software;

import org.jspecify.annotations.NullMarked;
