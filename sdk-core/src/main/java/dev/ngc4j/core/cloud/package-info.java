/**
 * The Entra ID cloud sign-in client: {@link dev.ngc4j.core.cloud.EntraCloudClient} speaks the device registration
 * and PRT wire protocol (discovery, device join, Windows Hello for Business key registration, nonce, sign-in with
 * the WHfB key, PRT renewal, PRT cookie) to Entra ID or to ngc4j's own {@code sdk-server}, which differ only in
 * their base URIs.
 *
 * <p>Everything here is {@link dev.ngc4j.api.Experimental}: the protocol is reimplemented from public tools and
 * Microsoft's open specifications and may still change.
 *
 * @since 0.1.0
 */
@NullMarked
package dev.ngc4j.core.cloud;

import org.jspecify.annotations.NullMarked;
