/**
 * The ngc4j runtime: {@link dev.ngc4j.core.Ngc4j} (provider selection, provisioning, status), the
 * {@link dev.ngc4j.core.KeyPool}, {@link dev.ngc4j.core.Credential} and the {@link dev.ngc4j.core.SignatureVerifier}
 * used on the service side.
 *
 * <p>Start with {@link dev.ngc4j.core.Ngc4j#builder()}. Every type here is thread-safe unless its javadoc says
 * otherwise; builders are not.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.core;

import org.jspecify.annotations.NullMarked;
