/**
 * ngc4j: device-bound, gesture-unlocked credentials (the design known as Windows Hello for Business, "NGC"
 * keys) for the JVM.
 *
 * <h2>What this package holds</h2>
 *
 * <p>The values an application handles ({@link dev.ngc4j.api.UserPrincipal}, {@link dev.ngc4j.api.ContainerId},
 * {@link dev.ngc4j.api.KeyId}, {@link dev.ngc4j.api.Bytes}, the policies) and the checked exception tree rooted
 * at {@link dev.ngc4j.api.NgcException}, whose every instance carries a stable {@link dev.ngc4j.api.ErrorCode}
 * and a remedy hint.
 *
 * <h2>The flow</h2>
 *
 * <ol>
 *   <li>A {@link dev.ngc4j.spi.CredentialProvider} (software, TPM or PKCS#11) is chosen: explicitly, by the
 *       {@code ngc4j.provider} system property, or by priority among those whose probe succeeds.
 *   <li>Provisioning takes an RSA-2048 key from a pre-generated pool, asks the user for a new gesture through a
 *       {@link dev.ngc4j.spi.GestureSource}, creates a {@link dev.ngc4j.spi.KeyContainer} and registers the
 *       public key with the directory.
 *   <li>Every later use of the private key goes through the container, which pulls the gesture from the
 *       application only when the key needs it.
 * </ol>
 *
 * <h2>Non-goals</h2>
 *
 * <p>Private keys are never exported. PINs never travel as {@code String}s. The library never installs a global
 * JCA provider.
 *
 * <h2>Thread safety</h2>
 *
 * <p>Every value type in this package is immutable and safe for concurrent use; builders are not.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.api;

import org.jspecify.annotations.NullMarked;
