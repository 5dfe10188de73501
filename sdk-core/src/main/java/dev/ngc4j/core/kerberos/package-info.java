/**
 * Kerberos sign-in with a credential key: a PKINIT client (RFC 4556 with RFC 8070 freshness and RFC 8636 key
 * derivation) for key trust and certificate trust, strict validation of the KDC's certificate, TGS exchanges, and
 * MIT credential caches that MIT's own tools read.
 */
@NullMarked
package dev.ngc4j.core.kerberos;

import org.jspecify.annotations.NullMarked;
