/**
 * Reaching a KDC: {@link dev.ngc4j.core.internal.krb.net.KdcLocator} finds a realm's KDCs (configuration, else DNS
 * SRV records per RFC 4120 §7.2.3 and RFC 2782), and {@link dev.ngc4j.core.internal.krb.net.KdcTransport} sends
 * one request to them in order over TCP (RFC 4120 §7.2.2 framing) or UDP, within a deadline. Not API.
 */
@NullMarked
package dev.ngc4j.core.internal.krb.net;

import org.jspecify.annotations.NullMarked;
