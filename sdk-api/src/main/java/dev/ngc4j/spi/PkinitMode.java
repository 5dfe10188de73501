package dev.ngc4j.spi;

import dev.ngc4j.api.Experimental;

/**
 * How the KDC trusts the credential key in PKINIT.
 *
 * <p>Thread safety: immutable and safe for concurrent use.
 *
 * @since 0.1.0
 */
@Experimental
public enum PkinitMode {
  /** Key trust: a self-signed certificate; the KDC looks the public key up in the directory. */
  KEY_TRUST,
  /** Certificate trust: a CA-issued certificate for the same key. */
  CERTIFICATE_TRUST
}
